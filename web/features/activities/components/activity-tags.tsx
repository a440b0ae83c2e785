import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Activity, ActivityKind, Participant } from '../api';

const KIND_COLORS: Record<ActivityKind, string> = {
  health_check: 'green',
  training: 'blue',
  themed_day: 'red',
  film_screening: 'purple',
  volunteer_service: 'cyan',
  care_visit: 'orange',
  branch_meeting: 'magenta',
};

export function KindTag({ kind }: { kind: ActivityKind }) {
  const { t } = useTranslation();
  return (
    <Tag color={KIND_COLORS[kind]} style={{ marginInlineEnd: 0 }}>
      {t(`activities.kind.${kind}`)}
    </Tag>
  );
}

/** Cancelled, over, under way or ahead: what an organizer needs to know at a glance. */
export function ActivityStatusTag({ activity, now = Date.now() }: { activity: Pick<Activity, 'status' | 'startsAt' | 'endsAt'>; now?: number }) {
  const { t } = useTranslation();
  if (activity.status === 'cancelled') return <Tag color="red" data-testid="activity-status">{t('activities.status.cancelled')}</Tag>;
  if (Date.parse(activity.endsAt) < now) return <Tag data-testid="activity-status">{t('activities.status.over')}</Tag>;
  if (Date.parse(activity.startsAt) <= now) return <Tag color="processing" data-testid="activity-status">{t('activities.status.underWay')}</Tag>;
  return <Tag color="blue" data-testid="activity-status">{t('activities.status.ahead')}</Tag>;
}

type Place = Pick<Participant, 'status' | 'waitlistPosition' | 'checkedInAt' | 'outcome'>;

/** A person's place in an activity: signed up, waitlisted (n-th), cancelled, checked in, walk-in or no-show. */
export function PlaceTag({ place, testId }: { place: Place; testId?: string }) {
  const { t } = useTranslation();
  if (place.checkedInAt !== null) {
    return (
      <Tag color="success" data-testid={testId}>
        {place.status === 'walk_in' ? t('activities.place.walkIn') : t('activities.place.checkedIn')}
      </Tag>
    );
  }
  switch (place.outcome) {
    case 'waitlisted':
      return (
        <Tag color="warning" data-testid={testId}>
          {place.waitlistPosition ? t('activities.place.waitlistedAt', { n: place.waitlistPosition }) : t('activities.place.waitlisted')}
        </Tag>
      );
    case 'cancelled':
      return <Tag data-testid={testId}>{t('activities.place.cancelled')}</Tag>;
    case 'no_show':
      return <Tag color="error" data-testid={testId}>{t('activities.place.noShow')}</Tag>;
    default:
      return <Tag color="blue" data-testid={testId}>{t('activities.place.signedUp')}</Tag>;
  }
}

/** Where it is held: the station's name with its address, or the address alone. */
export function venueText(activity: Pick<Activity, 'stationName' | 'address'>): string {
  if (activity.stationName && activity.address) return `${activity.stationName} · ${activity.address}`;
  return activity.stationName ?? activity.address ?? '';
}
