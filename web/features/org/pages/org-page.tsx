import { Card, Checkbox, Col, Empty, Grid, Input, Result, Row, Skeleton } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { ApiError } from '../../../lib/api-client';
import { useDebouncedValue } from '../../../lib/use-debounced-value';
import { useRootUnits, useUnitDetail } from '../api';
import { OrgTree } from '../components/org-tree';
import { UnitDetailCard } from '../components/unit-detail-card';
import { UnitSearchResults } from '../components/unit-search-results';

function useSelectedUnitId(): number | null {
  const { id } = useParams();
  const parsed = Number(id);
  return id && Number.isInteger(parsed) && parsed > 0 ? parsed : null;
}

/** The organization: a tree (or search results) on the left, the chosen unit on the right; stacked on a phone. */
export function OrgPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const selectedId = useSelectedUnitId();
  const [search, setSearch] = useState('');
  const term = useDebouncedValue(search.trim(), 300);
  const [includeClosed, setIncludeClosed] = useState(false);
  const roots = useRootUnits(includeClosed);
  // /org alone shows the first top unit, so the page is never empty for someone with a scope. Shown, not
  // redirected to: a redirect when the units arrived could land after a menu item the user had just
  // clicked (the effect of the render before the click ran after it) and pull them back here.
  const shownId = selectedId ?? roots.data?.[0]?.id ?? null;
  const detail = useUnitDetail(shownId);

  // Open the tree down to the selected unit and the unit itself, so its children show.
  // Keyed by the ids, not the response, so a refetch does not reopen what the user closed.
  const pathKey = detail.data ? [...detail.data.ancestors.map((a) => a.id), detail.data.id].join('/') : '';
  const pathToSelected = useMemo(() => (pathKey ? pathKey.split('/').map(Number) : []), [pathKey]);

  const open = (id: number) => {
    setSearch('');
    void navigate(`/org/${id}`);
  };

  const narrow = screens.md === false;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} md={9} xl={7}>
        <Card size="small" styles={{ body: { padding: 12 } }}>
          <Input.Search
            allowClear
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            placeholder={t('org.searchPlaceholder')}
            aria-label={t('org.searchPlaceholder')}
            data-testid="org-search"
            style={{ marginBottom: 8 }}
          />
          <Checkbox checked={includeClosed} onChange={(event) => setIncludeClosed(event.target.checked)} style={{ marginBottom: 8 }}>
            {t('org.showClosed')}
          </Checkbox>
          {/* On a phone the tree scrolls in its own box so the detail stays close below it. */}
          <div style={narrow ? { maxHeight: '40vh', overflowY: 'auto' } : undefined}>
            {term ? (
              <UnitSearchResults term={term} onSelect={open} />
            ) : (
              <OrgTree selectedId={shownId} pathToSelected={pathToSelected} includeClosed={includeClosed} onSelect={open} />
            )}
          </div>
        </Card>
      </Col>
      <Col xs={24} md={15} xl={17}>
        {shownId === null ? (
          roots.isSuccess && roots.data.length === 0 ? (
            <Empty description={t('org.noUnits')} />
          ) : (
            <Card>
              <Empty description={t('org.selectUnit')} />
            </Card>
          )
        ) : detail.isPending ? (
          <Card>
            <Skeleton active />
          </Card>
        ) : detail.isError ? (
          <Result
            status={detail.error instanceof ApiError && detail.error.status === 404 ? '404' : 'error'}
            title={t('errors.loadFailed')}
            subTitle={detail.error instanceof ApiError ? detail.error.detail : undefined}
          />
        ) : (
          <UnitDetailCard unit={detail.data} onChanged={(unit) => open(unit.id)} />
        )}
      </Col>
    </Row>
  );
}
