import { Button, Card, Flex, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { APPEAL_CATEGORIES, APPEAL_LEVELS, APPEAL_STATUSES, type InboxFilters, useInbox } from '../api';
import { AssignBar } from '../components/assign-bar';
import { InboxFilterBar } from '../components/inbox-filters';
import { InboxTable } from '../components/inbox-table';
import { RecordCallButton } from '../components/record-call-modal';

// The filters are copied into the address, so going into an appeal and back keeps them, and a link can carry them.
function filtersOf(params: URLSearchParams): InboxFilters {
  const unitId = Number(params.get('unitId'));
  const status = params.get('status');
  const level = params.get('level');
  const category = params.get('category');
  return {
    unitId: Number.isInteger(unitId) && unitId > 0 ? unitId : undefined,
    category: APPEAL_CATEGORIES.find((c) => c === category),
    status: status === 'open' || status === 'closed' ? status : APPEAL_STATUSES.find((s) => s === status),
    level: APPEAL_LEVELS.find((l) => l === level),
    overdue: params.get('overdue') === 'true' || undefined,
    assignedToMe: params.get('mine') === 'true' || undefined,
  };
}

function paramsOf(filters: InboxFilters): Record<string, string> {
  const entries: [string, string | undefined][] = [
    ['unitId', filters.unitId?.toString()],
    ['category', filters.category],
    ['status', filters.status],
    ['level', filters.level],
    ['overdue', filters.overdue ? 'true' : undefined],
    ['mine', filters.assignedToMe ? 'true' : undefined],
  ];
  return Object.fromEntries(entries.filter((e): e is [string, string] => e[1] !== undefined));
}

/** 诉求办理: the handler's day starts here, the soonest deadline on top. */
export function InboxPage() {
  const { t } = useTranslation();
  const reportError = useApiErrorReporter();
  const [params, setParams] = useSearchParams();
  // State, not the address, is the source: two quick changes on a busy machine each build on the one
  // before, where reading the address back could still see the old one and drop the first change.
  const [filters, setFilters] = useState(() => filtersOf(params));
  useEffect(() => setParams(paramsOf(filters), { replace: true }), [filters, setParams]);
  const list = useInbox(filters);
  const appeals = list.data?.pages.flatMap((page) => page.items) ?? [];
  const [selected, setSelected] = useState<number[]>([]);

  useEffect(() => {
    if (list.error) reportError(list.error);
  }, [list.error, reportError]);

  const firstSelected = appeals.find((a) => a.id === selected[0]);
  const loading = list.isPending || (list.isFetching && !list.isFetchingNextPage);

  return (
    <Card title={t('appeals.inbox.title')} extra={<RecordCallButton />} data-testid="inbox-page">
      <InboxFilterBar
        filters={filters}
        onChange={(patch) => {
          setSelected([]);
          setFilters((previous) => ({ ...previous, ...patch }));
        }}
      />
      <AssignBar ids={selected} unitId={filters.unitId ?? firstSelected?.unitId ?? null} onDone={() => setSelected([])} />
      <InboxTable appeals={appeals} loading={loading} selected={selected} onSelect={setSelected} />
      <Flex justify="center" align="center" gap={12} style={{ marginTop: 16 }}>
        <Typography.Text type="secondary" data-testid="inbox-loaded">
          {t('appeals.inbox.loaded', { count: appeals.length })}
        </Typography.Text>
        {list.hasNextPage ? (
          <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} data-testid="inbox-load-more">
            {t('common.loadMore')}
          </Button>
        ) : (
          list.isSuccess && <Typography.Text type="secondary">{t('common.noMore')}</Typography.Text>
        )}
      </Flex>
    </Card>
  );
}
