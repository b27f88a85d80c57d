// The machine-health charts: MTBF sparklines per stop class, the micro-stop rate with its drift
// signal marked, and the correlation scatter with its fit line. Options are built here from the API
// answers; the drawing is the Analytics page's ECharts wrapper.
import { useMemo } from 'react';
import { CHART_COLORS, EChart, chartFontSize, type ChartOption } from '../analytics/echarts.js';
import type { CorrelationResponse, HealthResponse } from '../../api/maintenance.js';

export function MtbfSparkline({ stopClass }: { stopClass: HealthResponse['classes'][number] }) {
  const option = useMemo<ChartOption>(
    () => ({
      animation: false,
      grid: { left: 4, right: 4, top: 6, bottom: 6 },
      xAxis: { type: 'category', show: false, data: stopClass.series.map((s) => s.label) },
      yAxis: { type: 'value', show: false, scale: true },
      tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? `${v.toFixed(0)} s` : '—') },
      series: [{ type: 'line', data: stopClass.series.map((s) => s.mtbfSeconds), showSymbol: false, connectNulls: false, lineStyle: { width: 2, color: CHART_COLORS.accent } }],
    }),
    [stopClass],
  );
  return <EChart option={option} height={44} label={`MTBF of ${stopClass.name} stops per bucket`} testId={`mtbf-spark-${stopClass.name.replace(' ', '-')}`} />;
}

export function MicroStopChart({ health }: { health: HealthResponse }) {
  const option = useMemo<ChartOption>(() => {
    const series = health.microStops.series;
    const alarm = health.microStops.signals.find((s) => s.statistic === 'CUSUM');
    const baseline = health.microStops.baseline.ratePerHour;
    const fontSize = chartFontSize();
    return {
      animation: false,
      grid: { left: 48, right: 12, top: 24, bottom: 36 },
      textStyle: { fontSize },
      tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? `${v.toFixed(1)} /h` : '—') },
      xAxis: { type: 'category', data: series.map((s) => s.label), axisLabel: { color: CHART_COLORS.muted } },
      yAxis: { type: 'value', name: 'per running hour', nameTextStyle: { color: CHART_COLORS.muted }, splitLine: { lineStyle: { color: CHART_COLORS.grid } } },
      series: [
        {
          type: 'line',
          name: 'micro-stops per running hour',
          data: series.map((s) => s.perRunningHour),
          lineStyle: { color: CHART_COLORS.accent, width: 2 },
          itemStyle: { color: CHART_COLORS.accent },
          markLine: baseline === null ? undefined : { symbol: 'none', data: [{ yAxis: baseline, name: 'baseline' }], lineStyle: { color: CHART_COLORS.muted, type: 'dashed' }, label: { formatter: 'baseline' } },
          markArea: alarm
            ? { itemStyle: { color: 'rgb(220 38 38 / 12%)' }, data: [[{ xAxis: alarm.sinceLabel, name: `drift (${alarm.statistic})` }, { xAxis: series[series.length - 1].label }]] }
            : undefined,
        },
      ],
    };
  }, [health]);
  return <EChart option={option} height={220} label={`Micro-stops per running hour of ${health.machine}`} testId={`micro-chart-${health.machine}`} />;
}

export function CorrelationScatter({ result }: { result: CorrelationResponse }) {
  const option = useMemo<ChartOption>(() => {
    const xs = result.points.map((p) => p.x);
    const low = Math.min(...xs);
    const high = Math.max(...xs);
    const fit = result.fit;
    return {
      animation: false,
      grid: { left: 56, right: 16, top: 24, bottom: 48 },
      tooltip: { trigger: 'item' },
      xAxis: { type: 'value', name: `${result.x.label} (${result.x.unit})`, nameLocation: 'middle', nameGap: 28, scale: true, splitLine: { lineStyle: { color: CHART_COLORS.grid } } },
      yAxis: { type: 'value', name: `${result.y.label} (${result.y.unit})`, scale: true, splitLine: { lineStyle: { color: CHART_COLORS.grid } } },
      series: [
        // a line series without its line is a scatter (the shared ECharts build registers no scatter chart)
        { type: 'line', name: 'buckets', data: result.points.map((p) => [p.x, p.y]), showSymbol: true, symbolSize: 9, lineStyle: { width: 0, opacity: 0 }, itemStyle: { color: CHART_COLORS.accent } },
        ...(fit && result.points.length > 1
          ? [{ type: 'line' as const, name: 'fit', data: [[low, fit.slope * low + fit.intercept], [high, fit.slope * high + fit.intercept]], showSymbol: false, lineStyle: { color: CHART_COLORS.warn, width: 2 } }]
          : []),
      ],
    };
  }, [result]);
  return <EChart option={option} height={320} label={`Scatter of ${result.y.label} against ${result.x.label}`} testId="correlation-scatter" />;
}
