import { Button, Card, Flex, Input, Modal, Segmented, Table, type TableProps, Tag, theme, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { formatChinaDateTime } from '../../../lib/format';
import { type DeletionStatus, type StaffDeletionRequest, useCarryOutDeletion, useRejectDeletion, useStaffDeletionRequests } from '../api';

type Decision = { request: StaffDeletionRequest; kind: 'carry_out' | 'reject' };

/** Staff over the workers' serving units answer deletion requests: carry out, or refuse with a reason. Overdue ones first, in red. */
export function DeletionRequestsPage() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const reportError = useApiErrorReporter();
  const [status, setStatus] = useState<DeletionStatus | 'all'>('requested');
  const list = useStaffDeletionRequests(status === 'all' ? undefined : status);
  // The server sorts by due date, which puts the overdue first among waiting requests; on the "all" tab
  // decided requests with older due dates would come before them, so overdue ones are lifted here (stable).
  const rows = useMemo(() => [...(list.data?.items ?? [])].sort((a, b) => Number(b.overdue) - Number(a.overdue)), [list.data]);
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
    {
      key: 'dueAt',
      title: t('privacy.staff.dueAt'),
      render: (_, r) => (
        <Flex vertical gap={2}>
          <Typography.Text type={r.overdue ? 'danger' : undefined}>{formatChinaDateTime(r.dueAt)}</Typography.Text>
          {r.overdue && (
            <Tag color="error" data-testid={`deletion-overdue-${r.id}`}>
              {t('privacy.staff.overdue')}
            </Tag>
          )}
          {r.escalatedAt && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid={`deletion-escalated-${r.id}`}>
              {r.escalatedToUnitName ? t('privacy.staff.escalatedTo', { unit: r.escalatedToUnitName }) : t('privacy.staff.escalatedToAdmins')}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
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
        <Typography.Text type="secondary">{t('privacy.staff.overdueHint')}</Typography.Text>
        <Segmented value={status} onChange={(v) => setStatus(v)} options={statuses.map((s) => ({ value: s, label: s === 'all' ? t('privacy.staff.all') : t(`privacy.deletion.status.${s}`) }))} />
        <Table<StaffDeletionRequest>
          rowKey="id"
          loading={list.isPending}
          dataSource={rows}
          columns={columns}
          pagination={false}
          scroll={{ x: true }}
          onRow={(r) => (r.overdue ? { style: { background: token.colorErrorBg }, 'data-overdue': 'true' } : {}) as React.HTMLAttributes<HTMLElement>}
        />
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
