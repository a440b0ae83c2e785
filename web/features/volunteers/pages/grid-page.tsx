import { PlusOutlined } from '@ant-design/icons';
import { Button, Empty, Flex, Select, Table, type TableProps, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { chinaToday } from '../../../lib/format';
import { UnitScopeBar, useScopeUnitId } from '../../appeals/components/unit-scope';
import { type GridActive, type GridRoleView, VOLUNTEER_STAFF_ROLES, useGridRoles } from '../api';
import { CreateGridRoleModal, EndGridRoleModal } from '../components/grid-forms';
import { usePeriodText } from '../components/labels';
import { VolunteersTabs } from '../components/volunteers-tabs';

/** Workers serving as community grid members (网格员) in a unit's subtree: staff only, each read audited. */
export function GridPage() {
  const { t } = useTranslation();
  const period = usePeriodText();
  const [unitId, setUnitId] = useScopeUnitId(VOLUNTEER_STAFF_ROLES, false);
  const [active, setActive] = useState<GridActive>('true');
  const [creating, setCreating] = useState(false);
  const [ending, setEnding] = useState<GridRoleView | null>(null);
  const roles = useGridRoles(unitId, active);
  const items = roles.data?.pages.flatMap((page) => page.items) ?? [];
  const columns: TableProps<GridRoleView>['columns'] = [
    { key: 'name', title: t('volunteers.field.name'), render: (_, r) => r.name ?? <Typography.Text type="secondary">{t('volunteers.unnamed')}</Typography.Text> },
    { key: 'title', title: t('volunteers.grid.roleTitle'), render: (_, r) => t(`volunteers.gridTitle.${r.roleTitle}`) },
    { key: 'community', title: t('volunteers.grid.community'), render: (_, r) => `${r.cityName ?? r.cityCode} · ${r.communityName}` },
    { key: 'grid', title: t('volunteers.grid.gridName'), render: (_, r) => (r.gridNumber ? `${r.gridName}（${r.gridNumber}）` : r.gridName) },
    { key: 'period', title: t('volunteers.grid.period'), render: (_, r) => period(r.fromDate, r.toDate), className: 'convoy-nowrap' },
    {
      key: 'actions',
      title: '',
      render: (_, r) =>
        r.toDate === null || r.toDate > chinaToday() ? (
          <Button size="small" danger onClick={() => setEnding(r)} data-testid={`grid-end-${r.id}`}>
            {t('volunteers.grid.end')}
          </Button>
        ) : null,
    },
  ];
  return (
    <Flex vertical gap={12}>
      <VolunteersTabs />
      <Flex wrap gap={8} align="center" justify="space-between">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('volunteers.grid.title')}
        </Typography.Title>
        {unitId !== null && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="grid-create">
            {t('volunteers.grid.create')}
          </Button>
        )}
      </Flex>
      <UnitScopeBar unitId={unitId} onChange={setUnitId} />
      <Select<GridActive>
        value={active}
        onChange={setActive}
        style={{ width: 160 }}
        options={(['true', 'false', 'all'] as const).map((a) => ({ value: a, label: t(`volunteers.grid.active.${a}`) }))}
      />
      <Table<GridRoleView>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={items}
        loading={roles.isPending && unitId !== null}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description={t('volunteers.grid.empty')} /> }}
        data-testid="grid-table"
      />
      {roles.hasNextPage && (
        <Button onClick={() => void roles.fetchNextPage()} loading={roles.isFetchingNextPage}>
          {t('common.loadMore')}
        </Button>
      )}
      {unitId !== null && <CreateGridRoleModal open={creating} onClose={() => setCreating(false)} unitId={unitId} />}
      {ending && <EndGridRoleModal open onClose={() => setEnding(null)} role={ending} />}
    </Flex>
  );
}
