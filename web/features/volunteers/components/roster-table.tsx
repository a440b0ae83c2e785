import { App, Button, Card, Empty, Flex, Switch, Table, type TableProps, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { type RosterEntry, type TeamDetail, useAddToRoster, useRemoveFromRoster, useUpdateTeam } from '../api';
import { AddToRosterModal } from './team-forms';

type Props = { team: TeamDetail; canAdd: boolean };

/**
 * Who is on the team. Only names and roles are shown: whether someone is a member is not the roster's
 * to say (a leader who is not staff receives no ids at all). The leader is marked; the leader or staff
 * take people off; staff hand the team over.
 */
export function RosterTable({ team, canAdd }: Props) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const reportError = useApiErrorReporter();
  const remove = useRemoveFromRoster(team.id);
  const update = useUpdateTeam(team.id);
  const promote = useAddToRoster(team.id);
  const [showFormer, setShowFormer] = useState(false);
  const [adding, setAdding] = useState(false);
  const roster = (team.roster ?? []).filter((entry) => showFormer || entry.leftOn === null);
  const open = team.closedOn === null;

  const confirmRemove = (entry: RosterEntry) =>
    modal.confirm({
      title: t('volunteers.roster.removeTitle', { name: entry.name ?? t('volunteers.unnamed') }),
      content: t('volunteers.roster.removeBody'),
      okText: t('volunteers.roster.remove'),
      okButtonProps: { danger: true, ...({ 'data-testid': 'remove-confirm' } as object) },
      cancelText: t('common.cancel'),
      onOk: () => remove.mutateAsync(entry.id).catch((error: unknown) => reportError(error)),
    });

  // The leader is always a member: a worker is taken as the member they also are, or the server says why not.
  const confirmHandOver = (entry: RosterEntry) =>
    modal.confirm({
      title: t('volunteers.roster.handOverTitle', { name: entry.name ?? t('volunteers.unnamed') }),
      content: t('volunteers.roster.handOverBody'),
      okText: t('volunteers.roster.handOver'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          if (entry.memberId !== null) await update.mutateAsync({ leaderMemberId: entry.memberId });
          else if (entry.workerId !== null) await promote.mutateAsync({ workerId: entry.workerId, role: 'leader' });
          void message.success(t('volunteers.roster.handedOver'));
        } catch (error) {
          reportError(error);
        }
      },
    });

  const columns: TableProps<RosterEntry>['columns'] = [
    {
      key: 'name',
      title: t('volunteers.field.name'),
      render: (_, entry) => (
        <Flex gap={8} align="center">
          <span>{entry.name ?? <Typography.Text type="secondary">{t('volunteers.unnamed')}</Typography.Text>}</span>
          {entry.role === 'leader' && (
            <Tag color="red" data-testid="leader-tag">
              {t('volunteers.role.leader')}
            </Tag>
          )}
        </Flex>
      ),
    },
    { key: 'joined', title: t('volunteers.field.joinedOn'), dataIndex: 'joinedOn', className: 'convoy-nowrap' },
    { key: 'left', title: t('volunteers.field.leftOn'), render: (_, entry) => entry.leftOn ?? '—', className: 'convoy-nowrap' },
    {
      key: 'actions',
      title: '',
      render: (_, entry) =>
        open && entry.leftOn === null && entry.role !== 'leader' ? (
          <Flex gap={8}>
            {team.canManage && (entry.memberId !== null || entry.workerId !== null) && (
              <Button size="small" onClick={() => confirmHandOver(entry)} data-testid={`hand-over-${entry.id}`}>
                {t('volunteers.roster.handOver')}
              </Button>
            )}
            {team.canVerify && (
              <Button size="small" danger onClick={() => confirmRemove(entry)} data-testid={`remove-${entry.id}`}>
                {t('volunteers.roster.remove')}
              </Button>
            )}
          </Flex>
        ) : null,
    },
  ];

  return (
    <Card
      title={t('volunteers.roster.title')}
      extra={
        <Flex gap={12} align="center">
          <Flex gap={4} align="center">
            <Switch size="small" checked={showFormer} onChange={setShowFormer} />
            <span>{t('volunteers.roster.showFormer')}</span>
          </Flex>
          {canAdd && open && (
            <Button size="small" onClick={() => setAdding(true)} data-testid="roster-add">
              {t('volunteers.roster.add')}
            </Button>
          )}
        </Flex>
      }
    >
      <Table<RosterEntry>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={roster}
        pagination={roster.length > 50 ? { pageSize: 50 } : false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty /> }}
        data-testid="roster-table"
      />
      <AddToRosterModal open={adding} onClose={() => setAdding(false)} team={team} />
    </Card>
  );
}
