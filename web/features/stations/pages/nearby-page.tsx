import { AimOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Flex, Select, Skeleton, Switch, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { type NearbyParams, type StationService, useNearbyStations } from '../api';
import { CITY_CENTRES, cityCentreOf } from '../city-centres';
import { servicesFromParam } from '../format';
import { NearbyStationCard } from '../components/nearby-station-card';
import { ServicePicker } from '../components/service-icons';

type Fix = { state: 'locating' } | { state: 'located'; lat: number; lng: number } | { state: 'failed' };

// A phone at a red light: a fix from the last few minutes is good enough, and waiting long is not.
const GEO_OPTIONS: PositionOptions = { enableHighAccuracy: false, timeout: 10_000, maximumAge: 5 * 60_000 };

/** The browser's position, asked once on arrival and again on demand; refusal just means "pick a city". */
function useBrowserPosition(): [Fix, () => void] {
  const available = typeof navigator !== 'undefined' && 'geolocation' in navigator;
  const [fix, setFix] = useState<Fix>(available ? { state: 'locating' } : { state: 'failed' });
  const locate = useCallback(() => {
    if (!available) return;
    setFix({ state: 'locating' });
    navigator.geolocation.getCurrentPosition(
      (p) => setFix({ state: 'located', lat: p.coords.latitude, lng: p.coords.longitude }),
      () => setFix({ state: 'failed' }),
      GEO_OPTIONS,
    );
  }, [available]);
  useEffect(locate, [locate]);
  return [fix, locate];
}

/** 附近驿站: the nearest stations from where the worker stands (or a chosen city), with service and open-now filters. */
export function NearbyPage() {
  const { t, i18n } = useTranslation();
  const english = i18n.language === 'en';
  const [params, setParams] = useSearchParams();
  const [fix, locate] = useBrowserPosition();
  // The filters live in state (two quick taps must both count) and are copied into the address, so a
  // reload or a shared link keeps them.
  const [cityCode, setCity] = useState<string | null>(() => params.get('city'));
  const [services, setServices] = useState<StationService[]>(() => servicesFromParam(params.get('service')));
  const [openNow, setOpenNow] = useState(() => params.get('open') === '1');
  const city = cityCentreOf(cityCode);
  const servicesKey = services.join(',');
  useEffect(() => {
    const next = new URLSearchParams();
    if (city) next.set('city', city.code);
    if (servicesKey) next.set('service', servicesKey);
    if (openNow) next.set('open', '1');
    setParams(next, { replace: true });
  }, [city, servicesKey, openNow, setParams]);

  // A chosen city wins over the position: the worker may be planning tomorrow's route elsewhere.
  const origin = city ? { lat: city.lat, lng: city.lng } : fix.state === 'located' ? { lat: fix.lat, lng: fix.lng } : null;
  // Rounded to about a metre, so a jittering fix does not ask again for the same answer.
  const lat = origin ? Math.round(origin.lat * 1e5) / 1e5 : null;
  const lng = origin ? Math.round(origin.lng * 1e5) / 1e5 : null;
  const query = useMemo<NearbyParams | null>(
    () => (lat !== null && lng !== null ? { lat, lng, services: servicesFromParam(servicesKey), openNow } : null),
    [lat, lng, servicesKey, openNow],
  );
  const nearby = useNearbyStations(query);
  const items = nearby.data?.items ?? [];

  let whereText: string;
  if (city) whereText = t('stations.nearby.fromCity', { city: english ? city.en : city.zh });
  else if (fix.state === 'located') whereText = t('stations.nearby.fromHere');
  else if (fix.state === 'locating') whereText = t('stations.nearby.locating');
  else whereText = t('stations.nearby.noFix');

  return (
    <Flex vertical gap={12} style={{ maxWidth: 520, margin: '0 auto' }} data-testid="nearby-page">
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('stations.nearby.title')}
      </Typography.Title>
      <Card size="small">
        <Flex vertical gap={10}>
          <Flex align="center" gap={8} wrap>
            <Typography.Text data-testid="station-origin" data-origin={city ? 'city' : fix.state}>
              {whereText}
            </Typography.Text>
            <Button size="small" icon={<AimOutlined />} loading={fix.state === 'locating' && !city} onClick={() => (setCity(null), locate())} data-testid="station-locate">
              {t('stations.nearby.locate')}
            </Button>
          </Flex>
          <Select<string>
            allowClear
            value={city?.code}
            onChange={(code) => setCity(code ?? null)}
            placeholder={t('stations.nearby.pickCity')}
            options={CITY_CENTRES.map((c) => ({ value: c.code, label: english ? c.en : c.zh }))}
            style={{ width: '100%' }}
            size="large"
            data-testid="station-city-picker"
          />
          <Typography.Text type="secondary">{t('stations.nearby.servicesLabel')}</Typography.Text>
          <ServicePicker value={services} onChange={setServices} testId="station-service-filter" />
          <Flex align="center" gap={8}>
            <Switch checked={openNow} onChange={setOpenNow} data-testid="station-open-now" />
            <Typography.Text>{t('stations.nearby.openNowOnly')}</Typography.Text>
          </Flex>
        </Flex>
      </Card>
      {query === null ? (
        fix.state === 'locating' ? <Skeleton active /> : <Empty description={t('stations.nearby.needPlace')} data-testid="station-need-place" />
      ) : nearby.isPending ? (
        <Skeleton active />
      ) : nearby.isError ? (
        <Empty description={t('errors.loadFailed')} />
      ) : items.length === 0 ? (
        <Empty description={t('stations.nearby.none')} data-testid="station-none" />
      ) : (
        <Flex
          vertical
          gap={8}
          data-testid="station-list"
          aria-busy={nearby.isFetching}
          // Which filters the shown items answer (empty while the previous answer stands in): tests and tools wait on it.
          data-filter={nearby.isPlaceholderData ? '' : `${servicesKey}|${openNow ? 'open' : 'any'}`}
        >
          {items.map((station) => (
            <NearbyStationCard key={station.id} station={station} />
          ))}
        </Flex>
      )}
    </Flex>
  );
}
