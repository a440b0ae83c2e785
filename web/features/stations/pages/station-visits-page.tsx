import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Card, Col, Flex, Grid, Row, Select, Statistic, Table, type TableColumnsType, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { type ChartOption, EChart } from '../../../lib/echart';
import { UnitScopeBar, useScopeUnitId } from '../../appeals/components/unit-scope';
import { STATION_STAFF_ROLES, type VisitSummary, useVisitSummary } from '../api';

type StationRow = VisitSummary['byStation'][number] & { rank: number };

function VisitsChart({ summary }: { summary: VisitSummary }) {
  const { t } = useTranslation();
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: summary.byMonth.map((m) => m.month) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { type: 'bar', name: t('stations.visits.personTimes'), data: summary.byMonth.map((m) => m.visits), itemStyle: { color: '#1677ff' } },
        { type: 'bar', name: t('stations.visits.workers'), data: summary.byMonth.map((m) => m.workers), itemStyle: { color: '#52c41a' } },
      ],
    }),
    [summary, t],
  );
  return <EChart option={option} height={320} label={t('stations.visits.chartLabel')} testId="station-visits-chart" />;
}

/**
 * Check-ins at the stations of a subtree: person-times and distinct workers per month over the last
 * twelve months, and the stations by person-times (for all twelve, or one month), most visited first,
 * twenty at a time. Aggregates only: the server never tells who came.
 */
export function StationVisitsPage() {
  const { t } = useTranslation();
  const narrow = Grid.useBreakpoint().md === false;
  const reportError = useApiErrorReporter();
  const [unitId, setUnitId] = useScopeUnitId(STATION_STAFF_ROLES, true);
  const [month, setMonth] = useState<string | null>(null);
  // The totals and the chart come with the first page; the table grows a page at a time ("load more").
  const year = useVisitSummary(unitId, null);
  // One month narrows the station table only; the chart keeps the year around it.
  const oneMonth = useVisitSummary(unitId, month, { enabled: month !== null });
  const table = month ? oneMonth : year;
  useEffect(() => {
    const error = year.error ?? oneMonth.error;
    if (error) reportError(error);
  }, [year.error, oneMonth.error, reportError]);

  const summary = year.data?.pages[0];
  const latest = summary?.byMonth.at(-1);
  const rows = useMemo<StationRow[]>(() => (table.data?.pages ?? []).flatMap((p) => p.byStation).map((s, i) => ({ ...s, rank: i + 1 })), [table.data]);
  const tableFigures = table.data?.pages[0];
  const tableTotal = tableFigures?.total ?? 0;

  const columns: TableColumnsType<StationRow> = [
    { key: 'rank', title: '#', dataIndex: 'rank', width: 56 },
    {
      key: 'name',
      title: t('stations.field.name'),
      render: (_, s) => (
        <Link to={`/stations/${s.stationId}`} data-testid="station-visits-name">
          {s.name}
        </Link>
      ),
    },
    { key: 'visits', title: t('stations.visits.personTimes'), dataIndex: 'visits', align: 'right', width: 120 },
    {
      key: 'share',
      title: t('stations.visits.share'),
      align: 'right',
      width: 100,
      responsive: ['sm'],
      render: (_, s) => (tableTotal > 0 ? `${((100 * s.visits) / tableTotal).toFixed(1)}%` : '—'),
    },
  ];

  return (
    <Card
      title={t('stations.visits.title')}
      extra={
        <Link to="/stations">
          <Button type="text" icon={<ArrowLeftOutlined />}>
            {t('stations.list.title')}
          </Button>
        </Link>
      }
      styles={narrow ? { body: { padding: 12 } } : undefined}
      data-testid="station-visits-page"
    >
      <Flex vertical gap={16}>
        <UnitScopeBar unitId={unitId} onChange={setUnitId} allowAll />
        <Typography.Text type="secondary">{t('stations.visits.intro')}</Typography.Text>
        <Row gutter={[16, 16]}>
          <Col xs={12} md={6} data-testid="station-visits-total">
            <Statistic title={t('stations.visits.total')} value={summary?.total ?? '—'} loading={year.isPending} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={t('stations.visits.thisMonth')} value={latest?.visits ?? '—'} loading={year.isPending} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={t('stations.visits.workersThisMonth')} value={latest?.workers ?? '—'} loading={year.isPending} />
          </Col>
          <Col xs={12} md={6} data-testid="station-visits-stations">
            <Statistic title={t('stations.visits.stationsVisited')} value={summary?.stationsVisited ?? '—'} loading={year.isPending} />
          </Col>
        </Row>
        {summary && <VisitsChart summary={summary} />}
        <Flex wrap gap={8} align="center" justify="space-between">
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('stations.visits.byStation')}
          </Typography.Title>
          <Select<string>
            allowClear
            value={month ?? undefined}
            onChange={(value) => setMonth(value ?? null)}
            placeholder={t('stations.visits.allMonths')}
            options={[...(summary?.months ?? [])].reverse().map((m) => ({ value: m, label: m }))}
            style={{ width: 180 }}
            aria-label={t('stations.visits.month')}
            data-testid="station-visits-month"
          />
        </Flex>
        <Table<StationRow>
          rowKey="stationId"
          size="middle"
          columns={columns}
          dataSource={rows}
          loading={table.isPending || (table.isFetching && !table.isFetchingNextPage)}
          pagination={false}
          locale={{ emptyText: t('stations.visits.none') }}
          onRow={(s) => ({ 'data-testid': 'station-visits-row', 'data-station-id': s.stationId }) as object}
        />
        {rows.length > 0 && (
          <Flex justify="center" align="center" gap={12} wrap>
            <Typography.Text type="secondary" data-testid="station-visits-loaded">
              {t('stations.visits.loaded', { count: rows.length, total: tableFigures?.stationsVisited ?? rows.length })}
            </Typography.Text>
            {table.hasNextPage ? (
              <Button onClick={() => void table.fetchNextPage()} loading={table.isFetchingNextPage} data-testid="station-visits-load-more">
                {t('common.loadMore')}
              </Button>
            ) : (
              <Typography.Text type="secondary">{t('common.noMore')}</Typography.Text>
            )}
          </Flex>
        )}
      </Flex>
    </Card>
  );
}
