import { Flex, Input, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { chinaToday } from '../../../lib/format';
import { ACTIVITY_KINDS, type Activity, type ActivityKind, useActivities } from '../api';
import { formatChinaSpan } from '../time';
import { ActivityStatusTag, KindTag, venueText } from './activity-tags';

type Filters = { kind?: ActivityKind; status?: 'scheduled' | 'cancelled'; fromDay: string; toDay: string };

/** A China date's first instant (inclusive) and the next day's (exclusive), for the API's range. */
const dayStart = (day: string) => new Date(`${day}T00:00:00+08:00`).toISOString();
const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00+08:00`) + 86_400_000).toISOString();

function SignUps({ a }: { a: Activity }) {
  const { t } = useTranslation();
  const seats = a.capacity === null ? t('activities.list.unlimited') : `${a.counts.confirmed}/${a.capacity}`;
  return (
    <span>
      {a.capacity === null ? `${a.counts.confirmed} · ${seats}` : seats}
      {a.counts.waitlisted > 0 && <Typography.Text type="warning">{` ${t('activities.list.waitlisted', { count: a.counts.waitlisted })}`}</Typography.Text>}
    </span>
  );
}

/** 活动列表 of a unit subtree, filtered by kind, status and a date range (China dates). */
export function ActivityTable({ unitId }: { unitId: number }) {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<Filters>({ fromDay: chinaToday(), toDay: '' });
  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));
  const activities = useActivities({
    unitId,
    kind: filters.kind,
    status: filters.status,
    from: filters.fromDay ? dayStart(filters.fromDay) : undefined,
    to: filters.toDay ? dayAfter(filters.toDay) : undefined,
  });

  return (
    <Flex vertical gap={12}>
      <Space wrap data-testid="activity-filters">
        <Select<ActivityKind>
          allowClear
          placeholder={t('activities.field.kind')}
          style={{ width: 160 }}
          value={filters.kind}
          onChange={(kind) => set({ kind })}
          options={ACTIVITY_KINDS.map((k) => ({ value: k, label: t(`activities.kind.${k}`) }))}
          data-testid="filter-kind"
        />
        <Select<'scheduled' | 'cancelled'>
          allowClear
          placeholder={t('activities.list.status')}
          style={{ width: 140 }}
          value={filters.status}
          onChange={(status) => set({ status })}
          options={[
            { value: 'scheduled', label: t('activities.list.scheduled') },
            { value: 'cancelled', label: t('activities.status.cancelled') },
          ]}
          data-testid="filter-status"
        />
        <Space.Compact>
          <Input type="date" value={filters.fromDay} onChange={(e) => set({ fromDay: e.target.value })} aria-label={t('activities.list.from')} data-testid="filter-from" />
          <Input type="date" value={filters.toDay} onChange={(e) => set({ toDay: e.target.value })} aria-label={t('activities.list.to')} data-testid="filter-to" />
        </Space.Compact>
      </Space>
      <Table<Activity>
        rowKey="id"
        size="middle"
        loading={activities.isFetching}
        dataSource={activities.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 900 }}
        data-testid="activity-table"
        columns={[
          { key: 'when', title: t('activities.list.when'), width: 200, render: (_, a) => formatChinaSpan(a.startsAt, a.endsAt) },
          {
            key: 'title',
            title: t('activities.field.title'),
            render: (_, a) => (
              <Space size={6} wrap>
                <KindTag kind={a.kind} />
                <Link to={`/activities/${a.id}`} data-testid="activity-link">
                  {a.title}
                </Link>
              </Space>
            ),
          },
          { key: 'venue', title: t('activities.field.venue'), ellipsis: true, render: (_, a) => venueText(a) },
          { key: 'unit', title: t('activities.list.organizer'), dataIndex: 'unitName', ellipsis: true },
          { key: 'signUps', title: t('activities.list.signUps'), width: 130, render: (_, a) => <SignUps a={a} /> },
          { key: 'checkedIn', title: t('activities.list.checkedIn'), width: 80, render: (_, a) => a.counts.checkedIn },
          { key: 'status', title: t('activities.list.status'), width: 90, render: (_, a) => <ActivityStatusTag activity={a} /> },
        ]}
      />
    </Flex>
  );
}
