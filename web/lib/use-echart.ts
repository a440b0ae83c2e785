// The life cycle every chart shares (there is no echarts-for-react here): init on mount with the
// renderer the chart needs, follow the box's size, replace the option when it changes, dispose on
// unmount. Each chart registers its own series and components with `use`, so a bundle carries only
// what its pages draw.
import { type EChartsCoreOption, init } from 'echarts/core';
import { type RefObject, useEffect, useRef } from 'react';
import type { ECharts } from 'echarts/core';

export type EChartRenderer = 'canvas' | 'svg';

export function useEChart(box: RefObject<HTMLDivElement | null>, option: EChartsCoreOption, renderer: EChartRenderer): void {
  const chart = useRef<ECharts | null>(null);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const instance = init(element, undefined, { renderer });
    chart.current = instance;
    // The sider, a window resize or a language switch all change the box; the drawing follows.
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [box, renderer]);

  useEffect(() => {
    // notMerge: a new period, unit or filter replaces the series instead of leaving old ones behind.
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);
}
