import { Card, Col, Rate, Row, Statistic, theme, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppealFigures } from '../api';

type Kpi = { key: string; title: string; value: number | null; precision?: number; suffix?: string; extra?: ReactNode; danger?: boolean };

/** The headline numbers of a period; a figure without data (no appeal acknowledged yet) shows a dash, not 0. */
export function FigureCards({ figures }: { figures: AppealFigures }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const percent = (share: number | null) => (share === null ? null : share * 100);
  const hours = t('appeals.figures.hoursUnit');
  const average = figures.satisfaction.average;
  const rated = figures.satisfaction.ratings.reduce((sum, r) => sum + r.count, 0);
  const kpis: Kpi[] = [
    { key: 'total', title: t('appeals.figures.total'), value: figures.total },
    { key: 'ack', title: t('appeals.figures.medianAcknowledge'), value: figures.medianHoursToAcknowledge, precision: 1, suffix: hours },
    { key: 'resolve', title: t('appeals.figures.medianResolve'), value: figures.medianHoursToResolve, precision: 1, suffix: hours },
    { key: 'ack-on-time', title: t('appeals.figures.acknowledgedOnTime'), value: percent(figures.acknowledgedOnTimeShare), precision: 1, suffix: '%' },
    { key: 'resolve-on-time', title: t('appeals.figures.resolvedOnTime'), value: percent(figures.resolvedOnTimeShare), precision: 1, suffix: '%' },
    {
      key: 'satisfaction',
      title: t('appeals.figures.satisfaction'),
      value: average,
      precision: 2,
      extra: (
        <>
          {/* Rounded to the nearest half star: the number beside it is exact. */}
          <Rate disabled allowHalf value={average === null ? 0 : Math.round(average * 2) / 2} style={{ fontSize: 14 }} />
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
            {t('appeals.figures.ratedCount', { count: rated })}
          </Typography.Text>
        </>
      ),
    },
    { key: 'overdue', title: t('appeals.figures.openOverdue'), value: figures.openOverdue, danger: figures.openOverdue > 0 },
  ];
  return (
    <Row gutter={[12, 12]} data-testid="figures-kpis">
      {/* Four timing and volume figures above, the three outcomes below, each row filled on a desktop. */}
      {kpis.map((kpi, index) => (
        <Col key={kpi.key} xs={12} lg={index < 4 ? 6 : 8}>
          <Card size="small" style={{ height: '100%' }} data-testid={`kpi-${kpi.key}`}>
            <Statistic
              title={kpi.title}
              value={kpi.value ?? '—'}
              precision={kpi.value === null ? undefined : kpi.precision}
              suffix={kpi.value === null ? undefined : kpi.suffix}
              styles={{ content: kpi.danger ? { color: token.colorError } : undefined }}
            />
            {kpi.extra}
          </Card>
        </Col>
      ))}
    </Row>
  );
}
