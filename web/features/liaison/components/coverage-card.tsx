import { Card, Flex, Progress, Skeleton, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useCoverage } from '../api';

function ShareCircle({ share, label, part, whole, testId }: { share: number; label: string; part: number; whole: number; testId: string }) {
  const { t } = useTranslation();
  return (
    <Flex vertical align="center" gap={4} data-testid={testId}>
      <Progress type="circle" size={88} percent={Math.round(share * 1000) / 10} format={(percent) => `${percent ?? 0}%`} />
      <Typography.Text>{label}</Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('liaison.coverage.ofWorkers', { part: part.toLocaleString(), whole: whole.toLocaleString() })}
      </Typography.Text>
    </Flex>
  );
}

/** Share of workers with a liaison, share contacted in 30 days, and members over or under their target. */
export function CoverageFigures({ unitId }: { unitId: number }) {
  const { t } = useTranslation();
  const coverage = useCoverage(unitId);
  if (coverage.isPending) return <Skeleton active paragraph={{ rows: 2 }} />;
  if (coverage.isError) return null;
  const c = coverage.data;
  return (
    <Flex wrap gap={32} align="center" data-testid="coverage">
      <ShareCircle share={c.shareWithLiaison} label={t('liaison.coverage.withLiaison')} part={c.withLiaison} whole={c.workers} testId="coverage-with-liaison" />
      <ShareCircle share={c.shareContactedLast30Days} label={t('liaison.coverage.contacted')} part={c.contactedLast30Days} whole={c.workers} testId="coverage-contacted" />
      <Statistic title={t('liaison.coverage.members')} value={c.members} />
      <Statistic title={t('liaison.coverage.overTarget')} value={c.membersOverTarget} styles={{ content: c.membersOverTarget > 0 ? { color: '#d48806' } : undefined }} />
      <Statistic title={t('liaison.coverage.underTarget')} value={c.membersUnderTarget} />
    </Flex>
  );
}

/** The coverage figures as a small card on a unit's page, with a way to its liaison board. */
export function CoverageCard({ unitId }: { unitId: number }) {
  const { t } = useTranslation();
  return (
    <Card
      size="small"
      title={t('liaison.coverage.title')}
      extra={
        <Link to={`/liaison?unitId=${unitId}`} data-testid="unit-liaison-link">
          {t('org.viewLiaison')}
        </Link>
      }
      data-testid="unit-coverage"
    >
      <CoverageFigures unitId={unitId} />
    </Card>
  );
}
