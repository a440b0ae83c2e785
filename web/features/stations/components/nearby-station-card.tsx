import { CompassOutlined, EnvironmentOutlined, PhoneOutlined, StarOutlined, WarningOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatChinaDateTime } from '../../../lib/format';
import { StationActivitiesLink } from '../../activities/components/entry-links';
import type { NearbyStation } from '../api';
import { formatDistance } from '../format';
import { isOvernight, rangesToday, type TimeRange } from '../hours';
import { useStationNames } from '../names';
import { ServiceIcons } from './service-icons';
import { RateModal, ReportModal } from './station-feedback';
import { OpenTag } from './station-tags';

function useRangeText() {
  const { t } = useTranslation();
  return (r: TimeRange) => {
    if (r.opens === '00:00' && r.closes === '24:00') return t('stations.hours.allDay');
    return isOvernight(r) ? `${r.opens}–${t('stations.hours.nextDay')}${r.closes}` : `${r.opens}–${r.closes}`;
  };
}

/** Today's hours in China: the ranges, "closed today", and the note of a holiday or closure. */
export function HoursToday({ hours }: { hours: NearbyStation['hours'] }) {
  const { t } = useTranslation();
  const rangeText = useRangeText();
  const today = rangesToday(hours);
  const text = today.ranges.length === 0 ? t('stations.hours.closedToday') : today.ranges.map(rangeText).join('，');
  return (
    <Typography.Text type="secondary" data-testid="station-hours-today">
      {t('stations.hours.today')}：{text}
      {today.exception?.note ? `（${today.exception.note}）` : ''}
    </Typography.Text>
  );
}

/** When it next opens or closes, in China time, short: "12-05 20:00". */
function NextChange({ station }: { station: NearbyStation }) {
  const { t } = useTranslation();
  if (!station.nextChange) return null;
  const at = formatChinaDateTime(station.nextChange).slice(5, 16);
  return <Typography.Text type="secondary">{station.openNow ? t('stations.open.until', { at }) : t('stations.open.opensAt', { at })}</Typography.Text>;
}

/** One station in the phone list: how far, open or not, what is there, and how to get there. */
export function NearbyStationCard({ station }: { station: NearbyStation }) {
  const { t, i18n } = useTranslation();
  const names = useStationNames();
  const [rating, setRating] = useState(false);
  const [reporting, setReporting] = useState(false);
  return (
    <Card size="small" data-testid="station-item" data-station-id={station.id} data-distance={station.distanceMetres} data-open={station.openNow}>
      <Flex vertical gap={6}>
        <Flex justify="space-between" align="flex-start" gap={8}>
          <Flex vertical style={{ minWidth: 0 }}>
            <Typography.Text strong style={{ fontSize: 16 }} data-testid="station-name">
              {station.name}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {names.kind(station.kind)}
            </Typography.Text>
          </Flex>
          <Flex vertical align="flex-end" style={{ flexShrink: 0 }}>
            <Typography.Text strong style={{ fontSize: 16, color: '#1677ff' }} data-testid="station-distance">
              {formatDistance(station.distanceMetres, i18n.language)}
            </Typography.Text>
            <OpenTag open={station.openNow} />
          </Flex>
        </Flex>
        <HoursToday hours={station.hours} />
        <NextChange station={station} />
        <ServiceIcons services={station.services} />
        <Typography.Text style={{ fontSize: 13 }}>
          <EnvironmentOutlined /> {station.address}
        </Typography.Text>
        {station.contactPhone && (
          <a href={`tel:${station.contactPhone.replace(/[^0-9+]/g, '')}`} style={{ fontSize: 13 }}>
            <PhoneOutlined /> {station.contactPhone}
          </a>
        )}
        <Flex gap={8} wrap>
          {/* Each link carries the position in its app's own system (GCJ-02, BD-09), converted by the server. */}
          <Button href={station.navigation.amap} target="_blank" rel="noopener noreferrer" icon={<CompassOutlined />} style={{ flex: 1, height: 44 }} data-testid="station-nav-amap">
            {t('stations.nearby.amap')}
          </Button>
          <Button href={station.navigation.baidu} target="_blank" rel="noopener noreferrer" icon={<CompassOutlined />} style={{ flex: 1, height: 44 }} data-testid="station-nav-baidu">
            {t('stations.nearby.baidu')}
          </Button>
        </Flex>
        <StationActivitiesLink stationId={station.id} />
        <Flex gap={8}>
          <Button type="text" icon={<StarOutlined />} onClick={() => setRating(true)} data-testid="station-rate">
            {t('stations.rate.button')}
          </Button>
          <Button type="text" icon={<WarningOutlined />} onClick={() => setReporting(true)} data-testid="station-report">
            {t('stations.report.button')}
          </Button>
        </Flex>
      </Flex>
      {rating && <RateModal stationId={station.id} stationName={station.name} open={rating} onClose={() => setRating(false)} />}
      {reporting && <ReportModal stationId={station.id} stationName={station.name} open={reporting} onClose={() => setReporting(false)} />}
    </Card>
  );
}
