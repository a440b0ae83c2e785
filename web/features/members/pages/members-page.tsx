import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Grid, Input, Select, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { useDebouncedValue } from '../../../lib/use-debounced-value';
import { useUnitDetail } from '../../org/api';
import { MEMBER_STATUSES, type MemberFilters, type MemberStatus, useMemberList } from '../api';
import { enumOptions } from '../components/enum-options';
import { MemberCards, MemberTable } from '../components/member-list-views';
import { MemberFormModal } from '../components/member-form-modal';
import { useUnitNames } from '../components/use-unit-names';

type Mobility = 'mobile' | 'settled';

function unitIdOf(params: URLSearchParams): number | undefined {
  const parsed = Number(params.get('unitId'));
  return Number.isInteger(parsed) && parsed > 0 ? parsed : undefined;
}

/** Members in the user's scope: search, filters, a page at a time; a table on a desk, cards on a phone. */
export function MembersPage() {
  const { t } = useTranslation();
  const narrow = Grid.useBreakpoint().md === false;
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const unitId = unitIdOf(params);
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim(), 300);
  const [status, setStatus] = useState<MemberStatus | undefined>(undefined);
  const [mobility, setMobility] = useState<Mobility | undefined>(undefined);
  const [creating, setCreating] = useState(false);

  const filters = useMemo<MemberFilters>(
    () => ({ q: q || undefined, unitId, status, isMobile: mobility === undefined ? undefined : mobility === 'mobile' }),
    [q, unitId, status, mobility],
  );
  const list = useMemberList(filters);
  const unit = useUnitDetail(unitId ?? null);
  const members = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);
  const unitNames = useUnitNames(useMemo(() => members.map((m) => m.unitId), [members]));
  const reportError = useApiErrorReporter();

  useEffect(() => {
    if (list.error) reportError(list.error);
  }, [list.error, reportError]);

  const loading = list.isPending || (list.isFetching && !list.isFetchingNextPage);
  const filterWidth = narrow ? 'calc((100% - 8px) / 2)' : 160;

  return (
    <Card
      title={t('members.title')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="member-new">
          {t('members.new')}
        </Button>
      }
      styles={narrow ? { body: { padding: 12 } } : undefined}
    >
      <Flex wrap gap={8} style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          placeholder={t('members.searchPlaceholder')}
          aria-label={t('members.searchPlaceholder')}
          data-testid="member-search"
          style={{ width: narrow ? '100%' : 300 }}
        />
        <Select<MemberStatus>
          allowClear
          value={status}
          onChange={(next) => setStatus(next ?? undefined)}
          placeholder={t('members.filter.allStatuses')}
          options={enumOptions(t, 'members.status', MEMBER_STATUSES)}
          style={{ width: filterWidth }}
          data-testid="member-filter-status"
        />
        <Select<Mobility>
          allowClear
          value={mobility}
          onChange={(next) => setMobility(next ?? undefined)}
          placeholder={t('members.filter.allMobility')}
          options={[
            { value: 'mobile', label: t('members.filter.mobileOnly') },
            { value: 'settled', label: t('members.filter.notMobile') },
          ]}
          style={{ width: filterWidth }}
          data-testid="member-filter-mobile"
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
          data-testid="member-unit-filter"
        >
          {t('members.unitFilter', { name: unit.data?.name ?? `#${unitId}` })}
        </Tag>
      )}
      {narrow ? (
        <MemberCards members={members} loading={loading} unitNames={unitNames} />
      ) : (
        <MemberTable members={members} loading={loading} unitNames={unitNames} />
      )}
      <Flex justify="center" align="center" gap={12} style={{ marginTop: 16 }}>
        <Typography.Text type="secondary" data-testid="member-loaded">
          {t('members.loaded', { count: members.length })}
        </Typography.Text>
        {list.hasNextPage ? (
          <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} data-testid="member-load-more">
            {t('common.loadMore')}
          </Button>
        ) : (
          list.isSuccess && <Typography.Text type="secondary">{t('common.noMore')}</Typography.Text>
        )}
      </Flex>
      <MemberFormModal
        open={creating}
        branch={unit.data?.kind === 'mobile_branch' ? { id: unit.data.id, name: unit.data.name } : undefined}
        onClose={() => setCreating(false)} onDone={(member) => void navigate(`/members/${member.id}`)} />
    </Card>
  );
}
