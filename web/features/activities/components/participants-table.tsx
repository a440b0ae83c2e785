import { CheckOutlined } from '@ant-design/icons';
import { App, Button, Flex, Segmented, Statistic, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { formatChinaMinute } from '../../appeals/time';
import { type Activity, type Participant, useOrganizerCheckIn, useParticipants } from '../api';
import { PlaceTag } from './activity-tags';

type Show = 'all' | 'expected' | 'waitlisted' | 'attended' | 'absent';

/** Which people a tab shows: the organizer at the door wants those still expected. */
function shown(p: Participant, show: Show): boolean {
  switch (show) {
    case 'expected':
      return p.checkedInAt === null && p.status === 'confirmed';
    case 'waitlisted':
      return p.outcome === 'waitlisted';
    case 'attended':
      return p.checkedInAt !== null;
    case 'absent':
      return p.outcome === 'no_show' || p.outcome === 'cancelled';
    default:
      return true;
  }
}

/** Counts of an activity's list, as the organizer reads them at the door. */
export function ActivityCounts({ activity }: { activity: Activity }) {
  const { t } = useTranslation();
  return (
    <Flex wrap gap={32} data-testid="activity-counts">
      <Statistic title={t('activities.counts.confirmed')} value={activity.counts.confirmed} suffix={activity.capacity === null ? undefined : `/ ${activity.capacity}`} />
      <Statistic title={t('activities.counts.waitlisted')} value={activity.counts.waitlisted} />
      <Statistic title={t('activities.counts.checkedIn')} value={activity.counts.checkedIn} />
      <Statistic title={t('activities.counts.seatsLeft')} value={activity.seatsLeft ?? t('activities.list.unlimited')} />
    </Flex>
  );
}

/** 报名名单: everyone who signed up, waits, cancelled or walked in, with check-in by the organizer (the read is audited). */
export function ParticipantsTable({ activity }: { activity: Activity }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const reportError = useApiErrorReporter();
  const people = useParticipants(activity.id, activity.canOrganize);
  const checkIn = useOrganizerCheckIn(activity.id);
  const [show, setShow] = useState<Show>('all');
  const [pending, setPending] = useState<number | null>(null);
  const rows = (people.data ?? []).filter((p) => shown(p, show));
  const over = Date.parse(activity.endsAt) < Date.now();

  const checkInPerson = async (p: Participant) => {
    setPending(p.id);
    try {
      const result = await checkIn.mutateAsync(p.person);
      void message.success(result.alreadyCheckedIn ? t('activities.checkIn.already', { name: p.person.name }) : t('activities.checkIn.done', { name: p.person.name }));
    } catch (error) {
      reportError(error);
    } finally {
      setPending(null);
    }
  };

  return (
    <Flex vertical gap={12}>
      <Segmented<Show>
        value={show}
        onChange={setShow}
        data-testid="participants-filter"
        options={(['all', 'expected', 'waitlisted', 'attended', 'absent'] as const).map((s) => ({ value: s, label: t(`activities.participants.show.${s}`) }))}
      />
      <Table<Participant>
        rowKey="id"
        size="middle"
        loading={people.isPending}
        dataSource={rows}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: 720 }}
        data-testid="participants-table"
        onRow={(p) => ({ 'data-testid': `participant-${p.person.name}` }) as object}
        columns={[
          {
            key: 'name',
            title: t('activities.participants.name'),
            render: (_, p) => (
              <span>
                {p.person.name}
                {p.person.phoneTail && <Typography.Text type="secondary">{` · ${t('activities.participants.phoneTail', { tail: p.person.phoneTail })}`}</Typography.Text>}
              </span>
            ),
          },
          { key: 'place', title: t('activities.participants.status'), render: (_, p) => <PlaceTag place={p} testId="participant-status" /> },
          { key: 'signedUpAt', title: t('activities.participants.signedUpAt'), render: (_, p) => formatChinaMinute(p.signedUpAt) },
          {
            key: 'checkedInAt',
            title: t('activities.participants.checkedInAt'),
            render: (_, p) => (p.checkedInAt ? `${formatChinaMinute(p.checkedInAt)} · ${t(`activities.participants.method.${p.checkInMethod ?? 'organizer'}`)}` : '—'),
          },
          {
            key: 'action',
            title: '',
            width: 110,
            render: (_, p) =>
              p.checkedInAt === null && p.status !== 'cancelled' && activity.status === 'scheduled' && !over ? (
                <Button size="small" icon={<CheckOutlined />} loading={pending === p.id} onClick={() => void checkInPerson(p)} data-testid="participant-check-in">
                  {t('activities.participants.checkIn')}
                </Button>
              ) : null,
          },
        ]}
      />
    </Flex>
  );
}
