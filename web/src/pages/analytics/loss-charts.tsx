// The Losses section's charts: the loss waterfall (hours from calendar time down to fully
// productive time) and one level of the two-level Pareto (categories, or one category's reasons).
// Option builders are plain functions of the data; the components memoise them.
import { useEffect, useMemo, useRef, useState } from 'react';
import { CHART_COLORS, EChart, chartFontSize, type ChartOption } from './echarts.js';
import { formatDuration } from './format.js';
import type { LossBlock, ParetoRow, WaterfallBar } from './loss-model.js';

export const BLOCK_COLORS: Record<LossBlock, string> = {
  total: CHART_COLORS.accent,
  final: CHART_COLORS.ok,
  planned: '#8a94a6',
  availability: CHART_COLORS.danger,
  performance: CHART_COLORS.warn,
  quality: '#9333ea',
};

export const BLOCK_NAMES: Record<LossBlock, string> = {
  total: 'Time',
  final: 'Fully productive time',
  planned: 'Not planned to run',
  availability: 'Availability losses',
  performance: 'Performance losses',
  quality: 'Quality losses',
};

const textStyle = () => ({ color: CHART_COLORS.text, fontSize: chartFontSize() });
const axisLabel = () => ({ color: CHART_COLORS.muted, fontSize: chartFontSize() * 0.9 });
const hoursText = (hours: number) => (hours >= 10 ? hours.toFixed(0) : hours >= 0.05 ? hours.toFixed(1) : hours > 0 ? '<0.1' : '0');
/** "−2.7 h" under a loss, "+0.2 h" over a gain, no sign on totals and on nothing lost. */
function barText(bar: WaterfallBar): string {
  const sign = bar.block === 'total' || bar.block === 'final' || bar.heightHours === 0 ? '' : bar.gain ? '+' : '−';
  return `${sign}${hoursText(bar.heightHours)} h`;
}

/**
 * `chartWidth`: the chart's width in px; each step's name wraps within its own column so that
 * neighbours never run into each other (narrower columns: smaller type).
 */
export function waterfallOption(bars: readonly WaterfallBar[], chartWidth = 1200): ChartOption {
  const fontSize = chartFontSize();
  // the value axis takes about 50 px; each category gets an equal share of the rest
  const columnWidth = Math.max(36, Math.floor((chartWidth - 60) / Math.max(1, bars.length)) - 6);
  const nameSize = columnWidth < 80 ? fontSize * 0.8 : fontSize * 0.95;
  return {
    animation: false,
    textStyle: textStyle(),
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params) => {
        const list = Array.isArray(params) ? params : [params];
        const bar = bars[(list[0] as { dataIndex?: number } | undefined)?.dataIndex ?? -1];
        if (!bar) return '';
        const sign = bar.block === 'total' || bar.block === 'final' ? '' : bar.gain ? '+ ' : '− ';
        return `<strong>${bar.label}</strong><br/>${sign}${formatDuration(Math.abs(bar.seconds))} (${(Math.abs(bar.seconds) / 3600).toFixed(2)} h)${bar.gain ? '<br/>faster than the ideal rate' : ''}`;
      },
    },
    xAxis: {
      type: 'category',
      data: bars.map((bar) => bar.label),
      // every step named: wrapped onto lines under its bar, never skipped
      axisLabel: { ...axisLabel(), fontSize: nameSize, interval: 0, width: Math.min(110, columnWidth), overflow: 'break', lineHeight: nameSize * 1.25 },
      axisTick: { show: false },
    },
    yAxis: { type: 'value', name: 'hours', nameTextStyle: axisLabel(), axisLabel: axisLabel(), splitLine: { lineStyle: { color: CHART_COLORS.grid } }, min: 0 },
    series: [
      {
        // the invisible base the floating bars stand on
        type: 'bar',
        stack: 'waterfall',
        silent: true,
        itemStyle: { color: 'transparent', borderColor: 'transparent' },
        emphasis: { disabled: true },
        data: bars.map((bar) => bar.baseHours),
      },
      {
        type: 'bar',
        stack: 'waterfall',
        name: 'Hours',
        barMaxWidth: 64,
        data: bars.map((bar) => ({
          value: bar.heightHours,
          itemStyle: {
            color: BLOCK_COLORS[bar.block],
            // a gain (faster than ideal) is hatched-looking: an outline, not a fill
            ...(bar.gain ? { color: 'rgba(217, 119, 6, 0.15)', borderColor: CHART_COLORS.warn, borderWidth: 2, borderType: 'dashed' as const } : {}),
            borderRadius: 2,
          },
        })),
        label: {
          show: true,
          position: 'top',
          color: CHART_COLORS.text,
          fontSize: columnWidth < 80 ? fontSize * 0.85 : fontSize,
          fontWeight: 700,
          formatter: (p: { dataIndex: number }) => (bars[p.dataIndex] ? barText(bars[p.dataIndex]) : ''),
        },
      },
    ],
  };
}

export function LossWaterfall({ bars }: { bars: readonly WaterfallBar[] }) {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(1200);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    // the step names wrap to the columns' width: follow the box (a window resize, a TV)
    const observer = new ResizeObserver(() => setWidth(Math.round(element.clientWidth / 20) * 20));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const option = useMemo(() => waterfallOption(bars, width), [bars, width]);
  const label = `Loss waterfall in hours: ${bars.map((bar) => `${bar.label} ${barText(bar)}`).join(', ')}`;
  return (
    <div ref={box} className="chart-fill">
      <EChart option={option} height="100%" testId="chart-waterfall" label={label} />
    </div>
  );
}

export function lossParetoOption(rows: readonly ParetoRow[], color: (row: ParetoRow) => string): ChartOption {
  return {
    animation: false,
    textStyle: textStyle(),
    grid: { left: 8, right: 8, top: 48, bottom: 8, containLabel: true },
    legend: { top: 0, left: 0, textStyle: textStyle(), itemGap: 24, data: ['Hours', 'Cumulative share'] },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'category', data: rows.map((r) => r.label), axisLabel: { ...axisLabel(), interval: 0, width: 120, overflow: 'break', lineHeight: chartFontSize() * 1.2 } },
    yAxis: [
      { type: 'value', name: 'hours', nameTextStyle: axisLabel(), axisLabel: axisLabel(), splitLine: { lineStyle: { color: CHART_COLORS.grid } } },
      { type: 'value', min: 0, max: 100, axisLabel: { ...axisLabel(), formatter: '{value} %' }, splitLine: { show: false } },
    ],
    series: [
      {
        type: 'bar',
        name: 'Hours',
        barMaxWidth: 64,
        cursor: 'pointer',
        data: rows.map((r) => ({ value: Math.round((r.seconds / 3600) * 100) / 100, itemStyle: { color: color(r), borderRadius: [3, 3, 0, 0] } })),
        itemStyle: { color: CHART_COLORS.danger },
        tooltip: { valueFormatter: (value) => `${String(value)} h` },
      },
      {
        type: 'line',
        name: 'Cumulative share',
        yAxisIndex: 1,
        data: rows.map((r) => Math.round(r.cumulativeShare * 1000) / 10),
        lineStyle: { color: CHART_COLORS.target, width: 2 },
        itemStyle: { color: CHART_COLORS.target },
        symbolSize: 8,
        tooltip: { valueFormatter: (value) => `${String(value)} %` },
      },
    ],
  };
}

/** One Pareto level; clicking a bar calls `onPick` with its row (the categories drill down to their reasons). */
export function LossPareto({ rows, color, onPick, testId, label }: { rows: readonly ParetoRow[]; color: (row: ParetoRow) => string; onPick?: (row: ParetoRow) => void; testId: string; label: string }) {
  const option = useMemo(() => lossParetoOption(rows, color), [rows, color]);
  return <EChart option={option} height="100%" testId={testId} label={label} onClick={onPick ? (index) => rows[index] && onPick(rows[index]) : undefined} />;
}
