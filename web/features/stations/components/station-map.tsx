// The offline map: no tile server is reachable, so stations are drawn by their coordinates on a plain
// longitude/latitude plane (ECharts scatter, SVG so labels are real text), coloured by kind, with the
// cities named at their centres. Wheel and drag zoom and pan; a focus point zooms to its surroundings.
import { theme } from 'antd';
import { ScatterChart, type ScatterSeriesOption } from 'echarts/charts';
import {
  DataZoomComponent,
  type DataZoomComponentOption,
  GridComponent,
  type GridComponentOption,
  LegendComponent,
  type LegendComponentOption,
  TooltipComponent,
  type TooltipComponentOption,
} from 'echarts/components';
import { type ComposeOption, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { STATION_KINDS, type StationFeature, type StationKindCode } from '../api';
import { CITY_CENTRES } from '../city-centres';
import { useStationNames } from '../names';
import { useEChart } from '../../../lib/use-echart';

use([ScatterChart, GridComponent, LegendComponent, TooltipComponent, DataZoomComponent, SVGRenderer]);

type MapOption = ComposeOption<ScatterSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption | DataZoomComponentOption>;

export const KIND_COLOURS: Record<StationKindCode, string> = {
  driver_home: '#d4380d',
  outdoor_worker_station: '#1677ff',
  union_station: '#389e0d',
  partner_shop: '#d48806',
  community_centre: '#722ed1',
};

export type MapPoint = { lat: number; lng: number; name: string };

type Props = {
  features: readonly StationFeature[];
  /** Stations to name on the map (found by a search, or the one being edited). */
  highlighted?: readonly MapPoint[];
  /** Zoom to this point; without it the map shows every station. */
  focus?: { lat: number; lng: number; spanDegrees: number } | null;
  height: number;
  testId?: string;
};

type Datum = { value: [number, number]; name: string };

/** Longitude/latitude with a little margin around the given points. */
function extentOf(points: readonly { lat: number; lng: number }[]) {
  const lngs = points.map((p) => p.lng);
  const lats = points.map((p) => p.lat);
  const pad = 0.3;
  return { minLng: Math.min(...lngs) - pad, maxLng: Math.max(...lngs) + pad, minLat: Math.min(...lats) - pad, maxLat: Math.max(...lats) + pad };
}

export function StationMap({ features, highlighted = [], focus = null, height, testId = 'station-map' }: Props) {
  const { t } = useTranslation();
  const names = useStationNames();
  const english = useTranslation().i18n.language === 'en';
  const box = useRef<HTMLDivElement>(null);
  const { token } = theme.useToken();

  const option = useMemo<MapOption>(() => {
    const byKind = new Map<StationKindCode, Datum[]>(STATION_KINDS.map((k) => [k, []]));
    for (const f of features) byKind.get(f.properties.kind)?.push({ value: f.geometry.coordinates, name: f.properties.name });
    const all = [...features.map((f) => ({ lng: f.geometry.coordinates[0], lat: f.geometry.coordinates[1] })), ...highlighted];
    const extent = all.length > 0 ? extentOf(all) : extentOf(CITY_CENTRES);
    const window = focus
      ? { minLng: focus.lng - focus.spanDegrees, maxLng: focus.lng + focus.spanDegrees, minLat: focus.lat - focus.spanDegrees, maxLat: focus.lat + focus.spanDegrees }
      : extent;
    const cities = CITY_CENTRES.map((c) => ({ value: [c.lng, c.lat] as [number, number], name: english ? c.en : c.zh }));
    return {
      textStyle: { fontFamily: token.fontFamily },
      animation: false,
      grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: false },
      legend: { top: 0, data: STATION_KINDS.map((k) => names.kind(k)) },
      tooltip: { trigger: 'item', formatter: (p) => (Array.isArray(p) ? '' : String((p as { name?: string }).name ?? '')) },
      xAxis: { type: 'value', min: extent.minLng, max: extent.maxLng, show: false, scale: true },
      yAxis: { type: 'value', min: extent.minLat, max: extent.maxLat, show: false, scale: true },
      dataZoom: [
        { type: 'inside', xAxisIndex: 0, filterMode: 'none', startValue: window.minLng, endValue: window.maxLng },
        { type: 'inside', yAxisIndex: 0, filterMode: 'none', startValue: window.minLat, endValue: window.maxLat },
      ],
      series: [
        ...STATION_KINDS.map<ScatterSeriesOption>((kind) => ({
          type: 'scatter',
          name: names.kind(kind),
          data: byKind.get(kind) ?? [],
          symbolSize: 6,
          itemStyle: { color: KIND_COLOURS[kind], opacity: 0.8 },
        })),
        {
          type: 'scatter',
          name: t('stations.map.cities'),
          data: cities,
          symbol: 'diamond',
          symbolSize: 10,
          itemStyle: { color: '#262626' },
          label: { show: true, position: 'right', formatter: '{b}', fontSize: 14, fontWeight: 'bold', color: '#262626' },
          tooltip: { show: false },
          z: 5,
        },
        {
          type: 'scatter',
          name: t('stations.map.highlighted'),
          data: highlighted.map((p) => ({ value: [p.lng, p.lat] as [number, number], name: p.name })),
          symbol: 'pin',
          symbolSize: 28,
          itemStyle: { color: '#cf1322' },
          label: { show: true, position: 'top', formatter: '{b}', fontSize: 12, color: '#cf1322', backgroundColor: '#fff' },
          z: 10,
        },
      ],
    };
  }, [features, highlighted, focus, english, names, t, token.fontFamily]);

  // SVG, so station and city labels are real text.
  useEChart(box, option, 'svg');

  return (
    <div
      ref={box}
      role="img"
      aria-label={t('stations.map.label', { count: features.length })}
      data-testid={testId}
      data-station-count={features.length}
      style={{ width: '100%', height, background: '#f7f9fc', border: `1px solid ${token.colorBorderSecondary}`, borderRadius: 8 }}
    />
  );
}
