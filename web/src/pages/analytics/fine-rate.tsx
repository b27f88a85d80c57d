// The second-by-second view of a shift or less (the original system's rate chart): the rate per
// cycle smoothed by a rolling window the user picks, against the standard-rate line, over a strip
// of stops coloured by duration class; and cumulative good parts against the standard over the
// window's working time. Figures come from GET /api/oee/rate (raw cycles).
import { useEffect, useMemo, useState } from 'react';
import { DateTime } from 'luxon';
import { workingIntervals, type CalendarSpec } from '../../../../src/core/calendar/index.js';
import { ROLLING_SECONDS } from '../../../../src/core/oee/rate-series.js';
import { getRate, type RateResponse, type Stop } from '../../api/analytics.js';
import { errorMessage } from '../../api/client.js';
import { Spinner } from '../../components/feedback.js';
import { timeAxisLabel, stopClassColor } from './charts.js';
import { CHART_COLORS, EChart, chartFontSize, type ChartOption } from './echarts.js';
import { formatCount, NO_PRODUCTION_TEXT, stopDurationLabel } from './format.js';

/** Windows up to this long can be drawn second by second (the API's bound). */
export const FINE_RATE_MAX_MS = 12 * 3_600_000;

const axisLabel = () => ({ color: CHART_COLORS.muted, fontSize: chartFontSize() * 0.9 });
const textStyle = () => ({ color: CHART_COLORS.text, fontSize: chartFontSize() });

export function fineRateOption(rate: RateResponse, stops: readonly Stop[], zone: string, standardRatePerHour: number | null, window: { from: number; to: number }): ChartOption {
  const timeLabel = timeAxisLabel(zone, window);
  const data = rate.at.map((at, i) => [at, rate.ratePerMinute[i]] as [number, number]);
  return {
    textStyle: textStyle(),
    animation: false,
    legend: { top: 0, left: 0, textStyle: textStyle(), itemGap: 24 },
    grid: [
      { left: 56, right: 16, top: 64, bottom: 110 },
      // the stop strip under the rate
      { left: 56, right: 16, height: 22, bottom: 64 },
    ],
    tooltip: {
      trigger: 'axis',
      formatter: (params) => {
        const item = (Array.isArray(params) ? params : [params])[0] as { value?: [number, number] } | undefined;
        if (!item?.value) return '';
        return `${DateTime.fromMillis(item.value[0], { zone }).toFormat('ccc d LLL HH:mm:ss')}<br/>${item.value[1].toFixed(0)} parts/min`;
      },
    },
    xAxis: [
      { type: 'time', gridIndex: 0, min: window.from, max: window.to, axisLabel: { show: false }, splitLine: { show: false } },
      { type: 'time', gridIndex: 1, min: window.from, max: window.to, axisLabel: { ...axisLabel(), formatter: timeLabel, hideOverlap: true }, splitLine: { show: false } },
    ],
    yAxis: [
      { type: 'value', gridIndex: 0, name: 'parts/min', nameTextStyle: axisLabel(), axisLabel: axisLabel(), min: 0, splitLine: { lineStyle: { color: CHART_COLORS.grid } } },
      { type: 'value', gridIndex: 1, show: false, min: 0, max: 1 },
    ],
    dataZoom: [
      { type: 'inside', xAxisIndex: [0, 1], filterMode: 'none' },
      { type: 'slider', xAxisIndex: [0, 1], filterMode: 'none', height: 28, bottom: 8, labelFormatter: (value: number) => DateTime.fromMillis(value, { zone }).toFormat('HH:mm'), textStyle: axisLabel() },
    ],
    series: [
      {
        type: 'line',
        name: `Rate (rolling ${rate.rollingSeconds} s)`,
        xAxisIndex: 0,
        yAxisIndex: 0,
        symbol: 'none',
        sampling: 'lttb',
        data,
        lineStyle: { color: CHART_COLORS.accent, width: 1.5 },
        itemStyle: { color: CHART_COLORS.accent },
        ...(standardRatePerHour !== null
          ? {
              markLine: {
                symbol: 'none',
                silent: true,
                data: [{ yAxis: standardRatePerHour / 60, name: 'Standard' }],
                lineStyle: { color: CHART_COLORS.target, type: 'dashed' as const, width: 2 },
                label: { formatter: `Standard ${formatCount(standardRatePerHour / 60)}/min`, position: 'insideStartTop' as const, color: CHART_COLORS.text, fontSize: chartFontSize() * 0.85 },
              },
            }
          : {}),
      },
      {
        type: 'line',
        name: 'Stops',
        xAxisIndex: 1,
        yAxisIndex: 1,
        data: [],
        itemStyle: { color: CHART_COLORS.stopClasses[3] },
        markArea: {
          silent: false,
          label: { show: false },
          tooltip: { trigger: 'item' },
          data: stops.map((stop) => [
            { xAxis: stop.startMs, itemStyle: { color: stopClassColor(stop.class), opacity: 0.9 }, name: `${stopDurationLabel(stop)}, ${stop.classLabel}${stop.reason ? `: ${stop.reason}` : ''}` },
            { xAxis: stop.endMs },
          ]),
        },
      },
    ],
  };
}

/** Working milliseconds of the calendar from `from` up to each instant (instants ascending). */
function workingElapsed(intervals: readonly { start: number; end: number }[], instants: readonly number[]): number[] {
  const out: number[] = [];
  let done = 0;
  let index = 0;
  for (const at of instants) {
    while (index < intervals.length && intervals[index].end <= at) done += intervals[index].end - intervals[index++].start;
    const open = index < intervals.length && intervals[index].start < at ? at - intervals[index].start : 0;
    out.push(done + open);
  }
  return out;
}

export function cumulativeOption(rate: RateResponse, zone: string, standardRatePerHour: number | null, calendar: CalendarSpec, window: { from: number; to: number }): ChartOption {
  // one point a minute is plenty for a running total
  const picked = rate.at.map((at, i) => [at, i] as const).filter(([at], i, all) => i === all.length - 1 || (at - window.from) % 60_000 === 0);
  const instants = picked.map(([at]) => at);
  const elapsed = standardRatePerHour === null ? [] : workingElapsed(workingIntervals(calendar, zone, window.from, window.to), instants);
  return {
    textStyle: textStyle(),
    animation: false,
    legend: { top: 0, left: 0, textStyle: textStyle(), itemGap: 24 },
    grid: { left: 8, right: 16, top: 64, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', valueFormatter: (value) => formatCount(Number(value)) },
    xAxis: { type: 'time', min: window.from, max: window.to, axisLabel: { ...axisLabel(), formatter: timeAxisLabel(zone, window), hideOverlap: true }, splitLine: { show: false } },
    yAxis: { type: 'value', name: 'good parts', nameTextStyle: axisLabel(), minInterval: 1, axisLabel: { ...axisLabel(), formatter: (v: number) => formatCount(v) }, splitLine: { lineStyle: { color: CHART_COLORS.grid } } },
    series: [
      { type: 'line', name: 'Good parts made', symbol: 'none', data: picked.map(([at, i]) => [at, rate.cumulativeGood[i]]), lineStyle: { color: CHART_COLORS.accent, width: 3 }, itemStyle: { color: CHART_COLORS.accent } },
      ...(standardRatePerHour === null
        ? []
        : [{
            type: 'line' as const,
            name: `Standard (${formatCount(standardRatePerHour)}/h over working time)`,
            symbol: 'none',
            data: instants.map((at, i) => [at, Math.round((standardRatePerHour * elapsed[i]) / 3_600_000)]),
            lineStyle: { color: CHART_COLORS.target, width: 2, type: 'dashed' as const },
            itemStyle: { color: CHART_COLORS.target },
          }]),
    ],
  };
}

export function FineRateCharts(props: {
  machine: string;
  window: { from: number; to: number };
  zone: string;
  stops: readonly Stop[];
  standardRatePerHour: number | null;
  calendar: CalendarSpec;
}) {
  const { machine, window, zone, stops, standardRatePerHour, calendar } = props;
  const [rolling, setRolling] = useState(15);
  const [rate, setRate] = useState<{ key: string; data: RateResponse } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = `${machine}:${window.from}:${window.to}:${rolling}`;
  useEffect(() => {
    let live = true;
    setError(null);
    getRate({ machine, from: window.from, to: window.to, rollingSeconds: rolling })
      .then((data) => live && setRate({ key, data }))
      .catch((reason: unknown) => live && setError(errorMessage(reason)));
    return () => {
      live = false;
    };
  }, [key, machine, window.from, window.to, rolling]);

  const data = rate?.data ?? null;
  const rateOption = useMemo(() => (data ? fineRateOption(data, stops, zone, standardRatePerHour, window) : null), [data, stops, zone, standardRatePerHour, window]);
  const totalOption = useMemo(() => (data ? cumulativeOption(data, zone, standardRatePerHour, calendar, window) : null), [data, zone, standardRatePerHour, calendar, window]);
  const produced = data ? data.cumulativeGood[data.cumulativeGood.length - 1] ?? 0 : 0;
  const olderThanKept = data ? window.from < Date.parse(data.rawKeptFrom) : false;

  return (
    <div className="fine-rate" data-testid="fine-rate">
      <div className="fine-rate-controls" role="radiogroup" aria-label="Rolling window of the rate">
        <span className="control-label">Smoothing</span>
        {ROLLING_SECONDS.map((seconds) => (
          <button
            key={seconds}
            type="button"
            role="radio"
            aria-checked={rolling === seconds}
            className={`an-segment${rolling === seconds ? ' an-segment-selected' : ''}`}
            onClick={() => setRolling(seconds)}
            data-testid={`rolling-${seconds}`}
          >
            {seconds} s
          </button>
        ))}
      </div>
      {error ? <p className="muted chart-empty">The second-by-second rate could not be loaded: {error}</p> : null}
      {!data && !error ? <Spinner label="Loading the rate…" /> : null}
      {data && produced === 0 && stops.length === 0 ? (
        <p className="muted chart-empty">{olderThanKept ? 'Second-by-second data is no longer kept for this time.' : `${NO_PRODUCTION_TEXT}.`}</p>
      ) : data && rateOption && totalOption ? (
        <>
          <div className="chart-box chart-tall" aria-busy={rate?.key !== key}>
            <EChart option={rateOption} height="100%" testId="chart-fine-rate" label={`Parts per minute, rolling ${data.rollingSeconds} s, with the stops below`} />
          </div>
          <h3 className="fine-rate-subtitle">Good parts so far against the standard</h3>
          <div className="chart-box chart-medium">
            <EChart option={totalOption} height="100%" testId="chart-cumulative" label={`Good parts made: ${formatCount(produced)}`} />
          </div>
        </>
      ) : null}
    </div>
  );
}
