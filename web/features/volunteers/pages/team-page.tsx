import { ArrowLeftOutlined } from '@ant-design/icons';
import { App, Button, Card, Descriptions, Flex, Modal, Result, Skeleton, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../../../lib/api-client';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { useMe } from '../../auth/api';
import { canSeeWorkers } from '../../workers/api';
import { type TeamDetail, hasOwnVolunteering, useJoinTeam, useLeaveTeam, useMyVolunteering, useTeam } from '../api';
import { RecordHoursForm } from '../components/record-hours-form';
import { RosterTable } from '../components/roster-table';
import { CloseTeamModal, EditTeamModal } from '../components/team-forms';
import { TeamRecords } from '../components/team-records';

type Place = { teamId: number; teamName: string; role: string } | null;

/** Join, leave, log one's hours; and for staff, edit and close. */
function TeamActions({ team, place }: { team: TeamDetail; place: Place }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe().data;
  const reportError = useApiErrorReporter();
  const join = useJoinTeam();
  const leave = useLeaveTeam();
  const [dialog, setDialog] = useState<'edit' | 'close' | 'record' | null>(null);
  const open = team.closedOn === null;
  return (
    <Flex gap={8} wrap>
      {open && hasOwnVolunteering(me) && place === null && (
        <Button
          type="primary"
          loading={join.isPending}
          data-testid="team-join"
          onClick={() => join.mutate(team.id, { onSuccess: () => void message.success(t('volunteers.mine.joined', { name: team.name })), onError: (e) => reportError(e) })}
        >
          {t('volunteers.team.join')}
        </Button>
      )}
      {open && place !== null && (
        <Button type="primary" onClick={() => setDialog('record')} data-testid="team-record-hours">
          {t('volunteers.record.title')}
        </Button>
      )}
      {open && place !== null && place.role !== 'leader' && (
        <Button loading={leave.isPending} data-testid="team-leave" onClick={() => leave.mutate(team.id, { onError: (e) => reportError(e) })}>
          {t('volunteers.team.leave')}
        </Button>
      )}
      {open && team.canManage && (
        <>
          <Button onClick={() => setDialog('edit')} data-testid="team-edit">
            {t('volunteers.team.edit')}
          </Button>
          <Button danger onClick={() => setDialog('close')} data-testid="team-close">
            {t('volunteers.team.close')}
          </Button>
        </>
      )}
      <EditTeamModal open={dialog === 'edit'} onClose={() => setDialog(null)} team={team} />
      <CloseTeamModal open={dialog === 'close'} onClose={() => setDialog(null)} team={team} />
      <Modal open={dialog === 'record'} title={t('volunteers.record.title')} footer={null} onCancel={() => setDialog(null)} destroyOnHidden>
        {place && <RecordHoursForm teams={[place]} onDone={() => setDialog(null)} />}
      </Modal>
    </Flex>
  );
}

/** One team: what it is, who is on it (for those the server shows), its records to verify. */
export function TeamPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const me = useMe().data;
  const team = useTeam(id);
  // Whoever is logged in may have a person record (a secretary is often a member): their place and own records.
  const mine = useMyVolunteering();
  const place: Place = mine.data?.teams.find((m) => m.teamId === id && m.leftOn === null) ?? null;
  const ownRecordIds = useMemo(() => new Set((mine.data?.records ?? []).map((r) => r.id)), [mine.data]);

  if (team.isPending) return <Skeleton active />;
  if (team.isError) {
    const missing = team.error instanceof ApiError && team.error.status === 404;
    return <Result status={missing ? '404' : 'error'} title={missing ? t('volunteers.team.notFound') : t('errors.loadFailed')} />;
  }
  const data = team.data;
  const items = [
    { key: 'unit', label: t('volunteers.field.unit'), children: data.unitName },
    { key: 'founded', label: t('volunteers.field.foundedOn'), children: data.foundedOn },
    { key: 'volunteers', label: t('volunteers.field.activeVolunteers'), children: data.activeVolunteers },
    ...(data.closedOn ? [{ key: 'closed', label: t('volunteers.field.closedOn'), children: `${data.closedOn} · ${data.closeReason ?? ''}` }] : []),
    ...(data.description ? [{ key: 'description', label: t('volunteers.field.description'), children: data.description }] : []),
  ];
  return (
    <Flex vertical gap={12} style={{ maxWidth: 1100 }}>
      <Link to={me && hasOwnVolunteering(me) && !data.canVerify ? '/me/volunteering' : '/volunteers'}>
        <ArrowLeftOutlined /> {t('volunteers.team.back')}
      </Link>
      <Card>
        <Flex vertical gap={12}>
          <Flex gap={8} wrap align="center">
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="team-title">
              {data.name}
            </Typography.Title>
            {data.closedOn && <Tag>{t('volunteers.team.closedOn', { date: data.closedOn })}</Tag>}
            {place?.role === 'leader' && <Tag color="red">{t('volunteers.team.youLead')}</Tag>}
            {place?.role === 'volunteer' && <Tag color="blue">{t('volunteers.team.youAreOn')}</Tag>}
          </Flex>
          <Descriptions column={{ xs: 1, md: 2 }} size="small" items={items} />
          <TeamActions team={data} place={place} />
        </Flex>
      </Card>
      {data.roster === null ? (
        <Card>
          <Typography.Text type="secondary" data-testid="roster-hidden">
            {t('volunteers.roster.hidden')}
          </Typography.Text>
        </Card>
      ) : (
        <>
          <RosterTable team={data} canAdd={data.canManage && canSeeWorkers(me)} />
          <TeamRecords team={data} ownRecordIds={ownRecordIds} />
        </>
      )}
    </Flex>
  );
}
