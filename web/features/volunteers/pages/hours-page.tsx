import { Alert, Button, Card, Col, Empty, Flex, Input, Row, Statistic, Table, type TableProps, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { chinaToday } from '../../../lib/format';
import { UnitScopeBar, useScopeUnitId } from '../../appeals/components/unit-scope';
import { useMe } from '../../auth/api';
import { type Ledger, type Period, type UnitHours, VOLUNTEER_STAFF_ROLES, isVolunteerStaff, useLedger, useUnitHours } from '../api';
import { useHoursText } from '../components/labels';
import { VolunteersTabs } from '../components/volunteers-tabs';

type TeamRow = UnitHours['teams'][number];
type PersonRow = Ledger['people'][number];

function TotalCards({ hours }: { hours: UnitHours }) {
  const { t } = useTranslation();
  const unit = t('volunteers.hourUnit');
  return (
    <Row gutter={[12, 12]} data-testid="hours-totals">
      <Col xs={12} md={6}>
        <Card>
          <Statistic title={t('volunteers.ledger.verifiedHours')} value={hours.total.verifiedHours} suffix={unit} data-testid="total-verified-hours" />
        </Card>
      </Col>
      <Col xs={12} md={6}>
        <Card>
          <Statistic title={t('volunteers.ledger.pendingHours')} value={hours.total.pendingHours} suffix={unit} />
        </Card>
      </Col>
      <Col xs={12} md={6}>
        <Card>
          <Statistic title={t('volunteers.ledger.volunteers')} value={hours.total.volunteers} />
        </Card>
      </Col>
      <Col xs={12} md={6}>
        <Card>
          <Statistic title={t('volunteers.ledger.verifiedRecords')} value={hours.total.verifiedRecords} />
        </Card>
      </Col>
    </Row>
  );
}

function TeamHoursTable({ hours }: { hours: UnitHours }) {
  const { t } = useTranslation();
  const text = useHoursText();
  const columns: TableProps<TeamRow>['columns'] = [
    { key: 'name', title: t('volunteers.field.teamName'), render: (_, row) => <Link to={`/volunteers/teams/${row.teamId}`}>{row.name}</Link> },
    { key: 'verified', title: t('volunteers.ledger.verifiedHours'), render: (_, row) => text(row.verifiedHours), align: 'right' },
    { key: 'pending', title: t('volunteers.ledger.pendingHours'), render: (_, row) => text(row.pendingHours), align: 'right' },
    { key: 'volunteers', title: t('volunteers.ledger.volunteers'), dataIndex: 'volunteers', align: 'right' },
    { key: 'records', title: t('volunteers.ledger.verifiedRecords'), dataIndex: 'verifiedRecords', align: 'right' },
  ];
  return (
    <Card title={t('volunteers.ledger.perTeam')}>
      <Table<TeamRow> rowKey="teamId" size="small" columns={columns} dataSource={hours.teams} pagination={hours.teams.length > 20 ? { pageSize: 20 } : false} scroll={{ x: 'max-content' }} data-testid="team-hours" />
    </Card>
  );
}

/** A row per person with names: asked for on purpose, because the server records every such read. */
function PeopleLedger({ period }: { period: Period }) {
  const { t } = useTranslation();
  const text = useHoursText();
  const [asked, setAsked] = useState<Period | null>(null);
  const current = asked && asked.unitId === period.unitId && asked.from === period.from && asked.to === period.to ? asked : null;
  const ledger = useLedger(current);
  const columns: TableProps<PersonRow>['columns'] = [
    { key: 'name', title: t('volunteers.field.name'), render: (_, row) => row.name ?? <Typography.Text type="secondary">{t('volunteers.unnamed')}</Typography.Text> },
    { key: 'verified', title: t('volunteers.ledger.verifiedHours'), render: (_, row) => text(row.verifiedHours), align: 'right' },
    { key: 'pending', title: t('volunteers.ledger.pendingHours'), render: (_, row) => text(row.pendingHours), align: 'right' },
    { key: 'records', title: t('volunteers.ledger.verifiedRecords'), dataIndex: 'verifiedRecords', align: 'right' },
    { key: 'teams', title: t('volunteers.ledger.teams'), dataIndex: 'teams', align: 'right' },
  ];
  return (
    <Card title={t('volunteers.ledger.perPerson')}>
      {current === null ? (
        <Flex vertical gap={8} align="start">
          <Typography.Text type="secondary">{t('volunteers.ledger.audited')}</Typography.Text>
          <Button onClick={() => setAsked(period)} data-testid="ledger-show-people">
            {t('volunteers.ledger.showPeople')}
          </Button>
        </Flex>
      ) : (
        <>
          {ledger.data && ledger.data.peopleTotal > ledger.data.people.length && (
            <Alert type="info" showIcon title={t('volunteers.ledger.truncated', { shown: ledger.data.people.length, total: ledger.data.peopleTotal })} style={{ marginBottom: 8 }} />
          )}
          <Table<PersonRow>
            rowKey={(row) => `${row.workerId ?? ''}-${row.memberId ?? ''}-${row.name ?? ''}`}
            size="small"
            columns={columns}
            dataSource={ledger.data?.people ?? []}
            loading={ledger.isFetching}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: <Empty /> }}
            data-testid="people-ledger"
          />
        </>
      )}
    </Card>
  );
}

/** The hours ledger of a unit's subtree over a period: totals and teams for all who read the unit, people for staff. */
export function HoursPage() {
  const { t } = useTranslation();
  const me = useMe().data;
  const [unitId, setUnitId] = useScopeUnitId([...VOLUNTEER_STAFF_ROLES, 'analyst', 'member', 'worker'], false);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const period: Period | null = unitId === null ? null : { unitId, from: from || undefined, to: to || undefined };
  const hours = useUnitHours(period);
  return (
    <Flex vertical gap={12}>
      <VolunteersTabs />
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('volunteers.ledger.title')}
      </Typography.Title>
      <UnitScopeBar unitId={unitId} onChange={setUnitId} />
      <Flex wrap gap={8} align="center">
        <span>{t('volunteers.ledger.period')}</span>
        <Input type="date" value={from} max={to || chinaToday()} onChange={(e) => setFrom(e.target.value)} style={{ width: 160 }} data-testid="ledger-from" />
        <span>~</span>
        <Input type="date" value={to} max={chinaToday()} onChange={(e) => setTo(e.target.value)} style={{ width: 160 }} data-testid="ledger-to" />
        {hours.data && (
          <Typography.Text type="secondary">
            {hours.data.from} ~ {hours.data.to}
          </Typography.Text>
        )}
      </Flex>
      {hours.isError && <Alert type="error" showIcon title={t('errors.loadFailed')} />}
      {hours.data && (
        <>
          <TotalCards hours={hours.data} />
          <TeamHoursTable hours={hours.data} />
        </>
      )}
      {period && isVolunteerStaff(me) && <PeopleLedger period={period} />}
    </Flex>
  );
}
