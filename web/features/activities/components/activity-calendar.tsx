import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { Badge, Button, Calendar, Flex, Spin, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
// antd names the weekdays through dayjs's locale data for the ConfigProvider's locale: load the Chinese one.
import 'dayjs/locale/zh-cn';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { chinaToday } from '../../../lib/format';
import { type Activity, useActivities } from '../api';
import { chinaClockOf, chinaDateOf, chinaMonthRange, shiftMonth } from '../time';

const SHOWN_PER_DAY = 3;

function DayCell({ items }: { items: Activity[] }) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={2} style={{ fontSize: 12 }}>
      {items.slice(0, SHOWN_PER_DAY).map((a) => (
        <Link key={a.id} to={`/activities/${a.id}`} data-testid="calendar-activity" title={a.title} style={{ textDecoration: a.status === 'cancelled' ? 'line-through' : undefined }}>
          <Badge status={a.status === 'cancelled' ? 'default' : 'processing'} text={<span style={{ fontSize: 12 }}>{`${chinaClockOf(a.startsAt)} ${a.title}`}</span>} />
        </Link>
      ))}
      {items.length > SHOWN_PER_DAY && <Typography.Text type="secondary">{t('activities.calendar.more', { count: items.length - SHOWN_PER_DAY })}</Typography.Text>}
    </Flex>
  );
}

type Props = {
  unitId: number;
  /** YYYY-MM, China time. */
  month: string;
  onMonthChange: (month: string) => void;
};

/** A month of a unit subtree's activities on antd's Calendar; each day lists its activities by start time. */
export function ActivityCalendar({ unitId, month, onMonthChange }: Props) {
  const { t } = useTranslation();
  const range = chinaMonthRange(month);
  const activities = useActivities({ unitId, from: range.from, to: range.to });
  const byDay = new Map<string, Activity[]>();
  for (const a of activities.data ?? []) {
    const day = chinaDateOf(a.startsAt);
    byDay.set(day, [...(byDay.get(day) ?? []), a]);
  }

  return (
    <Spin spinning={activities.isFetching}>
      <div data-testid="activity-calendar">
        <Calendar
          // Today stands out in its own month; another month opens on its first day.
          value={dayjs(chinaToday().startsWith(month) ? chinaToday() : `${month}-01`)}
          mode="month"
          headerRender={() => (
            <Flex align="center" gap={8} style={{ padding: '8px 0' }}>
              <Button icon={<LeftOutlined />} aria-label={t('activities.calendar.previous')} onClick={() => onMonthChange(shiftMonth(month, -1))} data-testid="calendar-previous" />
              <Typography.Title level={5} style={{ margin: 0, minWidth: 96, textAlign: 'center' }} data-testid="calendar-month">
                {month}
              </Typography.Title>
              <Button icon={<RightOutlined />} aria-label={t('activities.calendar.next')} onClick={() => onMonthChange(shiftMonth(month, 1))} data-testid="calendar-next" />
              <Typography.Text type="secondary">{t('activities.calendar.count', { count: activities.data?.length ?? 0 })}</Typography.Text>
            </Flex>
          )}
          // Clicking a day of the next or previous month turns the page to it.
          onSelect={(date: Dayjs) => {
            const picked = date.format('YYYY-MM');
            if (picked !== month) onMonthChange(picked);
          }}
          cellRender={(current: Dayjs, info) => (info.type === 'date' ? <DayCell items={byDay.get(current.format('YYYY-MM-DD')) ?? []} /> : info.originNode)}
        />
      </div>
    </Spin>
  );
}
