import { Alert, Card, Col, Empty, Flex, Result, Row, Segmented, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { ApiError } from '../../../lib/api-client';
import { chinaToday } from '../../../lib/format';
import { APPEAL_FIGURES_ROLES, type AppealFigures, useAppealFigures } from '../api';
import { CategoryDonut, RatingsChart, VolumeChart } from '../components/charts/figure-charts';
import { FigureCards } from '../components/figure-cards';
import { UnitScopeBar, useScopeUnitId } from '../components/unit-scope';

const PERIODS = [4, 12, 26] as const;
type Period = (typeof PERIODS)[number];

function periodOf(params: URLSearchParams): Period {
  const weeks = Number(params.get('weeks'));
  return PERIODS.find((p) => p === weeks) ?? 12;
}

function FigureBody({ figures }: { figures: AppealFigures }) {
  const { t } = useTranslation();
  const rated = figures.satisfaction.ratings.some((r) => r.count > 0);
  return (
    <Flex vertical gap={16}>
      <FigureCards figures={figures} />
      <Card size="small" title={t('appeals.figures.volumeChart')}>
        {figures.total > 0 ? <VolumeChart figures={figures} /> : <Empty description={t('appeals.figures.noAppeals')} />}
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('appeals.figures.categoryChart')} style={{ height: '100%' }}>
            {figures.total > 0 ? <CategoryDonut figures={figures} /> : <Empty description={t('appeals.figures.noAppeals')} />}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('appeals.figures.ratingsChart')} style={{ height: '100%' }}>
            {rated ? <RatingsChart figures={figures} /> : <Empty description={t('appeals.figures.noRatings')} />}
          </Card>
        </Col>
      </Row>
    </Flex>
  );
}

/** 诉求统计: how many appeals a unit's subtree received, how fast and how well they were handled. */
export function AppealFiguresPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const [unitId, setUnitId] = useScopeUnitId(APPEAL_FIGURES_ROLES, true);
  const weeks = periodOf(params);
  const figures = useAppealFigures(unitId, weeks);

  let body;
  if (figures.data) body = <FigureBody figures={figures.data} />;
  else if (figures.isError) {
    // 403/404 carry the server's reason (not your unit, no such unit) in the user's language.
    const detail = figures.error instanceof ApiError ? figures.error.detail : undefined;
    body = <Result status="error" title={t('errors.loadFailed')} subTitle={detail} />;
  } else body = <Skeleton active paragraph={{ rows: 8 }} />;

  return (
    <Card title={t('appeals.figures.title')} data-testid="figures-page">
      <Flex vertical gap={16}>
        <Flex wrap gap={16} align="center" justify="space-between">
          <UnitScopeBar unitId={unitId} onChange={setUnitId} allowAll />
          <Segmented<Period>
            value={weeks}
            onChange={(value) => {
              const next = new URLSearchParams(params);
              next.set('weeks', String(value));
              setParams(next, { replace: true });
            }}
            options={PERIODS.map((p) => ({ value: p, label: t('appeals.figures.lastWeeks', { count: p }) }))}
            data-testid="figures-period"
          />
        </Flex>
        {figures.data && (
          <Typography.Text type="secondary" data-testid="figures-range">
            {t('appeals.figures.range', { from: chinaToday(new Date(figures.data.from)), to: chinaToday(new Date(figures.data.to)) })}
          </Typography.Text>
        )}
        {figures.isError && figures.data && <Alert type="warning" showIcon title={t('errors.loadFailed')} />}
        {body}
      </Flex>
    </Card>
  );
}
