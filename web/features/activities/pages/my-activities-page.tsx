import { AimOutlined, CloseOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, Flex, Result, Segmented, Select, Skeleton, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { ACTIVITY_KINDS, type Activity, type ActivityKind, useAvailableActivities, useMyActivities } from '../api';
import { ActivityCard } from '../components/activity-card';
import { MyFeedLink } from '../components/feed-links';

type Tab = 'near' | 'mine';
type Position = { lat: number; lng: number };

function CardList({ query, empty }: { query: { isPending: boolean; isError: boolean; data?: Activity[] }; empty: string }) {
  const { t } = useTranslation();
  if (query.isPending) return <Skeleton active />;
  if (query.isError) return <Result status="error" title={t('errors.loadFailed')} />;
  if (!query.data || query.data.length === 0) return <Empty description={empty} />;
  return (
    <Flex vertical gap={8}>
      {query.data.map((a) => (
        <ActivityCard key={a.id} activity={a} />
      ))}
    </Flex>
  );
}

/** Upcoming activities open to the worker, soonest first; nearest first within 30 km once they share a position. */
function NearMe({ stationId, onClearStation }: { stationId: number | undefined; onClearStation: () => void }) {
  const { t } = useTranslation();
  const [position, setPosition] = useState<Position | null>(null);
  const [locating, setLocating] = useState(false);
  const [locateFailed, setLocateFailed] = useState(false);
  const [kind, setKind] = useState<ActivityKind | undefined>();
  const available = useAvailableActivities({ stationId, kind, ...(position ?? {}) });
  const stationName = available.data?.find((a) => a.stationName)?.stationName;

  const locate = () => {
    if (!('geolocation' in navigator)) return setLocateFailed(true);
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setLocating(false);
        setLocateFailed(false);
        setPosition({ lat: Math.round(p.coords.latitude * 1e5) / 1e5, lng: Math.round(p.coords.longitude * 1e5) / 1e5 });
      },
      () => {
        setLocating(false);
        setLocateFailed(true);
      },
      { timeout: 10_000, maximumAge: 60_000 },
    );
  };

  return (
    <Flex vertical gap={8}>
      {stationId !== undefined && (
        <Alert
          type="info"
          showIcon
          title={t('activities.mine.atStation', { name: stationName ?? `#${stationId}` })}
          action={<Button size="small" type="text" icon={<CloseOutlined />} aria-label={t('activities.mine.allStations')} onClick={onClearStation} />}
          data-testid="activities-at-station"
        />
      )}
      <Flex gap={8}>
        <Select<ActivityKind>
          allowClear
          placeholder={t('activities.mine.anyKind')}
          value={kind}
          onChange={setKind}
          style={{ flex: 1 }}
          size="large"
          options={ACTIVITY_KINDS.filter((k) => k !== 'branch_meeting').map((k) => ({ value: k, label: t(`activities.kind.${k}`) }))}
          data-testid="near-kind"
        />
        {stationId === undefined && (
          <Button size="large" icon={<AimOutlined />} loading={locating} onClick={position ? () => setPosition(null) : locate} data-testid="near-locate">
            {position ? t('activities.mine.anywhere') : t('activities.mine.nearMe')}
          </Button>
        )}
      </Flex>
      {locateFailed && <Alert type="warning" showIcon title={t('activities.mine.locateFailed')} />}
      <CardList query={available} empty={position ? t('activities.mine.noneNear') : t('activities.mine.noneAvailable')} />
    </Flex>
  );
}

function Mine() {
  const { t } = useTranslation();
  const upcoming = useMyActivities('upcoming');
  const past = useMyActivities('past');
  return (
    <Flex vertical gap={12} data-testid="my-activities-mine">
      <CardList query={upcoming} empty={t('activities.mine.noneUpcoming')} />
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('activities.mine.past')}
      </Typography.Title>
      <CardList query={past} empty={t('activities.mine.nonePast')} />
      <Card size="small" title={t('activities.feed.mine')}>
        <MyFeedLink />
      </Card>
    </Flex>
  );
}

/** 活动 on the worker's phone: what is on near them, and what they signed up for or attended. */
export function MyActivitiesPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab: Tab = params.get('tab') === 'mine' ? 'mine' : 'near';
  const stationParam = Number(params.get('stationId'));
  const stationId = Number.isInteger(stationParam) && stationParam > 0 ? stationParam : undefined;
  const set = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    setParams(next, { replace: true });
  };

  return (
    <Flex vertical gap={12} style={{ maxWidth: 480, margin: '0 auto' }} data-testid="my-activities-page">
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('activities.mine.title')}
      </Typography.Title>
      <Segmented<Tab>
        block
        size="large"
        value={tab}
        onChange={(value) => set({ tab: value })}
        options={[
          { value: 'near', label: <span data-testid="tab-near">{t('activities.mine.near')}</span> },
          { value: 'mine', label: <span data-testid="tab-mine">{t('activities.mine.mine')}</span> },
        ]}
      />
      {tab === 'near' ? <NearMe stationId={stationId} onClearStation={() => set({ stationId: null })} /> : <Mine />}
    </Flex>
  );
}
