// The evidence of an spc alert as a picture for its mail: the chart of subgroup means with the
// limits and the signals marked, and the drift statistic, rendered on the server as SVG (echarts'
// server-side renderer; no browser, no canvas).
import * as echarts from 'echarts';
import type { MonitorResult, MonitorSignal } from '../../core/spc/index.js';

export function chartSvg(input: {
  title: string;
  unit: string;
  points: { at: number; value: number }[];
  centre: number;
  lcl: number;
  ucl: number;
  signals: MonitorSignal[];
  drift: MonitorResult['drift'];
}): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 720, height: 360 });
  const line = (name: string, value: number, color: string) => ({ name, yAxis: value, lineStyle: { color, type: 'dashed' as const }, label: { formatter: name } });
  chart.setOption({
    animation: false,
    title: { text: input.title, left: 8, textStyle: { fontSize: 14 } },
    grid: [{ left: 70, right: 20, top: 36, height: 180 }, { left: 70, right: 20, top: 256, height: 70 }],
    xAxis: [{ type: 'time', gridIndex: 0 }, { type: 'time', gridIndex: 1 }],
    yAxis: [{ type: 'value', scale: true, gridIndex: 0, name: input.unit }, { type: 'value', scale: true, gridIndex: 1, name: 'EWMA' }],
    series: [
      {
        type: 'line', xAxisIndex: 0, yAxisIndex: 0, showSymbol: false, lineStyle: { width: 1.5, color: '#1f4e79' },
        data: input.points.map((p) => [p.at, p.value]),
        markLine: { symbol: 'none', data: [line('UCL', input.ucl, '#b00020'), line('CL', input.centre, '#555'), line('LCL', input.lcl, '#b00020')] },
        markPoint: { symbol: 'pin', symbolSize: 36, itemStyle: { color: '#b00020' }, data: input.signals.map((s) => ({ coord: [s.at, s.value], value: s.rule.replace('ewma-drift', 'drift') })) },
      },
      { type: 'line', xAxisIndex: 1, yAxisIndex: 1, showSymbol: false, lineStyle: { width: 1.5, color: '#7a4d00' }, data: input.drift.map((d) => [d.at, d.value]) },
      { type: 'line', xAxisIndex: 1, yAxisIndex: 1, showSymbol: false, lineStyle: { width: 1, type: 'dashed', color: '#b00020' }, data: input.drift.map((d) => [d.at, d.ucl]) },
      { type: 'line', xAxisIndex: 1, yAxisIndex: 1, showSymbol: false, lineStyle: { width: 1, type: 'dashed', color: '#b00020' }, data: input.drift.map((d) => [d.at, d.lcl]) },
    ],
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}
