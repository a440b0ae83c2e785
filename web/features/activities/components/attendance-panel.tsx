import { Empty, Flex, Table, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { chinaToday } from '../../../lib/format';
import { type ChartOption, EChart } from '../../../lib/echart';
import { type Attendance, useAttendance } from '../api';
import { shiftMonth } from '../time';

const MONTHS = 6;

type Row = Attendance['totals'] & { month: string };

/** Person-times per month for a unit subtree (aggregates only: no names), the last six months in China time. */
export function AttendancePanel({ unitId }: { unitId: number }) {
  const { t } = useTranslation();
  const thisMonth = chinaToday().slice(0, 7);
  const months = useMemo(() => Array.from({ length: MONTHS }, (_, i) => shiftMonth(thisMonth, i - MONTHS + 1)), [thisMonth]);
  const answers = useAttendance(unitId, months);
  const loading = answers.some((a) => a.isPending);
  const rows: Row[] = answers.flatMap((a) => (a.data ? [{ month: a.data.month, ...a.data.totals }] : []));
  const figuresKey = JSON.stringify(rows);
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: rows.map((r) => r.month) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { type: 'bar', name: t('activities.attendance.attended'), data: rows.map((r) => r.attended), itemStyle: { color: '#52c41a' } },
        { type: 'bar', name: t('activities.attendance.signUps'), data: rows.map((r) => r.signUps), itemStyle: { color: '#1677ff' } },
        { type: 'bar', name: t('activities.attendance.noShows'), data: rows.map((r) => r.noShows), itemStyle: { color: '#ff7875' } },
      ],
    }),
    // rows is rebuilt on each render; only a change of its content should redraw the chart.
    [figuresKey, t],
  );

  if (!loading && rows.every((r) => r.activitiesHeld === 0 && r.activitiesCancelled === 0)) return <Empty description={t('activities.attendance.none')} />;
  return (
    <Flex vertical gap={12} data-testid="attendance-panel">
      <Typography.Text type="secondary">{t('activities.attendance.intro')}</Typography.Text>
      <EChart option={option} height={280} label={t('activities.attendance.chartLabel')} testId="attendance-chart" />
      <Table<Row>
        rowKey="month"
        size="small"
        loading={loading}
        pagination={false}
        dataSource={rows}
        scroll={{ x: 720 }}
        data-testid="attendance-table"
        columns={[
          { key: 'month', title: t('activities.attendance.month'), dataIndex: 'month' },
          { key: 'held', title: t('activities.attendance.held'), dataIndex: 'activitiesHeld' },
          { key: 'cancelled', title: t('activities.attendance.cancelled'), dataIndex: 'activitiesCancelled' },
          { key: 'signUps', title: t('activities.attendance.signUps'), dataIndex: 'signUps' },
          { key: 'waitlisted', title: t('activities.attendance.waitlisted'), dataIndex: 'waitlisted' },
          { key: 'attended', title: t('activities.attendance.attended'), dataIndex: 'attended' },
          { key: 'walkIns', title: t('activities.attendance.walkIns'), dataIndex: 'walkIns' },
          { key: 'noShows', title: t('activities.attendance.noShows'), dataIndex: 'noShows' },
        ]}
      />
    </Flex>
  );
}
