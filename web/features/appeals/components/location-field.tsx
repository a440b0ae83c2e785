import { AimOutlined, CloseOutlined } from '@ant-design/icons';
import { Button, Flex, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

export type Position = { lat: number; lng: number };

type Props = { value: Position | null; onChange: (value: Position | null) => void };

// Rounded to about 10 m: enough to find a pick-up point, no more precise than that needs.
const round = (n: number) => Math.round(n * 10_000) / 10_000;

/**
 * "Use my location": optional and never in the way. Refusal, no GPS or a page without HTTPS only
 * leave a line saying so; the appeal goes without a position.
 */
export function LocationField({ value, onChange }: Props) {
  const { t } = useTranslation();
  const [state, setState] = useState<'idle' | 'locating' | 'failed'>('idle');
  const available = typeof navigator !== 'undefined' && 'geolocation' in navigator;

  const locate = () => {
    setState('locating');
    navigator.geolocation.getCurrentPosition(
      (position) => {
        onChange({ lat: round(position.coords.latitude), lng: round(position.coords.longitude) });
        setState('idle');
      },
      () => setState('failed'),
      { enableHighAccuracy: false, timeout: 10_000, maximumAge: 5 * 60_000 },
    );
  };

  if (value) {
    return (
      <Flex align="center" gap={8} data-testid="location-set">
        <AimOutlined />
        <Typography.Text>{t('appeals.file.locationSet', { lat: value.lat.toFixed(4), lng: value.lng.toFixed(4) })}</Typography.Text>
        <Button type="text" size="small" icon={<CloseOutlined />} aria-label={t('appeals.file.locationClear')} onClick={() => onChange(null)} />
      </Flex>
    );
  }
  return (
    <Flex vertical gap={4}>
      <Button icon={<AimOutlined />} onClick={locate} loading={state === 'locating'} disabled={!available} style={{ height: 44 }} data-testid="location-use">
        {t('appeals.file.locationUse')}
      </Button>
      {(state === 'failed' || !available) && <Typography.Text type="secondary">{t('appeals.file.locationFailed')}</Typography.Text>}
    </Flex>
  );
}
