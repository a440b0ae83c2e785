import { App, Button, Card, Empty, Flex, Grid, List, Space, Table, type TableProps, Tabs, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { formatChinaDateTime } from '../../../lib/format';
import { DECLARATION_STATUSES, type DeclarationItem, type DeclarationStatus, useDeclarationList, useRejectDeclaration } from '../api';
import { DeclarationStatusTag } from '../components/member-tags';
import { ReasonModal } from '../components/reason-modal';
import { VerifyDeclarationModal } from '../components/verify-declaration-modal';

/** Declarations (摸排) routed to the user's branches, oldest first: verify into a member, or reject with a reason the worker sees. */
export function DeclarationsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const narrow = Grid.useBreakpoint().md === false;
  const [status, setStatus] = useState<DeclarationStatus>('pending');
  const list = useDeclarationList(status);
  const declarations = list.data?.pages.flatMap((page) => page.items) ?? [];
  const reject = useRejectDeclaration();
  const [verifying, setVerifying] = useState<DeclarationItem | null>(null);
  const [rejecting, setRejecting] = useState<DeclarationItem | null>(null);
  const reportError = useApiErrorReporter();
  useEffect(() => {
    if (list.error) reportError(list.error);
  }, [list.error, reportError]);
  const loading = list.isPending || (list.isFetching && !list.isFetchingNextPage);

  const actions = (d: DeclarationItem) => {
    if (d.status === 'verified' && d.memberId) return <Link to={`/members/${d.memberId}`}>{t('members.declarations.viewMember')}</Link>;
    if (d.status !== 'pending') return null;
    return (
      <Space wrap>
        <Button type="primary" onClick={() => setVerifying(d)} data-testid={`declaration-verify-${d.id}`}>
          {t('members.declarations.verify')}
        </Button>
        <Button danger onClick={() => setRejecting(d)} data-testid={`declaration-reject-${d.id}`}>
          {t('members.declarations.reject')}
        </Button>
      </Space>
    );
  };
  const decided = (d: DeclarationItem) =>
    d.decidedAt ? (
      <Flex vertical>
        <span className="convoy-nowrap">{formatChinaDateTime(d.decidedAt)}</span>
        {d.decisionReason && <Typography.Text type="secondary">{d.decisionReason}</Typography.Text>}
      </Flex>
    ) : null;

  const columns: TableProps<DeclarationItem>['columns'] = [
    { key: 'worker', title: t('members.declarations.worker'), render: (_, d) => <Link to={`/workers/${d.workerId}`}>{d.workerName}</Link> },
    { key: 'phone', title: t('members.declarations.phone'), dataIndex: 'phone', className: 'convoy-nowrap' },
    { key: 'homeOrg', title: t('members.declarations.homeOrg'), dataIndex: 'homeOrgText', width: 240 },
    { key: 'joinDate', title: t('members.declarations.joinDate'), dataIndex: 'joinDate', className: 'convoy-nowrap' },
    { key: 'createdAt', title: t('members.declarations.createdAt'), render: (_, d) => <span className="convoy-nowrap">{formatChinaDateTime(d.createdAt)}</span> },
    { key: 'status', title: t('members.statusColumn'), render: (_, d) => <DeclarationStatusTag status={d.status} /> },
    ...(status === 'pending' ? [] : [{ key: 'decidedAt', title: t('members.declarations.decidedAt'), render: (_: unknown, d: DeclarationItem) => decided(d) }]),
    { key: 'actions', title: t('members.declarations.actions'), render: (_, d) => actions(d) },
  ];
  const empty = <Empty description={status === 'pending' ? t('members.declarations.empty') : t('common.empty')} />;

  return (
    <Card title={t('members.declarations.title')} styles={narrow ? { body: { padding: 12 } } : undefined}>
      <Tabs
        activeKey={status}
        onChange={(key) => setStatus(key as DeclarationStatus)}
        items={DECLARATION_STATUSES.map((s) => ({ key: s, label: <span data-testid={`declarations-tab-${s}`}>{t(`members.declarations.status.${s}`)}</span> }))}
      />
      {narrow ? (
        <List<DeclarationItem>
          loading={loading}
          dataSource={declarations}
          split={false}
          locale={{ emptyText: empty }}
          data-testid="declaration-cards"
          renderItem={(d) => (
            <List.Item key={d.id} style={{ padding: '4px 0' }}>
              <Card size="small" style={{ width: '100%' }} data-testid={`declaration-row-${d.id}`}>
                <Flex justify="space-between" align="center" gap={8}>
                  <Typography.Text strong style={{ fontSize: 16 }}>
                    {d.workerName}
                  </Typography.Text>
                  <DeclarationStatusTag status={d.status} />
                </Flex>
                <Typography.Paragraph style={{ margin: '4px 0' }}>{d.homeOrgText}</Typography.Paragraph>
                <Typography.Paragraph type="secondary" style={{ margin: '4px 0' }}>
                  {d.phone} · {t('members.declarations.joinDate')} {d.joinDate} · {formatChinaDateTime(d.createdAt)}
                </Typography.Paragraph>
                {decided(d)}
                <div style={{ marginTop: 8 }}>{actions(d)}</div>
              </Card>
            </List.Item>
          )}
        />
      ) : (
        <Table<DeclarationItem>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={declarations}
          loading={loading}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: empty }}
          onRow={(d) => ({ 'data-testid': `declaration-row-${d.id}` }) as object}
          data-testid="declaration-table"
        />
      )}
      <Flex justify="center" align="center" gap={12} style={{ marginTop: 16 }}>
        <Typography.Text type="secondary">{t('members.declarations.loaded', { count: declarations.length })}</Typography.Text>
        {list.hasNextPage ? (
          <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        ) : (
          list.isSuccess && <Typography.Text type="secondary">{t('common.noMore')}</Typography.Text>
        )}
      </Flex>
      <VerifyDeclarationModal declaration={verifying} onClose={() => setVerifying(null)} />
      <ReasonModal
        open={rejecting !== null}
        title={t('members.declarations.rejectTitle', { name: rejecting?.workerName ?? '' })}
        label={t('members.declarations.rejectReason')}
        submitting={reject.isPending}
        onClose={() => setRejecting(null)}
        onSubmit={async (reason) => {
          if (!rejecting) return;
          await reject.mutateAsync({ id: rejecting.id, reason });
          void message.success(t('members.declarations.rejected'));
        }}
      />
    </Card>
  );
}
