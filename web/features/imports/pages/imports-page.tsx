import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Progress, Table, type TableProps, Tag } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { formatChinaDateTime } from '../../../lib/format';
import { type ImportJob, isRunning, useImportJobs } from '../api';
import { JobStatusTag } from '../components/job-progress';

/** The user's recent imports, newest first; each opens its progress page. */
export function ImportsPage() {
  const { t } = useTranslation();
  const jobs = useImportJobs();
  const reportError = useApiErrorReporter();
  useEffect(() => {
    if (jobs.error) reportError(jobs.error);
  }, [jobs.error, reportError]);

  const columns: TableProps<ImportJob>['columns'] = [
    { key: 'id', title: '#', render: (_, job) => <Link to={`/imports/${job.id}`}>{job.id}</Link> },
    {
      key: 'file',
      title: t('imports.field.file'),
      render: (_, job) => (
        <>
          <Link to={`/imports/${job.id}`}>{job.fileName}</Link> {job.dryRun && <Tag color="purple">{t('imports.dryRunTag')}</Tag>}
        </>
      ),
    },
    {
      key: 'status',
      title: t('imports.field.status'),
      render: (_, job) =>
        isRunning(job) && job.rowsTotal ? (
          <Progress size="small" percent={Math.floor((job.rowsDone / job.rowsTotal) * 100)} style={{ width: 120 }} />
        ) : (
          <JobStatusTag job={job} />
        ),
    },
    { key: 'rows', title: t('imports.field.rows'), render: (_, job) => (job.rowsTotal ?? job.rowsDone).toLocaleString() },
    { key: 'created', title: t('imports.count.created'), dataIndex: 'created' },
    { key: 'updated', title: t('imports.count.updated'), dataIndex: 'updated' },
    { key: 'unchanged', title: t('imports.count.unchanged'), dataIndex: 'unchanged' },
    {
      key: 'rejected',
      title: t('imports.count.rejected'),
      render: (_, job) => (job.rejected > 0 ? <Tag color="red">{job.rejected}</Tag> : 0),
    },
    { key: 'createdAt', title: t('imports.field.createdAt'), render: (_, job) => formatChinaDateTime(job.createdAt), className: 'convoy-nowrap' },
  ];

  return (
    <Card
      title={t('imports.list.title')}
      extra={
        <Link to="/imports/workers/new">
          <Button type="primary" icon={<PlusOutlined />} data-testid="import-new">
            {t('imports.new')}
          </Button>
        </Link>
      }
    >
      <Table<ImportJob>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={jobs.data?.items ?? []}
        loading={jobs.isPending}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description={t('imports.list.empty')} /> }}
        data-testid="import-list"
      />
    </Card>
  );
}
