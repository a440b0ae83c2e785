import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { Button, Flex, Result, Skeleton, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { qrCodeUrl, useCheckInLink, useStation } from '../api';
import { useStationNames } from '../names';
import './station-qr-print.css';

/** The sheet posted at a station: a big code workers scan to check in, the station's name and address. */
export function StationQrPage() {
  const { t } = useTranslation();
  const names = useStationNames();
  const id = Number(useParams().id);
  const station = useStation(id);
  // Asked first because it is the permission check: only those who run the station may print its code.
  const link = useCheckInLink(id);

  if (station.isPending || link.isPending) return <Skeleton active />;
  if (station.isError || link.isError) return <Result status="403" subTitle={t('stations.qr.notAllowed')} />;
  const s = station.data;

  return (
    <Flex vertical align="center" gap={16}>
      <Space className="station-qr-no-print" wrap>
        <Link to={`/stations/${id}`}>
          <Button icon={<ArrowLeftOutlined />}>{t('stations.qr.back')}</Button>
        </Link>
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="station-qr-print">
          {t('stations.qr.print')}
        </Button>
      </Space>
      <Flex
        vertical
        align="center"
        gap={12}
        className="station-qr-sheet"
        style={{ width: '100%', maxWidth: 560, padding: 32, background: '#fff', border: '1px solid #f0f0f0', borderRadius: 12, textAlign: 'center' }}
        data-testid="station-qr-sheet"
      >
        <Typography.Text type="secondary" style={{ fontSize: 18 }}>
          {names.kind(s.kind)}
        </Typography.Text>
        <Typography.Title level={2} style={{ margin: 0 }} data-testid="station-qr-name">
          {s.name}
        </Typography.Title>
        <Typography.Title level={1} style={{ margin: 0, color: '#c41d1d', letterSpacing: 8 }}>
          {t('stations.qr.scanToCheckIn')}
        </Typography.Title>
        <img src={qrCodeUrl(id)} alt={t('stations.qr.alt', { name: s.name })} style={{ width: '100%', maxWidth: 420, aspectRatio: '1 / 1' }} data-testid="station-qr-image" />
        <Typography.Text style={{ fontSize: 16 }} data-testid="station-qr-address">
          {s.address}
        </Typography.Text>
        {s.contactPhone && <Typography.Text type="secondary">{t('stations.qr.phone', { phone: s.contactPhone })}</Typography.Text>}
        <Typography.Text type="secondary" style={{ fontSize: 12, wordBreak: 'break-all' }} copyable={{ text: link.data.url }} data-testid="station-qr-url">
          {link.data.url}
        </Typography.Text>
      </Flex>
    </Flex>
  );
}
