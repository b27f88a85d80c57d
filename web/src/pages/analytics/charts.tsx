// The dashboard's charts. Option builders are plain functions of the data; the components only
// memoise them. Times on axes are plant-local (the browser may sit in another zone).
import { useMemo } from 'react';
import { DateTime } from 'luxon';
import type { OeeResult, Stop } from '../../api/analytics.js';
import { CHART_COLORS, EChart, chartFontSize, type ChartOption } from './echarts.js';
import { formatCount, formatDuration, formatStopClass, NO_PRODUCTION_TEXT, stopDurationLabel } from './format.js';
import { KPI_LABELS, KPI_TARGETS, type KpiKey } from './targets.js';
import type { GroupBy } from './windows.js';
import { shownFigures } from '../../../../src/core/oee/shown-figures.js';

const textStyle = () => ({ color: CHART_COLORS.text, fontSize: chartFontSize() });
const axisLabel = () => ({ color: CHART_COLORS.muted, fontSize: chartFontSize() * 0.9 });
const splitLine = { lineStyle: { color: CHART_COLORS.grid } };

/** How a bucket is named on an axis. */
export function bucketLabel(startIso: string, groupBy: GroupBy, zone: string): string {
  const start = DateTime.fromISO(startIso, { zone });
  switch (groupBy) {
    case '10min':
    case 'hour':
      return start.toFormat('HH:mm');
    case 'shift':
      return start.toFormat('ccc d, HH:mm');
    case 'day':
      return start.toFormat('ccc d LLL');
    case 'week':
      return `W${start.toFormat('WW')} (${start.toFormat('d LLL')})`;
    case 'month':
      return start.toFormat('LLL yyyy');
  }
}

// ---- produced vs standard -------------------------------------------------------------------

export function productionOption(series: readonly OeeResult[], groupBy: GroupBy, zone: string, standardRatePerHour: number | null): ChartOption {
  const labels = series.map((bucket) => bucketLabel(bucket.from, groupBy, zone));
  const good = series.map((bucket) => bucket.good);
  // what the standard rate makes in the bucket's loading time (the time the line was meant to run)
  const standard = standardRatePerHour === null ? null : series.map((bucket) => Math.round((standardRatePerHour * bucket.loadingSeconds) / 3600));
  return {
    textStyle: textStyle(),
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    legend: { top: 0, left: 0, textStyle: textStyle(), itemGap: 24 },
    tooltip: { trigger: 'axis', valueFormatter: (value) => formatCount(Number(value)) },
    xAxis: { type: 'category', data: labels, axisLabel: { ...axisLabel(), hideOverlap: true }, axisTick: { alignWithLabel: true } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { ...axisLabel(), formatter: (v: number) => formatCount(v) }, splitLine },
    series: [
      { type: 'bar', name: 'Good parts made', data: good, itemStyle: { color: CHART_COLORS.accent, borderRadius: [3, 3, 0, 0] }, barMaxWidth: 48 },
      ...(standard
        ? [{
            type: 'line' as const,
            name: `Standard (${formatCount(standardRatePerHour)}/h × loading time)`,
            data: standard,
            step: 'middle' as const,
            symbol: 'none',
            lineStyle: { color: CHART_COLORS.target, width: 3, type: 'dashed' as const },
            itemStyle: { color: CHART_COLORS.target },
          }]
        : []),
    ],
  };
}

export function ProductionChart(props: { series: readonly OeeResult[]; groupBy: GroupBy; zone: string; standardRatePerHour: number | null }) {
  const { series, groupBy, zone, standardRatePerHour } = props;
  const option = useMemo(() => productionOption(series, groupBy, zone, standardRatePerHour), [series, groupBy, zone, standardRatePerHour]);
  if (!series.some((bucket) => bucket.parts > 0)) return <p className="muted chart-empty" data-testid="chart-production-empty">{NO_PRODUCTION_TEXT}.</p>;
  return <EChart option={option} height="100%" testId="chart-production" label="Good parts made per period against the standard rate" />;
}

// ---- rate strip with stops -------------------------------------------------------------------

/** Time-axis labels: the hour within a day; date and hour when the window spans more than a day. */
export function timeAxisLabel(zone: string, window: { from: number; to: number }): (ms: number) => string {
  const multiDay = window.to - window.from > 26 * 3_600_000;
  return (ms: number) => {
    const local = DateTime.fromMillis(ms, { zone });
    if (local.hour === 0 && local.minute === 0) return local.toFormat('ccc d LLL');
    return multiDay ? local.toFormat('ccc d HH:mm') : local.toFormat(local.second === 0 ? 'HH:mm' : 'HH:mm:ss');
  };
}

export const stopClassColor = (stopClass: number) => CHART_COLORS.stopClasses[Math.min(stopClass, CHART_COLORS.stopClasses.length - 1)];

export function rateStripOption(series: readonly OeeResult[], stops: readonly Stop[], zone: string, idealRatePerMinute: number | null, window: { from: number; to: number }): ChartOption {
  const points = (pick: (bucket: OeeResult) => number | null) => {
    const data: [number, number | null][] = series.map((bucket) => [Date.parse(bucket.from), pick(bucket)]);
    // the step line must reach the end of the last bucket
    const last = series[series.length - 1];
    if (last) data.push([Date.parse(last.to), pick(last)]);
    return data;
  };
  const timeLabel = timeAxisLabel(zone, window);
  const classColor = stopClassColor;
  return {
    textStyle: textStyle(),
    // the axis name sits above the plot: leave the legend its own line
    grid: { left: 8, right: 16, top: 64, bottom: 64, containLabel: true },
    legend: { top: 0, left: 0, textStyle: textStyle(), itemGap: 24 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'line' },
      formatter: (params) => {
        const list = Array.isArray(params) ? params : [params];
        const first = list[0] as { value?: [number, number | null] } | undefined;
        const at = first?.value?.[0];
        const header = at === undefined ? '' : DateTime.fromMillis(at, { zone }).toFormat('ccc d LLL HH:mm');
        const rows = list.map((item) => {
          const value = (item as { value?: [number, number | null] }).value?.[1];
          return `${item.marker ?? ''} ${item.seriesName}: ${value === null || value === undefined ? '–' : `${value.toFixed(1)}/min`}`;
        });
        return [header, ...rows].join('<br/>');
      },
    },
    xAxis: { type: 'time', min: window.from, max: window.to, axisLabel: { ...axisLabel(), formatter: timeLabel, hideOverlap: true }, splitLine: { show: false } },
    yAxis: { type: 'value', name: 'parts/min', nameTextStyle: axisLabel(), axisLabel: axisLabel(), splitLine, min: 0 },
    dataZoom: [
      { type: 'inside', filterMode: 'none' },
      { type: 'slider', filterMode: 'none', height: 36, bottom: 8, labelFormatter: (value: number) => DateTime.fromMillis(value, { zone }).toFormat('d LLL HH:mm'), textStyle: axisLabel() },
    ],
    series: [
      {
        type: 'line',
        name: 'Rate while running',
        // a bucket's value spans [bucket start, bucket end): the step is drawn at the END of each point
        step: 'end',
        symbol: 'none',
        data: points((bucket) => bucket.averageRatePerMinute),
        lineStyle: { color: CHART_COLORS.accent, width: 3 },
        itemStyle: { color: CHART_COLORS.accent },
        areaStyle: { color: 'rgba(29, 78, 216, 0.10)' },
        markArea: {
          silent: false,
          // only the stop's part inside the window is drawn and named
          data: stops.map((stop) => [
            {
              xAxis: Math.max(stop.startMs, window.from),
              itemStyle: { color: classColor(stop.class), opacity: 0.55 },
              name: `${stopDurationLabel(stop)}${stop.label ?? stop.reason ? `: ${stop.label ?? stop.reason}` : ''}`,
            },
            { xAxis: Math.min(stop.endMs, window.to) },
          ]),
          label: { show: false },
          tooltip: { trigger: 'item' },
        },
        ...(idealRatePerMinute !== null
          ? { markLine: { symbol: 'none', silent: true, data: [{ yAxis: idealRatePerMinute, name: 'Ideal' }], lineStyle: { color: CHART_COLORS.target, type: 'dashed', width: 2 }, label: { formatter: `Ideal ${idealRatePerMinute}/min`, position: 'insideEndTop', color: CHART_COLORS.text, fontSize: chartFontSize() * 0.85 } } }
          : {}),
      },
      {
        type: 'line',
        name: 'Effective rate',
        // a bucket's value spans [bucket start, bucket end): the step is drawn at the END of each point
        step: 'end',
        symbol: 'none',
        data: points((bucket) => bucket.effectiveRatePerMinute),
        lineStyle: { color: CHART_COLORS.warn, width: 2 },
        itemStyle: { color: CHART_COLORS.warn },
      },
    ],
  };
}

export function RateStrip(props: { series: readonly OeeResult[]; stops: readonly Stop[]; zone: string; idealRatePerMinute: number | null; window: { from: number; to: number } }) {
  const { series, stops, zone, idealRatePerMinute, window } = props;
  const option = useMemo(() => rateStripOption(series, stops, zone, idealRatePerMinute, window), [series, stops, zone, idealRatePerMinute, window]);
  if (stops.length === 0 && !series.some((bucket) => bucket.cycles > 0)) return <p className="muted chart-empty" data-testid="chart-rate-strip-empty">{NO_PRODUCTION_TEXT}.</p>;
  return <EChart option={option} height="100%" testId="chart-rate-strip" label="Rate over time with the stops marked" />;
}

// ---- stop time by duration class --------------------------------------------------------------

export function stopPieOption(classes: OeeResult['stops']['classes']): ChartOption {
  return {
    textStyle: textStyle(),
    tooltip: { trigger: 'item', valueFormatter: (value) => formatDuration(Number(value)) },
    series: [
      {
        type: 'pie',
        radius: ['42%', '78%'],
        center: ['50%', '52%'],
        avoidLabelOverlap: true,
        label: { show: false },
        itemStyle: { borderColor: '#fff', borderWidth: 2 },
        data: classes.map((stopClass, index) => ({
          name: formatStopClass(stopClass.minSeconds, stopClass.maxSeconds),
          value: stopClass.seconds,
          itemStyle: { color: CHART_COLORS.stopClasses[Math.min(index, CHART_COLORS.stopClasses.length - 1)] },
        })),
      },
    ],
  };
}

export function StopPie({ stops }: { stops: OeeResult['stops'] }) {
  const option = useMemo(() => stopPieOption(stops.classes), [stops.classes]);
  return (
    <div className="pie-layout">
      <div className="pie-chart">
        {stops.count === 0 ? (
          <p className="muted chart-empty" data-testid="chart-stop-pie-empty">
            No stops in this window
          </p>
        ) : (
          <EChart option={option} height="100%" testId="chart-stop-pie" label="Stop time by duration class" />
        )}
      </div>
      <table className="table compact-table" data-testid="stop-classes">
        <thead>
          <tr>
            <th>Duration</th>
            <th className="num">Stops</th>
            <th className="num">Time</th>
          </tr>
        </thead>
        <tbody>
          {stops.classes.map((stopClass, index) => (
            <tr key={stopClass.minSeconds} data-testid={`stop-class-${index}`}>
              <td>
                <span className="legend-swatch" style={{ background: CHART_COLORS.stopClasses[Math.min(index, CHART_COLORS.stopClasses.length - 1)] }} aria-hidden="true" />
                {formatStopClass(stopClass.minSeconds, stopClass.maxSeconds)}
              </td>
              <td className="num" data-testid={`stop-class-${index}-count`}>
                {formatCount(stopClass.count)}
              </td>
              <td className="num">{formatDuration(stopClass.seconds)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th>All stops</th>
            <th className="num" data-testid="stop-total-count">
              {formatCount(stops.count)}
            </th>
            <th className="num" data-testid="stop-total-time">
              {formatDuration(stops.seconds)}
            </th>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

// ---- Pareto of stop time by reason ------------------------------------------------------------

export const NO_REASON = 'No reason given';

export interface ReasonTotal {
  reason: string;
  seconds: number;
  count: number;
  cumulativeShare: number;
}

/** Stop time per reason, largest first, with the cumulative share of the total. */
export function reasonPareto(stops: readonly Stop[]): ReasonTotal[] {
  const totals = new Map<string, { seconds: number; count: number }>();
  for (const stop of stops) {
    // the reason's path as given ("Unplanned › Jam › Pocket jam"); an automatic minor stop says so
    const reason = stop.label?.trim() || stop.reason?.trim() || (stop.automatic ? 'Minor stop (automatic)' : NO_REASON);
    const total = totals.get(reason) ?? { seconds: 0, count: 0 };
    // the part the window counts, so that the bars add up to the window's stop time
    total.seconds += stop.countedSeconds;
    total.count++;
    totals.set(reason, total);
  }
  const sorted = [...totals].map(([reason, t]) => ({ reason, ...t })).sort((a, b) => b.seconds - a.seconds || a.reason.localeCompare(b.reason));
  const all = sorted.reduce((sum, r) => sum + r.seconds, 0);
  let running = 0;
  return sorted.map((r) => {
    running += r.seconds;
    return { ...r, cumulativeShare: all > 0 ? running / all : 0 };
  });
}

export function paretoOption(reasons: readonly ReasonTotal[]): ChartOption {
  return {
    textStyle: textStyle(),
    grid: { left: 8, right: 8, top: 64, bottom: 8, containLabel: true },
    legend: { top: 0, left: 0, textStyle: textStyle(), itemGap: 24 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: reasons.map((r) => r.reason), axisLabel: { ...axisLabel(), interval: 0, width: 110, overflow: 'truncate' } },
    yAxis: [
      { type: 'value', name: 'min', nameTextStyle: axisLabel(), axisLabel: axisLabel(), splitLine },
      { type: 'value', min: 0, max: 100, axisLabel: { ...axisLabel(), formatter: '{value} %' }, splitLine: { show: false } },
    ],
    series: [
      {
        type: 'bar',
        name: 'Stop time (min)',
        data: reasons.map((r) => ({ value: Math.round(r.seconds / 6) / 10, itemStyle: { color: r.reason === NO_REASON ? '#98a3b3' : CHART_COLORS.danger } })),
        barMaxWidth: 56,
        tooltip: { valueFormatter: (value) => `${String(value)} min` },
      },
      {
        type: 'line',
        name: 'Cumulative share',
        yAxisIndex: 1,
        data: reasons.map((r) => Math.round(r.cumulativeShare * 1000) / 10),
        lineStyle: { color: CHART_COLORS.target, width: 2 },
        itemStyle: { color: CHART_COLORS.target },
        symbolSize: 8,
        tooltip: { valueFormatter: (value) => `${String(value)} %` },
      },
    ],
  };
}

export function ReasonPareto({ stops }: { stops: readonly Stop[] }) {
  const reasons = useMemo(() => reasonPareto(stops), [stops]);
  const option = useMemo(() => paretoOption(reasons), [reasons]);
  if (reasons.length === 0) return <p className="muted chart-empty">No stops of a minute or more in this window.</p>;
  const label = `Stop time by reason, largest first: ${reasons.map((r) => `${r.reason} ${formatDuration(r.seconds)}`).join(', ')}`;
  return <EChart option={option} height="100%" testId="chart-pareto" label={label} />;
}

// ---- machines side by side ------------------------------------------------------------------

const KPI_ORDER: KpiKey[] = ['oee', 'availability', 'performance', 'quality'];

export function comparisonOption(machines: readonly { name: string; totals: OeeResult }[]): ChartOption {
  return {
    textStyle: textStyle(),
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    legend: { top: 0, left: 0, textStyle: textStyle(), itemGap: 24 },
    tooltip: { trigger: 'axis', valueFormatter: (value) => (value === null || value === undefined ? '–' : `${String(value)} %`) },
    xAxis: { type: 'category', data: KPI_ORDER.map((kpi) => `${KPI_LABELS[kpi].short === 'OEE' ? 'OEE' : KPI_LABELS[kpi].long}`), axisLabel: axisLabel() },
    yAxis: { type: 'value', min: 0, max: (extent: { max: number }) => Math.max(100, Math.ceil(extent.max / 10) * 10), axisLabel: { ...axisLabel(), formatter: '{value} %' }, splitLine },
    series: machines.map((machine, index) => ({
      type: 'bar' as const,
      name: machine.name,
      data: KPI_ORDER.map((kpi) => {
        const value = shownFigures(machine.totals)[kpi];
        return value === null ? null : Math.round(value * 1000) / 10;
      }),
      itemStyle: { color: CHART_COLORS.series[index % CHART_COLORS.series.length], borderRadius: [3, 3, 0, 0] },
      barMaxWidth: 40,
      ...(index === 0
        ? {
            markLine: {
              symbol: 'none',
              silent: true,
              lineStyle: { color: CHART_COLORS.target, type: 'dashed' as const },
              label: { show: false },
              data: [{ yAxis: KPI_TARGETS.oee * 100, name: 'OEE target' }],
            },
          }
        : {}),
    })),
  };
}

export function ComparisonBars({ machines }: { machines: readonly { name: string; totals: OeeResult }[] }) {
  const option = useMemo(() => comparisonOption(machines), [machines]);
  return <EChart option={option} height="100%" testId="chart-comparison" label={`OEE, availability, performance and quality of ${machines.map((m) => m.name).join(', ')}`} />;
}

