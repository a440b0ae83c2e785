import { App, Button, Card, Empty, Flex, List, Result, Skeleton, Statistic, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { type MyVolunteering, useJoinTeam, useLeaveTeam, useMyVolunteering } from '../api';
import { RecordStatusTag, useHoursText, usePeriodText } from '../components/labels';
import { RecordHoursForm } from '../components/record-hours-form';

type Mine = MyVolunteering;

function Totals({ mine }: { mine: Mine }) {
  const { t } = useTranslation();
  return (
    <Card data-testid="my-hours">
      <Flex justify="space-around">
        <div data-testid="my-verified-hours">
          <Statistic title={t('volunteers.mine.verifiedHours')} value={mine.totals.verifiedHours} suffix={t('volunteers.hourUnit')} />
        </div>
        <div data-testid="my-pending-hours">
          <Statistic title={t('volunteers.mine.pendingHours')} value={mine.totals.pendingHours} suffix={t('volunteers.hourUnit')} />
        </div>
      </Flex>
    </Card>
  );
}

function MyTeams({ mine }: { mine: Mine }) {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const reportError = useApiErrorReporter();
  const leave = useLeaveTeam();
  const current = mine.teams.filter((team) => team.leftOn === null);
  const confirmLeave = (teamId: number, teamName: string) =>
    modal.confirm({
      title: t('volunteers.mine.leaveTitle', { name: teamName }),
      content: t('volunteers.mine.leaveBody'),
      okText: t('volunteers.team.leave'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () => leave.mutateAsync(teamId).catch((error: unknown) => reportError(error)),
    });
  return (
    <Card title={t('volunteers.mine.myTeams')} data-testid="my-teams">
      <List
        dataSource={current}
        locale={{ emptyText: <Empty description={t('volunteers.mine.noTeams')} /> }}
        renderItem={(team) => (
          <List.Item
            data-testid={`my-team-${team.teamId}`}
            actions={team.role === 'leader' ? [] : [<Button key="leave" size="small" onClick={() => confirmLeave(team.teamId, team.teamName)} data-testid={`leave-${team.teamId}`}>{t('volunteers.team.leave')}</Button>]}
          >
            <List.Item.Meta
              title={<Link to={`/volunteers/teams/${team.teamId}`}>{team.teamName}</Link>}
              description={
                <Flex gap={8} wrap>
                  {team.role === 'leader' && <Tag color="red">{t('volunteers.role.leader')}</Tag>}
                  <span>{t('volunteers.mine.joinedOn', { date: team.joinedOn })}</span>
                </Flex>
              }
            />
          </List.Item>
        )}
      />
    </Card>
  );
}

function OpenTeams({ mine }: { mine: Mine }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const reportError = useApiErrorReporter();
  const join = useJoinTeam();
  if (mine.openTeams.length === 0) return null;
  return (
    <Card title={t('volunteers.mine.openTeams')} data-testid="open-teams">
      <Typography.Paragraph type="secondary">{t('volunteers.mine.openTeamsIntro')}</Typography.Paragraph>
      <List
        dataSource={mine.openTeams}
        renderItem={(team) => (
          <List.Item data-testid={`open-team-${team.id}`}>
            <Flex vertical gap={8} style={{ width: '100%' }}>
              <Typography.Text strong>{team.name}</Typography.Text>
              <Typography.Text type="secondary">
                {team.unitName} · {t('volunteers.team.activeVolunteers', { count: team.activeVolunteers })}
              </Typography.Text>
              {team.description && <Typography.Text>{team.description}</Typography.Text>}
              <Button
                type="primary"
                block
                style={{ height: 44 }}
                loading={join.isPending && join.variables === team.id}
                data-testid={`join-${team.id}`}
                onClick={() =>
                  join.mutate(team.id, {
                    onSuccess: () => void message.success(t('volunteers.mine.joined', { name: team.name })),
                    onError: (error) => reportError(error),
                  })
                }
              >
                {t('volunteers.team.join')}
              </Button>
            </Flex>
          </List.Item>
        )}
      />
    </Card>
  );
}

function MyRecords({ mine }: { mine: Mine }) {
  const { t } = useTranslation();
  const hours = useHoursText();
  return (
    <Card title={t('volunteers.mine.myRecords')} data-testid="my-records">
      <List
        dataSource={mine.records}
        locale={{ emptyText: <Empty description={t('volunteers.mine.noRecords')} /> }}
        renderItem={(record) => (
          <List.Item data-testid={`my-record-${record.id}`}>
            <Flex vertical gap={4} style={{ width: '100%' }}>
              <Flex justify="space-between" gap={8}>
                <Typography.Text strong>
                  {record.serviceDate} · {hours(record.hours)}
                </Typography.Text>
                <RecordStatusTag status={record.status} />
              </Flex>
              <Typography.Text type="secondary">{record.teamName}</Typography.Text>
              <Typography.Text>{record.description}</Typography.Text>
              {record.rejectReason && <Typography.Text type="danger">{t('volunteers.records.reasonShown', { reason: record.rejectReason })}</Typography.Text>}
            </Flex>
          </List.Item>
        )}
      />
    </Card>
  );
}

function MyPostsAndGrid({ mine }: { mine: Mine }) {
  const { t } = useTranslation();
  const period = usePeriodText();
  if (mine.posts.length === 0 && mine.gridRoles.length === 0) return null;
  return (
    <Card title={t('volunteers.mine.postsAndGrid')} data-testid="my-posts">
      <List
        dataSource={[
          ...mine.posts.map((p) => ({ key: `p${p.id}`, title: p.title, detail: p.unitName, from: p.fromDate, to: p.toDate })),
          ...mine.gridRoles.map((g) => ({ key: `g${g.id}`, title: `${t(`volunteers.gridTitle.${g.roleTitle}`)} · ${g.gridName}`, detail: `${g.cityName ?? g.cityCode} ${g.communityName}`, from: g.fromDate, to: g.toDate })),
        ]}
        renderItem={(item) => (
          <List.Item key={item.key}>
            <List.Item.Meta title={item.title} description={`${item.detail} · ${period(item.from, item.to)}`} />
          </List.Item>
        )}
      />
    </Card>
  );
}

/** A worker's own volunteering on the phone: hours, logging a day of service, teams to join, records. */
export function MyVolunteeringPage() {
  const { t } = useTranslation();
  const mine = useMyVolunteering();
  let body;
  if (mine.isPending) body = <Skeleton active />;
  else if (mine.isError) body = <Result status="error" title={t('errors.loadFailed')} />;
  else {
    const active = mine.data.teams.filter((team) => team.leftOn === null && team.teamClosedOn === null);
    body = (
      <>
        <Totals mine={mine.data} />
        <Card title={t('volunteers.record.title')} data-testid="record-card">
          {active.length > 0 ? <RecordHoursForm teams={active} /> : <Typography.Text type="secondary">{t('volunteers.record.joinFirst')}</Typography.Text>}
        </Card>
        <MyTeams mine={mine.data} />
        <OpenTeams mine={mine.data} />
        <MyRecords mine={mine.data} />
        <MyPostsAndGrid mine={mine.data} />
      </>
    );
  }
  return (
    <Flex vertical gap={12} style={{ maxWidth: 480, margin: '0 auto' }} data-testid="my-volunteering-page">
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('volunteers.mine.title')}
      </Typography.Title>
      {body}
    </Flex>
  );
}
