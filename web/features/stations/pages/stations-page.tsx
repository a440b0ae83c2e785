import { BarChartOutlined, EditOutlined, EnvironmentOutlined, PlusOutlined, QrcodeOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Grid, Input, Select, Space, Table, type TableColumnsType, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { useDebouncedValue } from '../../../lib/use-debounced-value';
import { UnitScopeBar, useScopeUnitId } from '../../appeals/components/unit-scope';
import { CitySelect } from '../../org/components/city-select';
import { STATION_KINDS, STATION_SERVICES, STATION_STAFF_ROLES, STATION_STATUSES, type StationFilters, type StationKindCode, type StationService, type StationStatusCode, type StationView, useStationList } from '../api';
import { useStationNames } from '../names';
import { ServiceIcons } from '../components/service-icons';
import { OpenTag, StatusTag } from '../components/station-tags';

/** Stations run in the user's subtree: filters, a page at a time, and the way to edit, print and map each. */
export function StationsPage() {
  const { t } = useTranslation();
  const names = useStationNames();
  const narrow = Grid.useBreakpoint().md === false;
  const [unitId, setUnitId] = useScopeUnitId(STATION_STAFF_ROLES, true);
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim(), 300);
  const [kind, setKind] = useState<StationKindCode | undefined>();
  const [cityCode, setCityCode] = useState<string | null>(null);
  const [service, setService] = useState<StationService | undefined>();
  const [status, setStatus] = useState<StationStatusCode | undefined>();
  const filters = useMemo<StationFilters>(
    () => ({ unitId: unitId ?? undefined, kind, cityCode: cityCode ?? undefined, service, status, q: q || undefined }),
    [unitId, kind, cityCode, service, status, q],
  );
  const list = useStationList(filters);
  const stations = list.data?.pages.flatMap((page) => page.items) ?? [];
  const reportError = useApiErrorReporter();
  useEffect(() => {
    if (list.error) reportError(list.error);
  }, [list.error, reportError]);

  const columns: TableColumnsType<StationView> = [
    {
      key: 'name',
      title: t('stations.field.name'),
      render: (_, s) => (
        <Flex vertical>
          <Link to={`/stations/${s.id}`} data-testid="station-row-name">
            {s.name}
          </Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {names.kind(s.kind)}
          </Typography.Text>
        </Flex>
      ),
    },
    { key: 'runner', title: t('stations.field.unit'), render: (_, s) => s.unitName ?? s.operatorName ?? '—', responsive: ['lg'] },
    { key: 'address', title: t('stations.field.address'), dataIndex: 'address', responsive: ['md'] },
    { key: 'services', title: t('stations.field.services'), render: (_, s) => <ServiceIcons services={s.services} />, width: 220 },
    {
      key: 'state',
      title: t('stations.field.status'),
      render: (_, s) => (
        <Space size={4} wrap>
          <StatusTag status={s.status} />
          {s.status === 'active' && <OpenTag open={s.openNow} />}
        </Space>
      ),
    },
    {
      key: 'actions',
      title: '',
      render: (_, s) => (
        <Space size={0}>
          <Link to={`/stations/${s.id}`}>
            <Button type="link" size="small" icon={<EditOutlined />} aria-label={t('stations.list.edit')} />
          </Link>
          <Link to={`/stations/${s.id}/qr`} data-testid="station-row-qr">
            <Button type="link" size="small" icon={<QrcodeOutlined />} aria-label={t('stations.qr.title')} />
          </Link>
          <Link to={`/stations/map?focus=${s.id}`} data-testid="station-row-map">
            <Button type="link" size="small" icon={<EnvironmentOutlined />} aria-label={t('stations.map.title')} />
          </Link>
        </Space>
      ),
    },
  ];

  const filterWidth = narrow ? 'calc((100% - 8px) / 2)' : 170;
  return (
    <Card
      title={t('stations.list.title')}
      extra={
        <Space wrap>
          <Link to="/stations/visits">
            <Button icon={<BarChartOutlined />} data-testid="station-visits-link">
              {t('stations.list.visits')}
            </Button>
          </Link>
          <Link to="/stations/map">
            <Button icon={<EnvironmentOutlined />} data-testid="station-map-link">
              {t('stations.map.title')}
            </Button>
          </Link>
          <Link to="/stations/new">
            <Button type="primary" icon={<PlusOutlined />} data-testid="station-new">
              {t('stations.list.new')}
            </Button>
          </Link>
        </Space>
      }
      styles={narrow ? { body: { padding: 12 } } : undefined}
      data-testid="stations-page"
    >
      <Flex vertical gap={12}>
        <UnitScopeBar unitId={unitId} onChange={setUnitId} allowAll />
        <Flex wrap gap={8}>
          <Input.Search
            allowClear
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder={t('stations.list.search')}
            aria-label={t('stations.list.search')}
            style={{ width: narrow ? '100%' : 260 }}
            data-testid="station-search"
          />
          <Select<StationKindCode>
            allowClear
            value={kind}
            onChange={(v) => setKind(v ?? undefined)}
            placeholder={t('stations.list.allKinds')}
            options={STATION_KINDS.map((k) => ({ value: k, label: names.kind(k) }))}
            style={{ width: filterWidth }}
            data-testid="station-filter-kind"
          />
          <CitySelect value={cityCode} onChange={setCityCode} placeholder={t('stations.list.allCities')} style={{ width: filterWidth }} />
          <Select<StationService>
            allowClear
            value={service}
            onChange={(v) => setService(v ?? undefined)}
            placeholder={t('stations.list.allServices')}
            options={STATION_SERVICES.map((s) => ({ value: s, label: names.service(s) }))}
            style={{ width: filterWidth }}
            data-testid="station-filter-service"
          />
          <Select<StationStatusCode>
            allowClear
            value={status}
            onChange={(v) => setStatus(v ?? undefined)}
            placeholder={t('stations.list.allStatuses')}
            options={STATION_STATUSES.map((s) => ({ value: s, label: t(`stations.status.${s}`) }))}
            style={{ width: filterWidth }}
            data-testid="station-filter-status"
          />
        </Flex>
        <Table<StationView>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={stations}
          loading={list.isPending || (list.isFetching && !list.isFetchingNextPage)}
          pagination={false}
          scroll={{ x: 'max-content' }}
          onRow={(s) => ({ 'data-testid': 'station-row', 'data-station-id': s.id }) as object}
        />
        <Flex justify="center" align="center" gap={12}>
          <Typography.Text type="secondary" data-testid="station-loaded">
            {t('stations.list.loaded', { count: stations.length })}
          </Typography.Text>
          {list.hasNextPage ? (
            <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} data-testid="station-load-more">
              {t('common.loadMore')}
            </Button>
          ) : (
            list.isSuccess && <Typography.Text type="secondary">{t('common.noMore')}</Typography.Text>
          )}
        </Flex>
      </Flex>
    </Card>
  );
}
