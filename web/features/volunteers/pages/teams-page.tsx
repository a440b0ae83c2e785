import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Flex, Grid, List, Select, Table, type TableProps, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { useMe } from '../../auth/api';
import { UnitPicker } from '../../org/components/unit-picker';
import { type TeamFilters, type TeamSummary, isVolunteerStaff, useTeams } from '../api';
import { CreateTeamModal } from '../components/team-forms';
import { VolunteersTabs } from '../components/volunteers-tabs';

function TeamName({ team }: { team: TeamSummary }) {
  const { t } = useTranslation();
  return (
    <Flex gap={8} wrap align="center">
      <Link to={`/volunteers/teams/${team.id}`} data-testid={`team-link-${team.id}`}>
        {team.name}
      </Link>
      {team.closedOn && <Tag>{t('volunteers.team.closedOn', { date: team.closedOn })}</Tag>}
    </Flex>
  );
}

function TeamTable({ teams, loading }: { teams: TeamSummary[]; loading: boolean }) {
  const { t } = useTranslation();
  const columns: TableProps<TeamSummary>['columns'] = [
    { key: 'name', title: t('volunteers.field.teamName'), render: (_, team) => <TeamName team={team} /> },
    { key: 'unit', title: t('volunteers.field.unit'), dataIndex: 'unitName' },
    { key: 'volunteers', title: t('volunteers.field.activeVolunteers'), dataIndex: 'activeVolunteers', align: 'right' },
    { key: 'founded', title: t('volunteers.field.foundedOn'), dataIndex: 'foundedOn', className: 'convoy-nowrap' },
  ];
  return (
    <Table<TeamSummary>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={teams}
      loading={loading}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: <Empty description={t('volunteers.team.empty')} /> }}
      data-testid="team-table"
    />
  );
}

/** Teams of the user's scope (or one unit's subtree); staff found new ones. Names of people are on each team's page. */
export function TeamsPage() {
  const { t } = useTranslation();
  const me = useMe().data;
  const navigate = useNavigate();
  const narrow = Grid.useBreakpoint().md === false;
  const [filters, setFilters] = useState<TeamFilters>({ status: 'open' });
  const [creating, setCreating] = useState(false);
  const teams = useTeams(filters);
  const items = teams.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Flex vertical gap={12}>
      <VolunteersTabs />
      <Flex wrap gap={8} align="center" justify="space-between">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('volunteers.team.listTitle')}
        </Typography.Title>
        {isVolunteerStaff(me) && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="team-create">
            {t('volunteers.team.create')}
          </Button>
        )}
      </Flex>
      <Flex wrap gap={8}>
        <div style={{ width: 280 }}>
          <UnitPicker value={filters.unitId} onChange={(unitId) => setFilters((f) => ({ ...f, unitId }))} />
        </div>
        <Select
          value={filters.status}
          onChange={(status) => setFilters((f) => ({ ...f, status }))}
          style={{ width: 140 }}
          options={(['open', 'closed', 'all'] as const).map((s) => ({ value: s, label: t(`volunteers.filter.${s}`) }))}
          data-testid="team-status-filter"
        />
        {filters.unitId !== undefined && <Button onClick={() => setFilters((f) => ({ ...f, unitId: undefined }))}>{t('common.reset')}</Button>}
      </Flex>
      {narrow ? (
        <Card>
          <List
            loading={teams.isPending}
            dataSource={items}
            locale={{ emptyText: <Empty description={t('volunteers.team.empty')} /> }}
            renderItem={(team) => (
              <List.Item>
                <List.Item.Meta title={<TeamName team={team} />} description={`${team.unitName} · ${t('volunteers.team.activeVolunteers', { count: team.activeVolunteers })}`} />
              </List.Item>
            )}
          />
        </Card>
      ) : (
        <TeamTable teams={items} loading={teams.isPending} />
      )}
      {teams.hasNextPage && (
        <Button onClick={() => void teams.fetchNextPage()} loading={teams.isFetchingNextPage}>
          {t('common.loadMore')}
        </Button>
      )}
      <CreateTeamModal open={creating} onClose={() => setCreating(false)} onCreated={(id) => void navigate(`/volunteers/teams/${id}`)} />
    </Flex>
  );
}
