import { DeleteOutlined, DownloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Flex, Input, Modal, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { formatChinaDateTime } from '../../../lib/format';
import { type CreatedDeletionRequest, type DeletionRequestView, MY_DATA_JSON_URL, MY_DATA_XLSX_URL, useMyDeletionRequests, useRequestDeletion, useWithdrawDeletion } from '../api';

const BIG = { height: 48, fontSize: 16 } as const;
const statusColor: Record<DeletionRequestView['status'], string> = { requested: 'processing', carried_out: 'success', rejected: 'error', withdrawn: 'default' };

function LatestRequest({ request }: { request: DeletionRequestView }) {
  const { t } = useTranslation();
  const reportError = useApiErrorReporter();
  const withdraw = useWithdrawDeletion();
  return (
    <Flex vertical gap={8} data-testid="my-deletion-request">
      <Flex gap={8} align="center" wrap>
        <Typography.Text>{t('privacy.deletion.latest', { at: formatChinaDateTime(request.requestedAt) })}</Typography.Text>
        <Tag color={statusColor[request.status]} data-testid="my-deletion-status">
          {t(`privacy.deletion.status.${request.status}`)}
        </Tag>
      </Flex>
      {request.status === 'requested' && <Typography.Text type="secondary">{t('privacy.deletion.dueBy', { at: formatChinaDateTime(request.dueAt) })}</Typography.Text>}
      {request.decisionNote && request.status === 'rejected' && <Alert type="warning" showIcon title={t('privacy.deletion.rejectedBecause')} description={request.decisionNote} />}
      {request.status === 'requested' && (
        <Button block style={BIG} loading={withdraw.isPending} data-testid="my-deletion-withdraw" onClick={() => withdraw.mutate(request.id, { onError: (error) => reportError(error) })}>
          {t('privacy.deletion.withdraw')}
        </Button>
      )}
    </Flex>
  );
}

/** On the worker's phone page: take a copy of everything held about me, or ask for it to be deleted. */
export function MyPrivacyCard() {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const reportError = useApiErrorReporter();
  const requests = useMyDeletionRequests();
  const ask = useRequestDeletion();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const latest = requests.data?.items[0];
  const waiting = latest?.status === 'requested';

  const showReceipt = (created: CreatedDeletionRequest) =>
    modal.info({
      title: t('privacy.deletion.receiptTitle'),
      okText: t('privacy.deletion.receiptOk'),
      content: (
        <Flex vertical gap={8}>
          <Typography.Text>{t('privacy.deletion.receiptBody')}</Typography.Text>
          <Typography.Text code copyable data-testid="my-deletion-receipt">
            {created.receipt}
          </Typography.Text>
        </Flex>
      ),
    });

  const submit = () =>
    ask.mutate(reason.trim() ? { reason: reason.trim() } : {}, {
      onSuccess: (created) => {
        setAsking(false);
        setReason('');
        showReceipt(created);
      },
      onError: (error) => reportError(error),
    });

  return (
    <Card title={t('privacy.title')} data-testid="my-privacy">
      <Flex vertical gap={12}>
        <Typography.Text>{t('privacy.export.intro')}</Typography.Text>
        <Flex vertical gap={8}>
          <Button block href={MY_DATA_XLSX_URL} icon={<DownloadOutlined />} style={BIG} data-testid="my-data-xlsx">
            {t('privacy.export.xlsx')}
          </Button>
          <Button block href={MY_DATA_JSON_URL} icon={<DownloadOutlined />} style={BIG} data-testid="my-data-json">
            {t('privacy.export.json')}
          </Button>
        </Flex>
        {latest && <LatestRequest request={latest} />}
        {!waiting && (
          <Button danger block icon={<DeleteOutlined />} style={BIG} onClick={() => setAsking(true)} data-testid="my-deletion-ask">
            {t('privacy.deletion.ask')}
          </Button>
        )}
      </Flex>
      <Modal
        open={asking}
        title={t('privacy.deletion.ask')}
        okText={t('privacy.deletion.confirm')}
        okButtonProps={{ danger: true, loading: ask.isPending, ...({ 'data-testid': 'my-deletion-confirm' } as object) }}
        cancelText={t('common.cancel')}
        onOk={submit}
        onCancel={() => setAsking(false)}
      >
        <Flex vertical gap={12}>
          <Typography.Paragraph style={{ margin: 0 }}>{t('privacy.deletion.explain')}</Typography.Paragraph>
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
            {t('privacy.deletion.kept')}
          </Typography.Paragraph>
          <Input.TextArea value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} rows={3} placeholder={t('privacy.deletion.reasonPlaceholder')} data-testid="my-deletion-reason" />
        </Flex>
      </Modal>
    </Card>
  );
}
