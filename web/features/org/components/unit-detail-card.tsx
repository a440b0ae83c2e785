import { FlagOutlined, TeamOutlined } from '@ant-design/icons';
import { Breadcrumb, Card, Descriptions, Divider, Flex, Space, Statistic, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useMe } from '../../auth/api';
import { CoverageCard } from '../../liaison/components/coverage-card';
import { canSeeMembers } from '../../members/api';
import { canSeeWorkers } from '../../workers/api';
import type { OrgUnitDetail } from '../api';
import { UnitActions } from './unit-actions';
import { UnitHistory } from './unit-history';

type Props = { unit: OrgUnitDetail; onChanged: (unit: OrgUnitDetail) => void };

function UnitCounts({ unit }: { unit: OrgUnitDetail }) {
  const { t } = useTranslation();
  const kinds = Object.entries(unit.counts.byKind).filter(([, n]) => n > 0);
  return (
    <Flex wrap gap={24} data-testid="unit-counts">
      <Statistic title={t('org.counts.title')} value={unit.counts.descendants} />
      {kinds.map(([kind, n]) => (
        <Statistic key={kind} title={t(`org.kind.${kind}`)} value={n} />
      ))}
    </Flex>
  );
}

/** Everything about one unit: where it sits, what it is, what is beneath it, what happened to it. */
export function UnitDetailCard({ unit, onChanged }: Props) {
  const { t, i18n } = useTranslation();
  const me = useMe().data;
  const english = i18n.language === 'en';
  const none = <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  const cityName = unit.city ? (english && unit.city.nameEn ? unit.city.nameEn : unit.city.name) : null;
  const platformName = unit.platform ? (english ? unit.platform.nameEn || unit.platform.name : unit.platform.name) : null;

  const items = [
    { key: 'kind', label: t('org.field.kind'), children: t(`org.kind.${unit.kind}`) },
    { key: 'platform', label: t('org.field.platform'), children: platformName ?? none },
    { key: 'city', label: t('org.field.city'), children: cityName ?? none },
    { key: 'establishedOn', label: t('org.field.establishedOn'), children: unit.establishedOn ?? none },
    ...(unit.closedOn
      ? [
          { key: 'closedOn', label: t('org.field.closedOn'), children: unit.closedOn },
          { key: 'closeReason', label: t('org.field.closeReason'), children: unit.closeReason ?? none },
        ]
      : []),
    ...(unit.mergedIntoId
      ? [{ key: 'mergedInto', label: t('org.field.mergedInto'), children: <Link to={`/org/${unit.mergedIntoId}`}>#{unit.mergedIntoId}</Link> }]
      : []),
  ];

  return (
    <Card data-testid="unit-detail" className={unit.closedOn ? 'convoy-closed-card' : undefined}>
      {unit.ancestors.length > 0 && (
        <Breadcrumb
          style={{ marginBottom: 8 }}
          data-testid="unit-breadcrumb"
          items={[...unit.ancestors.map((a) => ({ key: a.id, title: <Link to={`/org/${a.id}`}>{a.name}</Link> })), { key: unit.id, title: unit.name }]}
        />
      )}
      <Space wrap align="center" style={{ marginBottom: 16 }}>
        <Typography.Title level={4} style={{ margin: 0 }} className={unit.closedOn ? 'convoy-closed' : undefined} data-testid="unit-title">
          {unit.name}
        </Typography.Title>
        <Tag color="red">{t(`org.kind.${unit.kind}`)}</Tag>
        {unit.closedOn && <Tag data-testid="closed-tag">{t('org.closedTag')}</Tag>}
      </Space>
      <UnitActions unit={unit} onDone={onChanged} />
      {canSeeWorkers(me) && (
        <Link to={`/workers?unitId=${unit.id}`} data-testid="unit-workers-link" style={{ display: 'inline-block', marginTop: 12 }}>
          <TeamOutlined /> {t('org.viewWorkers')}
        </Link>
      )}
      {canSeeMembers(me) && (
        <Link to={`/members?unitId=${unit.id}`} data-testid="unit-members-link" style={{ display: 'inline-block', marginTop: 12, marginLeft: 16 }}>
          <FlagOutlined /> {t('org.viewMembers')}
        </Link>
      )}
      <Divider />
      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 2 }} items={items} className={unit.closedOn ? 'convoy-closed' : undefined} />
      <Divider />
      <UnitCounts unit={unit} />
      {canSeeWorkers(me) && !unit.closedOn && (
        <div style={{ marginTop: 16 }}>
          <CoverageCard unitId={unit.id} />
        </div>
      )}
      <Divider titlePlacement="start">{t('org.history.title')}</Divider>
      <UnitHistory events={unit.history} />
    </Card>
  );
}
