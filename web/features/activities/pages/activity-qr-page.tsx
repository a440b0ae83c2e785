import { PrinterOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Result, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../../../lib/api-client';
import { useActivity, useCheckInLink } from '../api';
import { venueText } from '../components/activity-tags';
import { formatChinaSpan } from '../time';

const PRINT_CSS = '@media print { .activity-qr-no-print, .ant-layout-header, .ant-layout-sider { display: none !important; } }';

/**
 * 签到二维码, to print and put up at the venue: a worker scans it with the phone's camera and lands on
 * the check-in page. The link is printed too, for a phone whose camera app does not open links.
 */
export function ActivityQrPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const activity = useActivity(id);
  const link = useCheckInLink(id);

  if (activity.isPending || link.isPending) return <Skeleton active />;
  if (activity.isError || link.isError) {
    const error = activity.error ?? link.error;
    return <Result status="error" title={t('errors.loadFailed')} subTitle={error instanceof ApiError ? error.detail : undefined} />;
  }
  const a = activity.data;
  return (
    <Flex vertical align="center" gap={16} data-testid="activity-qr-page">
      {/* On paper only the card: no buttons, no header or menu of the app around it. */}
      <style>{PRINT_CSS}</style>
      <Flex gap={8} className="activity-qr-no-print">
        <Link to={`/activities/${a.id}`}>
          <Button>{t('activities.qr.back')}</Button>
        </Link>
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>
          {t('activities.qr.print')}
        </Button>
      </Flex>
      <Card style={{ maxWidth: 520, width: '100%', textAlign: 'center' }}>
        <Flex vertical align="center" gap={8}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {a.title}
          </Typography.Title>
          <Typography.Text>{formatChinaSpan(a.startsAt, a.endsAt)}</Typography.Text>
          <Typography.Text type="secondary">{venueText(a)}</Typography.Text>
          <img src={`/api/v1/activities/${a.id}/qr.svg`} alt={t('activities.qr.alt')} width={320} height={320} data-testid="activity-qr-image" />
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('activities.qr.scan')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('activities.qr.window')}</Typography.Text>
          <Typography.Text copyable={{ text: link.data.url }} style={{ wordBreak: 'break-all', fontSize: 12 }} data-testid="activity-check-in-url">
            {link.data.url}
          </Typography.Text>
        </Flex>
      </Card>
    </Flex>
  );
}
