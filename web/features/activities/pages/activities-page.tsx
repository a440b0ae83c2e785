import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Tabs } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { chinaToday } from '../../../lib/format';
import { UnitScopeBar, useScopeUnitId } from '../../appeals/components/unit-scope';
import { useMe } from '../../auth/api';
import { ACTIVITY_STAFF_ROLES, canOrganizeActivities } from '../api';
import { ActivityCalendar } from '../components/activity-calendar';
import { ActivityFormModal } from '../components/activity-form';
import { ActivityTable } from '../components/activity-table';
import { AttendancePanel } from '../components/attendance-panel';
import { FeedLinks } from '../components/feed-links';

const VIEWS = ['calendar', 'list', 'attendance'] as const;
type View = (typeof VIEWS)[number];

/** 活动组织: a unit subtree's activities on a calendar and in a list, attendance per month, the feeds. */
export function ActivitiesPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useMe().data;
  const [params, setParams] = useSearchParams();
  const [unitId, setUnitId] = useScopeUnitId(ACTIVITY_STAFF_ROLES, false);
  const [creating, setCreating] = useState(false);
  const view: View = VIEWS.find((v) => v === params.get('view')) ?? 'calendar';
  const month = /^\d{4}-\d{2}$/.test(params.get('month') ?? '') ? (params.get('month') as string) : chinaToday().slice(0, 7);
  const change = (patch: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(patch)) next.set(key, value);
    setParams(next, { replace: true });
  };
  // Analysts read; those who may write (org.write) organize. The server decides per unit either way.
  const mayOrganize = canOrganizeActivities(me);

  return (
    <Card title={t('activities.title')} data-testid="activities-page">
      <Flex vertical gap={16}>
        <Flex wrap gap={12} align="center" justify="space-between">
          <UnitScopeBar unitId={unitId} onChange={setUnitId} />
          <Flex gap={8} wrap>
            {unitId !== null && <FeedLinks unitId={unitId} />}
            {mayOrganize && unitId !== null && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="activity-new">
                {t('activities.new')}
              </Button>
            )}
          </Flex>
        </Flex>
        {unitId !== null && (
          <Tabs
            activeKey={view}
            onChange={(key) => change({ view: key })}
            data-testid="activities-views"
            items={[
              { key: 'calendar', label: t('activities.views.calendar'), children: <ActivityCalendar unitId={unitId} month={month} onMonthChange={(m) => change({ month: m })} /> },
              { key: 'list', label: t('activities.views.list'), children: <ActivityTable unitId={unitId} /> },
              { key: 'attendance', label: t('activities.views.attendance'), children: <AttendancePanel unitId={unitId} /> },
            ]}
          />
        )}
      </Flex>
      {creating && unitId !== null && (
        <ActivityFormModal open unitId={unitId} activity={null} onClose={() => setCreating(false)} onSaved={(a) => void navigate(`/activities/${a.id}`)} />
      )}
    </Card>
  );
}
