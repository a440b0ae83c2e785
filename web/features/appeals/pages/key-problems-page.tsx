import { Card, Flex, Result, Segmented, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { ApiError } from '../../../lib/api-client';
import { useMe } from '../../auth/api';
import { usePlatforms } from '../../org/api';
import { useCityNames } from '../../workers/api';
import { cityName } from '../../workers/components/worker-labels';
import { APPEAL_FIGURES_ROLES, type AppealCluster, canHandleAppeals, useAppealClusters, useCategoryName } from '../api';
import { AnswerClusterModal } from '../components/answer-cluster-modal';
import { ClusterTable } from '../components/cluster-table';
import { UnitScopeBar, useScopeUnitId } from '../components/unit-scope';

// How many open appeals make a problem "key": the server's default is 3.
const MIN_COUNTS = [2, 3, 5, 10] as const;
type MinCount = (typeof MIN_COUNTS)[number];

function minCountOf(params: URLSearchParams): MinCount {
  const n = Number(params.get('min'));
  return MIN_COUNTS.find((m) => m === n) ?? 3;
}

/** Names for a problem's category, platform and city in the interface language. */
function useClusterNames() {
  const { t, i18n } = useTranslation();
  const english = i18n.language === 'en';
  const categoryName = useCategoryName();
  const platforms = usePlatforms().data;
  const cities = useCityNames().data;
  return {
    category: (c: AppealCluster) => categoryName(c.category),
    platform: (c: AppealCluster) => {
      const platform = platforms?.find((p) => p.id === c.platformId);
      return (english ? platform?.nameEn : undefined) || (c.platformName ?? t('appeals.clusters.noPlatform'));
    },
    city: (c: AppealCluster) => (c.cityCode === null ? t('appeals.clusters.noCity') : cityName(cities, c.cityCode, english)),
  };
}

/** 重点难点问题: open appeals that share a category, platform, city and week, seen and answered as one problem. */
export function KeyProblemsPage() {
  const { t } = useTranslation();
  const me = useMe().data;
  const [params, setParams] = useSearchParams();
  const [unitId, setUnitId] = useScopeUnitId(APPEAL_FIGURES_ROLES, true);
  const minCount = minCountOf(params);
  const clusters = useAppealClusters(unitId, minCount);
  const names = useClusterNames();
  const [answering, setAnswering] = useState<AppealCluster | null>(null);
  const items = useMemo(() => clusters.data ?? [], [clusters.data]);
  const handles = canHandleAppeals(me);

  const problemTitle = (c: AppealCluster) => [names.category(c), names.platform(c), names.city(c), t('appeals.clusters.weekOf', { monday: c.week })].join(' · ');

  return (
    <Card title={t('appeals.clusters.title')} data-testid="key-problems-page">
      <Flex vertical gap={16}>
        <Flex wrap gap={16} align="center" justify="space-between">
          <UnitScopeBar unitId={unitId} onChange={setUnitId} allowAll />
          <Flex gap={8} align="center">
            <Typography.Text>{t('appeals.clusters.minCount')}</Typography.Text>
            <Segmented<MinCount>
              value={minCount}
              onChange={(value) => {
                const next = new URLSearchParams(params);
                next.set('min', String(value));
                setParams(next, { replace: true });
              }}
              options={MIN_COUNTS.map((m) => ({ value: m, label: t('appeals.clusters.atLeast', { count: m }) }))}
              data-testid="clusters-min-count"
            />
          </Flex>
        </Flex>
        <Typography.Text type="secondary">{t('appeals.clusters.intro')}</Typography.Text>
        {clusters.isError ? (
          <Result status="error" title={t('errors.loadFailed')} subTitle={clusters.error instanceof ApiError ? clusters.error.detail : undefined} />
        ) : (
          <ClusterTable
            clusters={items}
            loading={clusters.isPending}
            names={names}
            onAnswer={handles ? setAnswering : undefined}
            // Answering goes to one unit's appeals; a system admin looking at everything picks the unit first.
            answerBlockedReason={unitId === null ? t('appeals.clusters.pickUnitFirst') : undefined}
          />
        )}
      </Flex>
      {unitId !== null && (
        <AnswerClusterModal cluster={answering} title={answering ? problemTitle(answering) : ''} unitId={unitId} onClose={() => setAnswering(null)} />
      )}
    </Card>
  );
}
