// Bar and pie figures on a canvas (appeal figures, station visits, activity attendance). Only these
// pieces are registered, so the bundle carries nothing else (no maps, nothing fetched).
import { theme } from 'antd';
import { BarChart, type BarSeriesOption, PieChart, type PieSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  type GridComponentOption,
  LegendComponent,
  type LegendComponentOption,
  TooltipComponent,
  type TooltipComponentOption,
} from 'echarts/components';
import { type ComposeOption, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useMemo, useRef } from 'react';
import { useEChart } from './use-echart';

use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = ComposeOption<BarSeriesOption | PieSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

type Props = {
  option: ChartOption;
  height: number;
  /**
   * What the chart shows, for screen readers (the canvas itself says nothing). ECharts' own aria
   * description is left out: it reads out raw stacked data, index and sums included.
   */
  label: string;
  testId?: string;
};

export function EChart({ option, height, label, testId }: Props) {
  const box = useRef<HTMLDivElement>(null);
  // ECharts draws text on the canvas itself: give it the app's font stack so Chinese labels use the same CJK font.
  const fontFamily = theme.useToken().token.fontFamily;
  const themed = useMemo(() => ({ textStyle: { fontFamily }, ...option }), [option, fontFamily]);
  useEChart(box, themed, 'canvas');

  return <div ref={box} role="img" aria-label={label} style={{ width: '100%', height }} data-testid={testId} />;
}
