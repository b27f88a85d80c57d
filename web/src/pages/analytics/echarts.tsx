// ECharts, registered with only the charts and components this dashboard draws (echarts/core keeps
// the rest out of the bundle), and a React wrapper that owns one chart instance per element.
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, GaugeChart, LineChart, PieChart, type BarSeriesOption, type GaugeSeriesOption, type LineSeriesOption, type PieSeriesOption } from 'echarts/charts';
import {
  DataZoomInsideComponent, DataZoomSliderComponent, GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, TooltipComponent,
  type DataZoomComponentOption, type GridComponentOption, type LegendComponentOption, type MarkAreaComponentOption, type MarkLineComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart, GaugeChart, LineChart, PieChart,
  DataZoomInsideComponent, DataZoomSliderComponent, GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, TooltipComponent,
  CanvasRenderer,
]);

export type ChartOption = echarts.ComposeOption<
  | BarSeriesOption | GaugeSeriesOption | LineSeriesOption | PieSeriesOption
  | DataZoomComponentOption | GridComponentOption | LegendComponentOption | MarkAreaComponentOption | MarkLineComponentOption | TooltipComponentOption
>;

/** Colours shared by every chart (the stylesheet's palette, so charts and tables agree). */
export const CHART_COLORS = {
  text: '#0b1526',
  muted: '#485467',
  grid: '#dfe4ec',
  accent: '#1d4ed8',
  accentSoft: '#93b4f5',
  ok: '#16a34a',
  warn: '#d97706',
  danger: '#dc2626',
  target: '#0b1526',
  series: ['#1d4ed8', '#d97706', '#16a34a', '#9333ea', '#dc2626', '#0891b2', '#65a30d', '#db2777'],
  stopClasses: ['#fcd34d', '#fb923c', '#f97316', '#dc2626', '#991b1b', '#450a0a'],
};

/** The font size charts use, from the page's root size (larger on a TV, see styles.css). */
export function chartFontSize(): number {
  return Math.round(parseFloat(getComputedStyle(document.documentElement).fontSize) * 0.8) || 14;
}

/**
 * One ECharts instance bound to a div. The option replaces the previous one (notMerge), the chart
 * follows its box's size, and it is disposed with the element.
 */
export function EChart({ option, height, testId, label, onClick }: {
  option: ChartOption;
  height: number | string;
  testId?: string;
  label: string;
  /** a click on a data item (a bar, a point): its index in its series */
  onClick?: (dataIndex: number) => void;
}) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const clickRef = useRef(onClick);
  clickRef.current = onClick;

  useEffect(() => {
    const box = element.current;
    if (!box) return;
    const instance = echarts.init(box, undefined, { renderer: 'canvas' });
    chart.current = instance;
    // browser journeys read the drawn option and pixel positions from here (e2e/analytics.test.ts)
    (box as HTMLDivElement & { qmfgChart?: echarts.ECharts }).qmfgChart = instance;
    instance.on('click', (event) => {
      if (typeof event.dataIndex === 'number') clickRef.current?.(event.dataIndex);
    });
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(box);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true, lazyUpdate: true });
  }, [option]);

  // role="img" + label: a screen reader hears what the chart is about; the numbers are in tables
  return <div ref={element} className={`echart${onClick ? ' echart-clickable' : ''}`} style={{ height }} data-testid={testId} role="img" aria-label={label} />;
}
