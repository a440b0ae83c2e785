import { App, Button, Card, Empty, Flex, Grid, List, Select, Space, Table, type TableProps, Tabs, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { allowedSteps, TRANSFER_STATUSES, type TransferDirection, type TransferItem, type TransferStatus, useDecideTransfer, useTransferList } from '../api';
import { enumOptions } from '../components/enum-options';
import { TransferStatusTag } from '../components/member-tags';
import { ReasonModal } from '../components/reason-modal';
import { TransferSteps } from '../components/transfer-steps';

function useTransferActions(direction: TransferDirection) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const reportError = useApiErrorReporter();
  const decide = useDecideTransfer();
  const [rejecting, setRejecting] = useState<TransferItem | null>(null);

  const render = (transfer: TransferItem) => {
    const steps = allowedSteps(transfer, direction);
    if (steps.length === 0) return null;
    const busy = decide.isPending && decide.variables?.id === transfer.id;
    return (
      <Space wrap>
        {steps.includes('approve') && (
          <Button
            type="primary"
            loading={busy && decide.variables?.step === 'approve'}
            data-testid={`transfer-approve-${transfer.id}`}
            onClick={() =>
              decide.mutate({ id: transfer.id, step: 'approve' }, { onSuccess: () => void message.success(t('members.transfers.approved')), onError: (e) => reportError(e) })
            }
          >
            {t('members.transfers.approve')}
          </Button>
        )}
        {steps.includes('accept') && (
          <Button
            type="primary"
            loading={busy && decide.variables?.step === 'accept'}
            data-testid={`transfer-accept-${transfer.id}`}
            onClick={() =>
              decide.mutate({ id: transfer.id, step: 'accept' }, { onSuccess: () => void message.success(t('members.transfers.accepted')), onError: (e) => reportError(e) })
            }
          >
            {t('members.transfers.accept')}
          </Button>
        )}
        {steps.includes('reject') && (
          <Button danger onClick={() => setRejecting(transfer)} data-testid={`transfer-reject-${transfer.id}`}>
            {t('members.transfers.reject')}
          </Button>
        )}
      </Space>
    );
  };

  const modal = (
    <ReasonModal
      open={rejecting !== null}
      title={t('members.transfers.rejectTitle', { name: rejecting?.memberName ?? '' })}
      label={t('members.transfers.rejectReason')}
      submitting={decide.isPending}
      onClose={() => setRejecting(null)}
      onSubmit={async (reason) => {
        if (!rejecting) return;
        await decide.mutateAsync({ id: rejecting.id, step: 'reject', reason });
        void message.success(t('members.transfers.rejected'));
      }}
    />
  );
  return { render, modal };
}

function MemberLink({ transfer }: { transfer: TransferItem }) {
  return <Link to={`/members/${transfer.memberId}`}>{transfer.memberName}</Link>;
}

function TransferList({ direction, status }: { direction: TransferDirection; status?: TransferStatus }) {
  const { t } = useTranslation();
  const narrow = Grid.useBreakpoint().md === false;
  const list = useTransferList(direction, status);
  const transfers = list.data?.pages.flatMap((page) => page.items) ?? [];
  const actions = useTransferActions(direction);
  const reportError = useApiErrorReporter();
  useEffect(() => {
    if (list.error) reportError(list.error);
  }, [list.error, reportError]);
  const loading = list.isPending || (list.isFetching && !list.isFetchingNextPage);
  const empty = <Empty description={t('members.transfers.empty')} />;

  const columns: TableProps<TransferItem>['columns'] = [
    { key: 'member', title: t('members.transfers.member'), render: (_, tr) => <MemberLink transfer={tr} /> },
    {
      key: 'route',
      title: t('members.transfers.route'),
      render: (_, tr) => (
        <Flex vertical>
          <span>{tr.fromUnitName ?? `#${tr.fromUnitId}`}</span>
          <span>→ {tr.toUnitName ?? `#${tr.toUnitId}`}</span>
        </Flex>
      ),
    },
    { key: 'reason', title: t('members.transfers.reason'), dataIndex: 'reason', width: 180 },
    { key: 'status', title: t('members.statusColumn'), render: (_, tr) => <TransferStatusTag status={tr.status} /> },
    { key: 'steps', title: t('members.transfers.steps'), render: (_, tr) => <TransferSteps transfer={tr} /> },
    { key: 'actions', title: t('members.transfers.actions'), render: (_, tr) => actions.render(tr) },
  ];

  return (
    <>
      {narrow ? (
        <List<TransferItem>
          loading={loading}
          dataSource={transfers}
          split={false}
          locale={{ emptyText: empty }}
          data-testid={`transfer-cards-${direction}`}
          renderItem={(tr) => (
            <List.Item key={tr.id} style={{ padding: '4px 0' }}>
              <Card size="small" style={{ width: '100%' }} data-testid={`transfer-row-${tr.id}`}>
                <Flex justify="space-between" align="center" gap={8}>
                  <Typography.Text strong style={{ fontSize: 16 }}>
                    <MemberLink transfer={tr} />
                  </Typography.Text>
                  <TransferStatusTag status={tr.status} />
                </Flex>
                <Typography.Paragraph style={{ margin: '4px 0' }}>
                  {tr.fromUnitName ?? `#${tr.fromUnitId}`} → {tr.toUnitName ?? `#${tr.toUnitId}`}
                </Typography.Paragraph>
                <Typography.Paragraph type="secondary" style={{ margin: '4px 0' }}>
                  {t('members.transfers.reason')}：{tr.reason}
                </Typography.Paragraph>
                <TransferSteps transfer={tr} />
                <div style={{ marginTop: 8 }}>{actions.render(tr)}</div>
              </Card>
            </List.Item>
          )}
        />
      ) : (
        <Table<TransferItem>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={transfers}
          loading={loading}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: empty }}
          onRow={(tr) => ({ 'data-testid': `transfer-row-${tr.id}` }) as object}
          data-testid={`transfer-table-${direction}`}
        />
      )}
      <Flex justify="center" align="center" gap={12} style={{ marginTop: 16 }}>
        <Typography.Text type="secondary">{t('members.transfers.loaded', { count: transfers.length })}</Typography.Text>
        {list.hasNextPage ? (
          <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        ) : (
          list.isSuccess && <Typography.Text type="secondary">{t('common.noMore')}</Typography.Text>
        )}
      </Flex>
      {actions.modal}
    </>
  );
}

/** Transfers of relation leaving the user's branches (approve or reject) and arriving at them (accept or reject). */
export function TransfersPage() {
  const { t } = useTranslation();
  const narrow = Grid.useBreakpoint().md === false;
  const [direction, setDirection] = useState<TransferDirection>('outgoing');
  const [status, setStatus] = useState<TransferStatus | undefined>(undefined);
  return (
    <Card title={t('members.transfers.title')} styles={narrow ? { body: { padding: 12 } } : undefined}>
      <Tabs
        activeKey={direction}
        onChange={(key) => setDirection(key as TransferDirection)}
        items={[
          { key: 'outgoing', label: <span data-testid="transfers-tab-outgoing">{t('members.transfers.outgoing')}</span> },
          { key: 'incoming', label: <span data-testid="transfers-tab-incoming">{t('members.transfers.incoming')}</span> },
        ]}
        tabBarExtraContent={
          <Select<TransferStatus>
            allowClear
            value={status}
            onChange={(next) => setStatus(next ?? undefined)}
            placeholder={t('members.transfers.allStatuses')}
            options={enumOptions(t, 'members.transfers.status', TRANSFER_STATUSES)}
            style={{ width: narrow ? 150 : 180 }}
            data-testid="transfer-filter-status"
          />
        }
      />
      <TransferList key={direction} direction={direction} status={status} />
    </Card>
  );
}
