import { ArrowLeftOutlined, EditOutlined, EyeOutlined } from '@ant-design/icons';
import { App, Button, Card, Descriptions, Divider, Flex, Result, Skeleton, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError } from '../../../lib/api-client';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { formatChinaDateTime } from '../../../lib/format';
import { useWithdrawConsent, useWorker, type WorkerDetail } from '../api';
import { ConsentModal } from '../components/consent-modal';
import { ConsentView } from '../components/consent-view';
import { WorkerFormModal } from '../components/worker-form-modal';

function useWorkerId(): number | null {
  const { id } = useParams();
  const parsed = Number(id);
  return id && Number.isInteger(parsed) && parsed > 0 ? parsed : null;
}

function WorkerFields({ worker }: { worker: WorkerDetail }) {
  const { t } = useTranslation();
  const none = <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  const items = [
    { key: 'phone', label: t('workers.field.phone'), children: <span data-testid="worker-phone">{worker.phone}</span> },
    { key: 'platform', label: t('workers.field.platform'), children: worker.platformName },
    { key: 'platformWorkerId', label: t('workers.field.platformWorkerId'), children: worker.platformWorkerId },
    { key: 'workType', label: t('workers.field.workType'), children: t(`workers.workType.${worker.workType}`) },
    { key: 'vehicle', label: t('workers.field.vehicle'), children: t(`workers.vehicle.${worker.vehicle}`) },
    { key: 'city', label: t('workers.field.city'), children: worker.cityName ?? worker.cityCode },
    {
      key: 'unit',
      label: t('workers.field.unit'),
      children: worker.unitId ? <Link to={`/org/${worker.unitId}`}>{worker.unitName ?? `#${worker.unitId}`}</Link> : t('workers.detail.noUnit'),
    },
    { key: 'member', label: t('workers.field.member'), children: worker.memberId ? t('workers.detail.isMember', { id: worker.memberId }) : t('workers.detail.notMember') },
    { key: 'createdAt', label: t('workers.field.createdAt'), children: worker.createdAt ? formatChinaDateTime(worker.createdAt) : none },
    { key: 'updatedAt', label: t('workers.field.updatedAt'), children: worker.updatedAt ? formatChinaDateTime(worker.updatedAt) : none },
  ];
  return <Descriptions size="small" column={{ xs: 1, sm: 2 }} items={items} data-testid="worker-fields" />;
}

/** One worker: every field, the full number on request (recorded), consent, and edits. */
export function WorkerDetailPage() {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const navigate = useNavigate();
  const reportError = useApiErrorReporter();
  const id = useWorkerId();
  const [unmask, setUnmask] = useState(false);
  const masked = useWorker(id, false);
  const unmasked = useWorker(unmask ? id : null, true);
  const withdraw = useWithdrawConsent(id ?? 0);
  const [editing, setEditing] = useState(false);
  const [recordingConsent, setRecordingConsent] = useState(false);

  if (masked.isPending) {
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  }
  if (masked.isError) {
    const missing = masked.error instanceof ApiError && masked.error.status === 404;
    return (
      <Result
        status={missing ? '404' : 'error'}
        title={missing ? t('workers.detail.notFound') : t('errors.loadFailed')}
        subTitle={!missing && masked.error instanceof ApiError ? masked.error.detail : undefined}
        extra={
          <Link to="/workers">
            <Button>{t('workers.detail.back')}</Button>
          </Link>
        }
      />
    );
  }
  const worker = unmasked.data ?? masked.data;
  // The server answers with the masked number when the viewer may not see it in full.
  const denied = unmasked.data !== undefined && !unmasked.data.phoneUnmasked;

  const confirmWithdraw = () =>
    modal.confirm({
      title: t('workers.consent.withdrawTitle'),
      content: t('workers.consent.withdrawBody'),
      okText: t('workers.consent.withdrawOk'),
      okButtonProps: { danger: true, ...({ 'data-testid': 'withdraw-confirm' } as object) },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await withdraw.mutateAsync(undefined);
          void message.success(t('workers.consent.withdrawnDone'));
          void navigate('/workers', { replace: true });
        } catch (error) {
          reportError(error);
        }
      },
    });

  return (
    <Card data-testid="worker-detail">
      <Link to="/workers">
        <Button type="link" icon={<ArrowLeftOutlined />} style={{ paddingInline: 0, marginBottom: 8 }}>
          {t('workers.detail.back')}
        </Button>
      </Link>
      <Flex wrap justify="space-between" align="center" gap={8} style={{ marginBottom: 16 }}>
        <Space wrap align="center">
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="worker-title">
            {worker.name}
          </Typography.Title>
          <Tag color={worker.status === 'active' ? 'green' : 'default'}>{t(`workers.status.${worker.status}`)}</Tag>
        </Space>
        <Space wrap>
          <Button
            icon={<EyeOutlined />}
            onClick={() => setUnmask(true)}
            loading={unmasked.isFetching}
            disabled={worker.phoneUnmasked || denied}
            data-testid="worker-unmask"
          >
            {worker.phoneUnmasked ? t('workers.detail.phoneShown') : t('workers.detail.showPhone')}
          </Button>
          <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="worker-edit">
            {t('workers.detail.edit')}
          </Button>
        </Space>
      </Flex>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {denied ? t('workers.detail.unmaskDenied') : t('workers.detail.unmaskNote')}
      </Typography.Paragraph>
      <WorkerFields worker={worker} />
      <Divider titlePlacement="start">{t('workers.consent.title')}</Divider>
      <ConsentView consent={worker.consent} />
      <Space wrap style={{ marginTop: 12 }}>
        <Button onClick={() => setRecordingConsent(true)} data-testid="consent-record">
          {t('workers.consent.record')}
        </Button>
        <Button danger onClick={confirmWithdraw} loading={withdraw.isPending} data-testid="consent-withdraw">
          {t('workers.consent.withdraw')}
        </Button>
      </Space>
      <WorkerFormModal
        open={editing}
        worker={masked.data}
        onClose={() => setEditing(false)}
        onDone={() => setUnmask(false)}
      />
      <ConsentModal worker={masked.data} open={recordingConsent} onClose={() => setRecordingConsent(false)} />
    </Card>
  );
}
