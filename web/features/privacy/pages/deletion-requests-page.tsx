import { Button, Card, Flex, Input, Modal, Segmented, Table, type TableProps, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { formatChinaDateTime } from '../../../lib/format';
import { type DeletionStatus, type StaffDeletionRequest, useCarryOutDeletion, useRejectDeletion, useStaffDeletionRequests } from '../api';

type Decision = { request: StaffDeletionRequest; kind: 'carry_out' | 'reject' };

/** Staff over the workers' serving units answer deletion requests: carry out, or refuse with a reason. */
export function DeletionRequestsPage() {
  const { t } = useTranslation();
  const reportError = useApiErrorReporter();
  const [status, setStatus] = useState<DeletionStatus | 'all'>('requested');
  const list = useStaffDeletionRequests(status === 'all' ? undefined : status);
  const carryOut = useCarryOutDeletion();
  const reject = useRejectDeletion();
  const [decision, setDecision] = useState<Decision | null>(null);
  const [text, setText] = useState('');

  const close = () => {
    setDecision(null);
    setText('');
  };
  const submit = () => {
    if (!decision) return;
    const done = { onSuccess: close, onError: (error: unknown) => reportError(error) };
    if (decision.kind === 'carry_out') carryOut.mutate({ id: decision.request.id, note: text.trim() || undefined }, done);
    else reject.mutate({ id: decision.request.id, reason: text.trim() }, done);
  };

  const columns: TableProps<StaffDeletionRequest>['columns'] = [
    { key: 'person', title: t('privacy.staff.person'), render: (_, r) => `${r.personName ?? r.username}` },
    { key: 'unit', title: t('privacy.staff.unit'), dataIndex: 'unitName', render: (v: string | null) => v ?? '—' },
    { key: 'requestedAt', title: t('privacy.staff.requestedAt'), render: (_, r) => formatChinaDateTime(r.requestedAt) },
    { key: 'dueAt', title: t('privacy.staff.dueAt'), render: (_, r) => formatChinaDateTime(r.dueAt) },
    { key: 'reason', title: t('privacy.staff.reason'), render: (_, r) => r.reason ?? r.decisionNote ?? '' },
    { key: 'status', title: t('privacy.staff.status'), render: (_, r) => <Tag>{t(`privacy.deletion.status.${r.status}`)}</Tag> },
    {
      key: 'actions',
      title: '',
      render: (_, r) =>
        r.status === 'requested' && (
          <Flex gap={8}>
            <Button danger size="small" onClick={() => setDecision({ request: r, kind: 'carry_out' })} data-testid={`deletion-carry-out-${r.id}`}>
              {t('privacy.staff.carryOut')}
            </Button>
            <Button size="small" onClick={() => setDecision({ request: r, kind: 'reject' })} data-testid={`deletion-reject-${r.id}`}>
              {t('privacy.staff.reject')}
            </Button>
          </Flex>
        ),
    },
  ];

  const statuses: (DeletionStatus | 'all')[] = ['requested', 'carried_out', 'rejected', 'withdrawn', 'all'];
  return (
    <Card title={t('privacy.staff.title')} data-testid="deletion-requests-page">
      <Flex vertical gap={12}>
        <Typography.Text type="secondary">{t('privacy.staff.intro')}</Typography.Text>
        <Segmented value={status} onChange={(v) => setStatus(v)} options={statuses.map((s) => ({ value: s, label: s === 'all' ? t('privacy.staff.all') : t(`privacy.deletion.status.${s}`) }))} />
        <Table<StaffDeletionRequest> rowKey="id" loading={list.isPending} dataSource={list.data?.items ?? []} columns={columns} pagination={false} scroll={{ x: true }} />
      </Flex>
      <Modal
        open={decision !== null}
        title={decision?.kind === 'carry_out' ? t('privacy.staff.carryOutTitle', { name: decision.request.personName }) : t('privacy.staff.rejectTitle')}
        okText={decision?.kind === 'carry_out' ? t('privacy.staff.carryOut') : t('privacy.staff.reject')}
        okButtonProps={{ danger: decision?.kind === 'carry_out', disabled: decision?.kind === 'reject' && text.trim().length < 2, loading: carryOut.isPending || reject.isPending, ...({ 'data-testid': 'deletion-decide' } as object) }}
        cancelText={t('common.cancel')}
        onOk={submit}
        onCancel={close}
      >
        <Flex vertical gap={8}>
          <Typography.Text>{decision?.kind === 'carry_out' ? t('privacy.staff.carryOutExplain') : t('privacy.staff.rejectExplain')}</Typography.Text>
          <Input.TextArea value={text} onChange={(e) => setText(e.target.value)} rows={3} maxLength={1000} placeholder={decision?.kind === 'carry_out' ? t('privacy.staff.notePlaceholder') : t('privacy.staff.reasonPlaceholder')} data-testid="deletion-decision-text" />
        </Flex>
      </Modal>
    </Card>
  );
}
