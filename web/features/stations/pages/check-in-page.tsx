import { CheckCircleOutlined, EnvironmentOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Result, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { ApiError } from '../../../lib/api-client';
import { formatChinaDateTime } from '../../../lib/format';
import { useCheckIn, useStation } from '../api';
import { useStationNames } from '../names';

/**
 * What a station's QR code opens (/s/:id?t=…): the worker checks in with one tap. A logged-out phone
 * was sent to the login page first and brought back here with the token intact.
 */
export function CheckInPage() {
  const { t } = useTranslation();
  const names = useStationNames();
  const id = Number(useParams().id);
  const token = useSearchParams()[0].get('t') ?? '';
  const station = useStation(Number.isInteger(id) && id > 0 ? id : null);
  const checkIn = useCheckIn(id);

  if (!token || !Number.isInteger(id) || id <= 0) return <Result status="warning" title={t('stations.checkIn.badCode')} data-testid="station-checkin-bad" />;
  if (station.isPending) return <Skeleton active />;
  if (station.isError) return <Result status="404" title={t('stations.checkIn.badCode')} data-testid="station-checkin-bad" />;
  const s = station.data;
  const visit = checkIn.data;
  const failure = checkIn.error instanceof ApiError ? checkIn.error : null;

  return (
    <Flex vertical gap={12} style={{ maxWidth: 480, margin: '0 auto' }} data-testid="station-checkin-page">
      <Card>
        <Flex vertical gap={4}>
          <Typography.Text type="secondary">{names.kind(s.kind)}</Typography.Text>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="station-checkin-name">
            {s.name}
          </Typography.Title>
          <Typography.Text>
            <EnvironmentOutlined /> {s.address}
          </Typography.Text>
        </Flex>
      </Card>
      {visit ? (
        <Result
          status={visit.alreadyCheckedIn ? 'info' : 'success'}
          icon={<CheckCircleOutlined />}
          title={visit.alreadyCheckedIn ? t('stations.checkIn.already') : t('stations.checkIn.done')}
          subTitle={t('stations.checkIn.at', { at: formatChinaDateTime(visit.visitedAt) })}
          extra={
            <Link to="/me/stations">
              <Button size="large">{t('stations.nearby.title')}</Button>
            </Link>
          }
          data-testid="station-checkin-result"
          data-state={visit.alreadyCheckedIn ? 'already' : 'new'}
        />
      ) : (
        <Card>
          <Flex vertical gap={12}>
            <Typography.Text>{t('stations.checkIn.intro')}</Typography.Text>
            {failure && (
              <Typography.Text type="danger" data-testid="station-checkin-error">
                {failure.status === 403 ? t('stations.checkIn.notWorker') : failure.detail || t('errors.unexpected')}
              </Typography.Text>
            )}
            <Button
              type="primary"
              block
              style={{ height: 64, fontSize: 20 }}
              loading={checkIn.isPending}
              disabled={s.status === 'closed'}
              onClick={() => checkIn.mutate(token)}
              data-testid="station-checkin-button"
            >
              {t('stations.checkIn.button')}
            </Button>
          </Flex>
        </Card>
      )}
    </Flex>
  );
}
