// A small React wrapper around ECharts (there is no echarts-for-react here): init on mount, setOption
// on every new option, resize with the box, dispose on unmount. Only the pieces the figures use are
// registered, so the bundle carries bar and pie on a canvas and nothing else (no maps, nothing fetched).
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
import { type ComposeOption, type ECharts, init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

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
  const chart = useRef<ECharts | null>(null);
  // ECharts draws text on the canvas itself: give it the app's font stack so Chinese labels use the same CJK font.
  const fontFamily = theme.useToken().token.fontFamily;

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const instance = init(element, undefined, { renderer: 'canvas' });
    chart.current = instance;
    // The sider, a window resize or a language switch all change the box; the canvas follows.
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    // notMerge: a new period or unit replaces the series instead of leaving old categories behind.
    chart.current?.setOption({ textStyle: { fontFamily }, ...option }, { notMerge: true });
  }, [option, fontFamily]);

  return <div ref={box} role="img" aria-label={label} style={{ width: '100%', height }} data-testid={testId} />;
}
