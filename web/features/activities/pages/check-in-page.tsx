import { CheckCircleFilled } from '@ant-design/icons';
import { Button, Card, Flex, Result, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { ApiError } from '../../../lib/api-client';
import { formatChinaMinute } from '../../appeals/time';
import { useActivity, useSelfCheckIn } from '../api';
import { venueText } from '../components/activity-tags';
import { formatChinaSpan } from '../time';

const BIG = { height: 56, fontSize: 18 } as const;

function Done({ at, walkIn, already }: { at: string; walkIn: boolean; already: boolean }) {
  const { t } = useTranslation();
  return (
    <Result
      status="success"
      icon={<CheckCircleFilled />}
      title={<span data-testid="check-in-done">{already ? t('activities.checkIn.alreadyMine') : t('activities.checkIn.doneMine')}</span>}
      subTitle={`${t('activities.checkIn.at', { at: formatChinaMinute(at) })}${walkIn ? ` · ${t('activities.checkIn.walkIn')}` : ''}`}
      extra={
        <Link to="/me/activities?tab=mine">
          <Button size="large">{t('activities.checkIn.toMine')}</Button>
        </Link>
      }
    />
  );
}

/**
 * 活动签到: where the QR code at the venue leads (/me/activities/:id/check-in?token=…). One tap records the
 * visit; the token proves the phone saw the code at this activity, so it works only here.
 */
export function CheckInPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const token = useSearchParams()[0].get('token') ?? '';
  const activity = useActivity(id);
  const checkIn = useSelfCheckIn(id);

  let body;
  if (!token) body = <Result status="warning" title={t('activities.checkIn.noToken')} />;
  else if (activity.isPending) body = <Skeleton active />;
  else if (activity.isError) {
    const detail = activity.error instanceof ApiError ? activity.error.detail : undefined;
    body = <Result status="warning" title={t('activities.checkIn.notFound')} subTitle={detail} />;
  } else if (checkIn.data) body = <Done at={checkIn.data.checkedInAt} walkIn={checkIn.data.walkIn} already={checkIn.data.alreadyCheckedIn} />;
  else if (activity.data.mySignup?.checkedInAt) body = <Done at={activity.data.mySignup.checkedInAt} walkIn={activity.data.mySignup.status === 'walk_in'} already />;
  else {
    const a = activity.data;
    const failure = checkIn.error instanceof ApiError ? checkIn.error.detail || checkIn.error.errors.map((e) => e.message).join(' ') : checkIn.error ? t('errors.network') : null;
    body = (
      <Card>
        <Flex vertical gap={12}>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="check-in-title">
            {a.title}
          </Typography.Title>
          <Typography.Text>{formatChinaSpan(a.startsAt, a.endsAt)}</Typography.Text>
          <Typography.Text type="secondary">{venueText(a)}</Typography.Text>
          {a.mySignup === null && <Typography.Text type="secondary">{t('activities.checkIn.notSignedUp')}</Typography.Text>}
          {failure && (
            <Typography.Text type="danger" data-testid="check-in-error">
              {failure}
            </Typography.Text>
          )}
          <Button type="primary" block style={BIG} loading={checkIn.isPending} onClick={() => checkIn.mutate(token)} data-testid="check-in-confirm">
            {t('activities.checkIn.confirm')}
          </Button>
        </Flex>
      </Card>
    );
  }

  return (
    <Flex vertical gap={12} style={{ maxWidth: 480, margin: '0 auto' }} data-testid="check-in-page">
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('activities.checkIn.title')}
      </Typography.Title>
      {body}
    </Flex>
  );
}
