import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Input, Space, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { STATION_KINDS, useStationsGeojson } from '../api';
import { KIND_COLOURS, StationMap } from '../components/station-map';
import { useStationNames } from '../names';

// More names than this on the map hide one another; the search narrows down first.
const MAX_NAMED = 20;

/** Every station that is not closed, drawn by its coordinates, with a search that names and zooms to matches. */
export function StationMapPage() {
  const { t } = useTranslation();
  const names = useStationNames();
  const [params] = useSearchParams();
  const focusId = Number(params.get('focus')) || null;
  const layer = useStationsGeojson();
  const [search, setSearch] = useState('');
  const features = useMemo(() => layer.data?.features ?? [], [layer.data]);

  const matches = useMemo(() => {
    const term = search.trim();
    if (term) return features.filter((f) => f.properties.name.includes(term) || f.properties.address.includes(term)).slice(0, MAX_NAMED);
    return focusId ? features.filter((f) => f.id === focusId) : [];
  }, [features, search, focusId]);
  const highlighted = useMemo(() => matches.map((f) => ({ lng: f.geometry.coordinates[0], lat: f.geometry.coordinates[1], name: f.properties.name })), [matches]);
  const focus = useMemo(() => {
    const first = highlighted[0];
    return first && highlighted.length === 1 ? { lat: first.lat, lng: first.lng, spanDegrees: 0.08 } : null;
  }, [highlighted]);
  const counts = useMemo(() => new Map(STATION_KINDS.map((k) => [k, features.filter((f) => f.properties.kind === k).length])), [features]);

  return (
    <Card
      title={t('stations.map.title')}
      extra={
        <Link to="/stations">
          <Button type="text" icon={<ArrowLeftOutlined />}>
            {t('stations.list.title')}
          </Button>
        </Link>
      }
      data-testid="station-map-page"
    >
      <Flex vertical gap={12}>
        <Typography.Text type="secondary">{t('stations.map.hint')}</Typography.Text>
        <Input.Search allowClear value={search} onChange={(e) => setSearch(e.target.value)} placeholder={t('stations.map.search')} style={{ maxWidth: 360 }} data-testid="station-map-search" />
        <Space wrap>
          {STATION_KINDS.map((k) => (
            <Tag key={k} color={KIND_COLOURS[k]}>
              {names.kind(k)} {counts.get(k) ?? 0}
            </Tag>
          ))}
        </Space>
        <StationMap features={features} highlighted={highlighted} focus={focus} height={560} />
        {matches.length > 0 && (
          <Flex vertical gap={4} data-testid="station-map-matches">
            {matches.map((f) => (
              <Link key={f.id} to={`/stations/${f.id}`} data-testid="station-map-match">
                {f.properties.name}
              </Link>
            ))}
          </Flex>
        )}
      </Flex>
    </Card>
  );
}
