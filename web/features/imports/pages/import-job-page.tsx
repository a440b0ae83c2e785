import { ArrowLeftOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Flex, Result, Skeleton, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../../../lib/api-client';
import { formatChinaDateTime } from '../../../lib/format';
import { useImportJob } from '../api';
import { JobProgress, JobStatusTag } from '../components/job-progress';

function useJobId(): number | null {
  const { id } = useParams();
  const parsed = Number(id);
  return id && Number.isInteger(parsed) && parsed > 0 ? parsed : null;
}

/** One import job, followed live; the address holds the job, so a reload picks it up again. */
export function ImportJobPage() {
  const { t } = useTranslation();
  const id = useJobId();
  const job = useImportJob(id);

  if (job.isPending) {
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  }
  if (job.isError) {
    const missing = job.error instanceof ApiError && job.error.status === 404;
    return (
      <Result
        status={missing ? '404' : 'error'}
        title={missing ? t('imports.notFound') : t('errors.loadFailed')}
        extra={
          <Link to="/imports">
            <Button>{t('imports.list.title')}</Button>
          </Link>
        }
      />
    );
  }
  const data = job.data;
  const none = <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  return (
    <Card data-testid="import-job">
      <Link to="/imports">
        <Button type="link" icon={<ArrowLeftOutlined />} style={{ paddingInline: 0, marginBottom: 8 }}>
          {t('imports.list.title')}
        </Button>
      </Link>
      <Flex wrap justify="space-between" align="center" gap={8} style={{ marginBottom: 16 }}>
        <Space wrap align="center">
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('imports.job.title', { id: data.id })}
          </Typography.Title>
          <JobStatusTag job={data} />
          {data.dryRun && <Tag color="purple">{t('imports.dryRunTag')}</Tag>}
        </Space>
        <Link to="/imports/workers/new">
          <Button icon={<PlusOutlined />}>{t('imports.new')}</Button>
        </Link>
      </Flex>
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2 }}
        style={{ marginBottom: 16 }}
        items={[
          { key: 'file', label: t('imports.field.file'), children: `${data.fileName} (${data.format.toUpperCase()})` },
          { key: 'createdAt', label: t('imports.field.createdAt'), children: formatChinaDateTime(data.createdAt) },
          { key: 'startedAt', label: t('imports.field.startedAt'), children: data.startedAt ? formatChinaDateTime(data.startedAt) : none },
          { key: 'finishedAt', label: t('imports.field.finishedAt'), children: data.finishedAt ? formatChinaDateTime(data.finishedAt) : none },
          {
            key: 'mapping',
            label: t('imports.field.mapping'),
            span: 2,
            children: Object.entries(data.mapping)
              .map(([field, header]) => `${t(`workers.field.${field}`)} ← ${header}`)
              .join('；'),
          },
        ]}
      />
      <JobProgress job={data} />
    </Card>
  );
}
