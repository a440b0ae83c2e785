import { EnvironmentOutlined, QrcodeOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { type Activity, useCancelSignUp, useSignUp } from '../api';
import { chinaWeekdayOf, formatChinaSpan } from '../time';
import { KindTag, PlaceTag, venueText } from './activity-tags';

const BIG = { height: 48, fontSize: 16 } as const;
/** Check-in opens this long before the start (the server's rule; shown here only as a hint). */
const CHECK_IN_LEAD_MS = 2 * 3_600_000;

function Seats({ a }: { a: Activity }) {
  const { t } = useTranslation();
  if (a.seatsLeft === null) return <Typography.Text type="secondary">{t('activities.card.unlimited')}</Typography.Text>;
  if (a.seatsLeft > 0) return <Typography.Text type="success" data-testid="activity-seats">{t('activities.card.seatsLeft', { count: a.seatsLeft })}</Typography.Text>;
  return (
    <Typography.Text type="warning" data-testid="activity-seats">
      {t('activities.card.full', { count: a.counts.waitlisted })}
    </Typography.Text>
  );
}

/** Why the sign-up button cannot be pressed right now, or null. */
function signUpClosed(a: Activity, now: number): 'notYet' | 'closed' | null {
  if (a.signupOpensAt && now < Date.parse(a.signupOpensAt)) return 'notYet';
  if (now >= Date.parse(a.signupClosesAt)) return 'closed';
  return null;
}

/**
 * One activity on the worker's phone: what, when (China time), where, places left, their own place, and
 * sign-up or cancel in one tap. Check-in happens by scanning the code shown at the venue.
 */
export function ActivityCard({ activity: a }: { activity: Activity }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const reportError = useApiErrorReporter();
  const signUp = useSignUp();
  const cancel = useCancelSignUp();
  const now = Date.now();
  const mine = a.mySignup;
  const holding = mine !== null && (mine.status === 'confirmed' || mine.status === 'waitlisted') && mine.checkedInAt === null;
  const ended = Date.parse(a.endsAt) < now;
  const checkInOpen = holding && a.status === 'scheduled' && now >= Date.parse(a.startsAt) - CHECK_IN_LEAD_MS && !ended;
  const closed = signUpClosed(a, now);

  const doSignUp = () =>
    signUp.mutate(a.id, {
      onSuccess: (result) =>
        void message.success(result.status === 'waitlisted' ? t('activities.card.waitlistedDone', { n: result.waitlistPosition ?? 1 }) : t('activities.card.signedUpDone')),
      onError: (error) => reportError(error),
    });
  const doCancel = () =>
    cancel.mutate(a.id, {
      onSuccess: () => void message.success(t('activities.card.cancelledDone')),
      onError: (error) => reportError(error),
    });

  return (
    <Card size="small" data-testid="activity-card" data-activity-id={a.id} style={{ width: '100%' }}>
      <Flex vertical gap={6}>
        <Flex justify="space-between" align="start" gap={8}>
          <Typography.Text strong style={{ fontSize: 16 }} data-testid="activity-card-title">
            {a.title}
          </Typography.Text>
          <KindTag kind={a.kind} />
        </Flex>
        <Typography.Text data-testid="activity-card-when">
          {formatChinaSpan(a.startsAt, a.endsAt)} {t(`activities.weekday.${chinaWeekdayOf(a.startsAt)}`)}
        </Typography.Text>
        <Typography.Text type="secondary">
          <EnvironmentOutlined /> {venueText(a)}
          {a.distanceKm !== null && ` · ${t('activities.card.distance', { km: a.distanceKm })}`}
        </Typography.Text>
        {a.status === 'cancelled' ? (
          <Typography.Text type="danger">{t('activities.card.cancelled', { reason: a.cancelReason ?? '' })}</Typography.Text>
        ) : (
          <Flex justify="space-between" align="center" gap={8} wrap>
            <Seats a={a} />
            {mine && mine.status !== 'cancelled' && <PlaceTag place={mine} testId="activity-card-place" />}
          </Flex>
        )}
        {checkInOpen && (
          <Typography.Text type="success" data-testid="activity-card-check-in-hint">
            <QrcodeOutlined /> {t('activities.card.checkInHint')}
          </Typography.Text>
        )}
        {a.status === 'scheduled' && !ended && !holding && !(mine?.checkedInAt) && (
          <Button type="primary" block style={BIG} disabled={closed !== null} loading={signUp.isPending} onClick={doSignUp} data-testid="activity-sign-up">
            {closed ? t(`activities.card.signUp_${closed}`) : a.seatsLeft === 0 ? t('activities.card.joinWaitlist') : t('activities.card.signUp')}
          </Button>
        )}
        {a.status === 'scheduled' && !ended && holding && (
          <Button block style={BIG} loading={cancel.isPending} onClick={doCancel} data-testid="activity-cancel-sign-up">
            {mine.status === 'waitlisted' ? t('activities.card.leaveWaitlist') : t('activities.card.cancelSignUp')}
          </Button>
        )}
      </Flex>
    </Card>
  );
}
