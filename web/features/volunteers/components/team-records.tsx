import { Button, Card, Empty, Flex, Select, Table, type TableProps, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SERVICE_STATUSES, type ServiceRecordView, type ServiceStatus, type TeamDetail, useTeamRecords } from '../api';
import { RecordStatusTag, useHoursText } from './labels';
import { RecordActions } from './record-actions';

type Props = { team: TeamDetail; ownRecordIds: ReadonlySet<number> };

/** The team's service records, newest first, for the leader and staff; pending ones are verified or rejected here. */
export function TeamRecords({ team, ownRecordIds }: Props) {
  const { t } = useTranslation();
  const hours = useHoursText();
  const [status, setStatus] = useState<ServiceStatus | undefined>('pending');
  const records = useTeamRecords(team.id, status, team.roster !== null);
  const items = records.data?.pages.flatMap((page) => page.items) ?? [];
  const columns: TableProps<ServiceRecordView>['columns'] = [
    { key: 'date', title: t('volunteers.record.date'), dataIndex: 'serviceDate', className: 'convoy-nowrap' },
    { key: 'name', title: t('volunteers.field.name'), render: (_, r) => r.name ?? <Typography.Text type="secondary">{t('volunteers.unnamed')}</Typography.Text> },
    { key: 'hours', title: t('volunteers.record.hours'), render: (_, r) => hours(r.hours), className: 'convoy-nowrap' },
    {
      key: 'description',
      title: t('volunteers.record.description'),
      render: (_, r) => (
        <Flex vertical>
          <span>{r.description}</span>
          {r.rejectReason && <Typography.Text type="danger">{t('volunteers.records.reasonShown', { reason: r.rejectReason })}</Typography.Text>}
        </Flex>
      ),
    },
    { key: 'status', title: t('volunteers.field.status'), render: (_, r) => <RecordStatusTag status={r.status} /> },
    {
      key: 'actions',
      title: '',
      render: (_, r) => <RecordActions record={r} canDecide={team.canVerify} canRevoke={team.canManage} own={ownRecordIds.has(r.id)} />,
    },
  ];
  return (
    <Card
      title={t('volunteers.records.title')}
      extra={
        <Select<ServiceStatus | 'all'>
          size="small"
          value={status ?? 'all'}
          onChange={(next) => setStatus(next === 'all' ? undefined : next)}
          style={{ width: 120 }}
          options={[...SERVICE_STATUSES.map((s) => ({ value: s, label: t(`volunteers.status.${s}`) })), { value: 'all' as const, label: t('volunteers.filter.all') }]}
          data-testid="team-records-status"
        />
      }
    >
      <Table<ServiceRecordView>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={items}
        loading={records.isPending}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description={t('volunteers.records.empty')} /> }}
        data-testid="team-records"
      />
      {records.hasNextPage && (
        <Button block onClick={() => void records.fetchNextPage()} loading={records.isFetchingNextPage} style={{ marginTop: 8 }}>
          {t('common.loadMore')}
        </Button>
      )}
    </Card>
  );
}
