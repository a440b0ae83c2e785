import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Grid, Input, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { useDebouncedValue } from '../../../lib/use-debounced-value';
import { workersExportUrl } from '../../imports/api';
import { useUnitDetail } from '../../org/api';
import { CitySelect } from '../../org/components/city-select';
import { PlatformSelect } from '../../org/components/platform-select';
import { useWorkerList, WORKER_STATUSES, type WorkerFilters, type WorkerListItem } from '../api';
import { WorkerFormModal } from '../components/worker-form-modal';
import { WorkerCards, WorkerTable } from '../components/worker-list-views';

function unitIdOf(params: URLSearchParams): number | undefined {
  const parsed = Number(params.get('unitId'));
  return Number.isInteger(parsed) && parsed > 0 ? parsed : undefined;
}

/** Workers in the user's scope: search, filters, and a page at a time; a table on a desk, cards on a phone. */
export function WorkersPage() {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const narrow = screens.md === false;
  const [params, setParams] = useSearchParams();
  const unitId = unitIdOf(params);
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim(), 300);
  const [platformId, setPlatformId] = useState<number | null>(null);
  const [cityCode, setCityCode] = useState<string | null>(null);
  const [status, setStatus] = useState<WorkerListItem['status'] | undefined>(undefined);
  const [creating, setCreating] = useState(false);

  const filters = useMemo<WorkerFilters>(
    () => ({ q: q || undefined, unitId, platformId: platformId ?? undefined, cityCode: cityCode ?? undefined, status }),
    [q, unitId, platformId, cityCode, status],
  );
  const list = useWorkerList(filters);
  const unit = useUnitDetail(unitId ?? null);
  const workers = list.data?.pages.flatMap((page) => page.items) ?? [];
  const reportError = useApiErrorReporter();

  useEffect(() => {
    if (list.error) reportError(list.error);
  }, [list.error, reportError]);

  const loading = list.isPending || (list.isFetching && !list.isFetchingNextPage);
  // On a phone the three filters share one row under the search box.
  const filterWidth = narrow ? 'calc((100% - 16px) / 3)' : 200;

  return (
    <Card
      title={t('workers.title')}
      extra={
        <Space wrap>
          {/* The server sends the file with the list's filters and scope; phones stay masked. */}
          <Tooltip title={t('workers.export.hint')}>
            <Space.Compact>
              <Button icon={<DownloadOutlined />} href={workersExportUrl('csv', filters)} data-testid="worker-export-csv">
                {t('workers.export.csv')}
              </Button>
              <Button href={workersExportUrl('xlsx', filters)} data-testid="worker-export-xlsx">
                {t('workers.export.xlsx')}
              </Button>
            </Space.Compact>
          </Tooltip>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="worker-new">
            {t('workers.new')}
          </Button>
        </Space>
      }
      styles={narrow ? { body: { padding: 12 } } : undefined}
    >
      <Flex wrap gap={8} style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          placeholder={t('workers.searchPlaceholder')}
          aria-label={t('workers.searchPlaceholder')}
          data-testid="worker-search"
          style={{ width: narrow ? '100%' : 300 }}
        />
        <PlatformSelect value={platformId} onChange={setPlatformId} placeholder={t('workers.filter.allPlatforms')} style={{ width: filterWidth }} />
        <CitySelect value={cityCode} onChange={setCityCode} placeholder={t('workers.filter.allCities')} style={{ width: filterWidth }} />
        <Select<WorkerListItem['status']>
          allowClear
          value={status}
          onChange={(next) => setStatus(next ?? undefined)}
          placeholder={t('workers.filter.allStatuses')}
          options={WORKER_STATUSES.map((s) => ({ value: s, label: t(`workers.status.${s}`) }))}
          style={{ width: narrow ? filterWidth : 140 }}
          data-testid="worker-filter-status"
        />
      </Flex>
      {unitId !== undefined && (
        <Tag
          closable
          onClose={() => {
            params.delete('unitId');
            setParams(params);
          }}
          style={{ marginBottom: 12 }}
          data-testid="worker-unit-filter"
        >
          {t('workers.unitFilter', { name: unit.data?.name ?? `#${unitId}` })}
        </Tag>
      )}
      {narrow ? <WorkerCards workers={workers} loading={loading} /> : <WorkerTable workers={workers} loading={loading} />}
      <Flex justify="center" align="center" gap={12} style={{ marginTop: 16 }}>
        <Typography.Text type="secondary" data-testid="worker-loaded">
          {t('workers.loaded', { count: workers.length })}
        </Typography.Text>
        {list.hasNextPage ? (
          <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} data-testid="worker-load-more">
            {t('common.loadMore')}
          </Button>
        ) : (
          list.isSuccess && <Typography.Text type="secondary">{t('common.noMore')}</Typography.Text>
        )}
      </Flex>
      <WorkerFormModal open={creating} onClose={() => setCreating(false)} onDone={() => undefined} />
    </Card>
  );
}
