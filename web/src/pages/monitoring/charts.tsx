// The Monitoring page's charts, built from the SPC API's answer: subgroup means with their control
// limits (solid/dashed) and the spec (dotted, another colour) — out-of-limit means in red and a
// triangle per signal whose tooltip names its rule; the EWMA drift with its limits; the histogram of
// the readings against the spec. Drawn with the Analytics page's ECharts wrapper.
import { useMemo } from 'react';
import { DateTime } from 'luxon';
import { CHART_COLORS, EChart, chartFontSize, type ChartOption } from '../analytics/echarts.js';
import type { SpcChart } from '../../api/spc.js';
import { decimalsFor } from './windows.js';

const SPEC_COLOR = '#9333ea';

export const formatValue = (value: number, decimals: number) => value.toFixed(decimals);

function timeAxis(zone: string, fontSize: number) {
  return {
    type: 'time' as const,
    axisLabel: {
      color: CHART_COLORS.muted,
      fontSize,
      hideOverlap: true,
      formatter: (value: number) => DateTime.fromMillis(value, { zone }).toFormat('ccc HH:mm'),
    },
    splitLine: { show: false },
  };
}

/** y-axis bounds that hold the points and every line drawn across the chart, with a margin. */
function bounds(values: readonly number[]): { min: number; max: number } {
  const finite = values.filter(Number.isFinite);
  const low = Math.min(...finite);
  const high = Math.max(...finite);
  const pad = (high - low) * 0.06 || Math.abs(high) * 0.01 || 1;
  return { min: low - pad, max: high + pad };
}

interface Line {
  value: number;
  name: string;
  color: string;
  type: 'solid' | 'dashed' | 'dotted';
  /** where its label sits: control limits on the right, the spec on the left, so the two never cover each other */
  label: 'insideEndTop' | 'insideEndBottom' | 'insideStartTop' | 'insideStartBottom';
}

/**
 * The spec lines drawn on the chart of means: those within 1.5 spans of the means and limits. A
 * spec far wider than the process would squeeze the limits into a thin band; those are named under
 * the chart instead (`offScale`).
 */
export function specOnScale(chart: SpcChart): { shown: Line[]; offScale: { name: string; value: number }[] } {
  const { channel, limits } = chart;
  const core = [...chart.points.map((p) => p.mean), ...(limits ? [limits.lcl, limits.ucl, limits.centre] : [])];
  const spec: Line[] = [];
  if (channel.usl !== null) spec.push({ value: channel.usl, name: 'USL', color: SPEC_COLOR, type: 'dotted', label: 'insideStartTop' });
  if (channel.target !== null) spec.push({ value: channel.target, name: 'Target', color: SPEC_COLOR, type: 'dotted', label: 'insideStartTop' });
  if (channel.lsl !== null) spec.push({ value: channel.lsl, name: 'LSL', color: SPEC_COLOR, type: 'dotted', label: 'insideStartBottom' });
  if (core.length === 0) return { shown: spec, offScale: [] };
  const low = Math.min(...core);
  const high = Math.max(...core);
  const span = high - low || Math.abs(high) * 0.01 || 1;
  const near = (v: number) => v >= low - 1.5 * span && v <= high + 1.5 * span;
  return { shown: spec.filter((l) => near(l.value)), offScale: spec.filter((l) => !near(l.value)).map((l) => ({ name: l.name, value: l.value })) };
}

function markLines(lines: Line[], decimals: number, fontSize: number) {
  return {
    symbol: 'none',
    silent: true,
    // ECharts rounds a mark line's value to 2 decimals unless told: 0.1252 mm would sit on 0.13
    precision: 10,
    data: lines.map((line) => ({
      yAxis: line.value,
      name: line.name,
      lineStyle: { color: line.color, type: line.type, width: line.type === 'dotted' ? 2.5 : 2 },
      label: { formatter: `${line.name} ${formatValue(line.value, decimals)}`, position: line.label, color: line.color, fontSize, fontWeight: 'bold' as const, backgroundColor: 'rgba(255, 255, 255, 0.85)', padding: [1, 4] },
    })),
  };
}

export function MeansChart({ chart, zone }: { chart: SpcChart; zone: string }) {
  const option = useMemo<ChartOption>(() => {
    const fontSize = chartFontSize();
    const { limits, channel } = chart;
    const lines: Line[] = [];
    if (limits) {
      lines.push({ value: limits.ucl, name: 'UCL', color: CHART_COLORS.danger, type: 'dashed', label: 'insideEndTop' });
      lines.push({ value: limits.centre, name: 'Centre', color: CHART_COLORS.ok, type: 'solid', label: 'insideEndTop' });
      lines.push({ value: limits.lcl, name: 'LCL', color: CHART_COLORS.danger, type: 'dashed', label: 'insideEndBottom' });
    }
    lines.push(...specOnScale(chart).shown);
    const means = chart.points.map((p) => p.mean);
    const decimals = decimalsFor([...means, ...lines.map((l) => l.value)]);
    const y = bounds([...means, ...lines.map((l) => l.value), ...chart.signals.map((s) => s.value)]);
    const when = (at: number) => DateTime.fromMillis(at, { zone }).toFormat('ccc d LLL HH:mm ZZ');
    return {
      animation: false,
      grid: { left: 72, right: 24, top: 28, bottom: 40 },
      textStyle: { fontSize },
      tooltip: { trigger: 'item' },
      xAxis: { ...timeAxis(zone, fontSize), min: chart.window.from, max: chart.window.to },
      yAxis: {
        type: 'value',
        min: y.min,
        max: y.max,
        name: channel.unit,
        nameTextStyle: { color: CHART_COLORS.muted, fontSize },
        axisLabel: { color: CHART_COLORS.muted, fontSize, showMinLabel: false, showMaxLabel: false, formatter: (v: number) => formatValue(v, decimals) },
        splitLine: { lineStyle: { color: CHART_COLORS.grid } },
      },
      series: [
        {
          type: 'line',
          name: `${chart.subgroupMinutes}-min mean`,
          data: chart.points.map((p) => ({
            value: [p.at, p.mean],
            n: p.n,
            itemStyle: p.outside ? { color: CHART_COLORS.danger, borderColor: CHART_COLORS.danger } : undefined,
            symbolSize: p.outside ? 9 : 4,
          })),
          showSymbol: true,
          symbolSize: 4,
          lineStyle: { color: CHART_COLORS.accent, width: 1.5 },
          itemStyle: { color: CHART_COLORS.accent },
          tooltip: {
            formatter: (param: unknown) => {
              const item = param as { data: { value: [number, number]; n: number } };
              return `${when(item.data.value[0])}<br/>mean ${formatValue(item.data.value[1], decimals)} ${channel.unit} (n ${item.data.n})`;
            },
          },
          markLine: lines.length ? markLines(lines, decimals, fontSize) : undefined,
        },
        {
          // a line series without its line draws the signal markers (the shared build registers no scatter chart)
          type: 'line',
          name: 'signals',
          data: chart.signals.map((s) => ({
            value: [s.at, s.value], rule: s.rule, ruleName: s.ruleName, message: s.message,
            ...(s.rule === 'ewma-drift' ? { symbol: 'diamond', symbolSize: 18, itemStyle: { color: CHART_COLORS.danger, borderColor: CHART_COLORS.text, borderWidth: 1 } } : {}),
          })),
          showSymbol: true,
          symbol: 'triangle',
          symbolSize: 14,
          z: 5,
          lineStyle: { width: 0, opacity: 0 },
          itemStyle: { color: CHART_COLORS.warn, borderColor: CHART_COLORS.text, borderWidth: 1 },
          tooltip: {
            formatter: (param: unknown) => {
              const item = param as { data: { value: [number, number]; ruleName: string; rule: string; message: string } };
              return `<b>${item.data.ruleName}</b> (${item.data.rule})<br/>${when(item.data.value[0])}<br/>${item.data.message}`;
            },
          },
        },
      ],
    };
  }, [chart, zone]);
  return <EChart option={option} height="clamp(260px, 38vh, 460px)" label={`Control chart of ${chart.channel.name}: ${chart.subgroupMinutes}-minute means, ${chart.signals.length} signal(s)`} testId="spc-means-chart" />;
}

export function DriftChart({ chart, zone }: { chart: SpcChart; zone: string }) {
  const option = useMemo<ChartOption>(() => {
    const fontSize = chartFontSize();
    const values = chart.drift.flatMap((d) => [d.value, d.lcl, d.ucl]);
    const centre = chart.limits?.centre;
    const decimals = decimalsFor(values.length ? values : [0, 1]);
    const y = values.length ? bounds(centre === undefined ? values : [...values, centre]) : { min: 0, max: 1 };
    const stepped = (pick: (d: SpcChart['drift'][number]) => number) => chart.drift.map((d) => [d.at, pick(d)]);
    return {
      animation: false,
      grid: { left: 72, right: 24, top: 16, bottom: 40 },
      textStyle: { fontSize },
      tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? formatValue(v, decimals) : '—') },
      xAxis: { ...timeAxis(zone, fontSize), min: chart.window.from, max: chart.window.to },
      yAxis: {
        type: 'value',
        min: y.min,
        max: y.max,
        axisLabel: { color: CHART_COLORS.muted, fontSize, showMinLabel: false, showMaxLabel: false, formatter: (v: number) => formatValue(v, decimals) },
        splitLine: { lineStyle: { color: CHART_COLORS.grid } },
      },
      series: [
        { type: 'line', name: 'EWMA', data: stepped((d) => d.value), showSymbol: false, lineStyle: { color: CHART_COLORS.accent, width: 2.5 }, itemStyle: { color: CHART_COLORS.accent },
          markLine: centre === undefined ? undefined : markLines([{ value: centre, name: 'Centre', color: CHART_COLORS.ok, type: 'solid', label: 'insideEndTop' }], decimals, fontSize) },
        { type: 'line', name: 'EWMA UCL', data: stepped((d) => d.ucl), showSymbol: false, lineStyle: { color: CHART_COLORS.danger, type: 'dashed', width: 2 }, itemStyle: { color: CHART_COLORS.danger } },
        { type: 'line', name: 'EWMA LCL', data: stepped((d) => d.lcl), showSymbol: false, lineStyle: { color: CHART_COLORS.danger, type: 'dashed', width: 2 }, itemStyle: { color: CHART_COLORS.danger } },
      ],
    };
  }, [chart, zone]);
  return <EChart option={option} height="clamp(180px, 24vh, 300px)" label={`EWMA drift of ${chart.channel.name} with its limits`} testId="spc-drift-chart" />;
}

export function HistogramChart({ chart }: { chart: SpcChart }) {
  const option = useMemo<ChartOption>(() => {
    const fontSize = chartFontSize();
    const histogram = chart.histogram;
    const bins = histogram?.bins ?? [];
    const markers = histogram?.markers ?? { lsl: chart.channel.lsl, usl: chart.channel.usl, target: chart.channel.target };
    const edges = bins.flatMap((b) => [b.from, b.to]);
    const specs = [markers.lsl, markers.usl, markers.target].filter((v): v is number => v !== null);
    const x = bounds([...edges, ...specs]);
    const decimals = decimalsFor([...edges, ...specs]);
    const specLine = (value: number | null, name: string) =>
      value === null ? [] : [{ xAxis: value, name, lineStyle: { color: SPEC_COLOR, type: 'dotted' as const, width: 2.5 }, label: { formatter: name, color: SPEC_COLOR, fontSize, fontWeight: 'bold' as const } }];
    return {
      animation: false,
      grid: { left: 48, right: 24, top: 28, bottom: 40 },
      textStyle: { fontSize },
      tooltip: {
        trigger: 'item',
        formatter: (param: unknown) => {
          const item = param as { dataIndex: number };
          const bin = bins[item.dataIndex];
          return bin ? `${formatValue(bin.from, decimals)}–${formatValue(bin.to, decimals)} ${chart.channel.unit}: ${bin.count}` : '';
        },
      },
      xAxis: { type: 'value', min: x.min, max: x.max, axisLabel: { color: CHART_COLORS.muted, fontSize, hideOverlap: true, showMinLabel: false, showMaxLabel: false, formatter: (v: number) => formatValue(v, decimals) }, splitLine: { show: false } },
      yAxis: { type: 'value', axisLabel: { color: CHART_COLORS.muted, fontSize }, splitLine: { lineStyle: { color: CHART_COLORS.grid } } },
      series: [
        {
          type: 'bar',
          name: 'readings',
          data: bins.map((b) => [(b.from + b.to) / 2, b.count]),
          barWidth: '96%',
          itemStyle: { color: CHART_COLORS.accentSoft, borderColor: CHART_COLORS.accent, borderWidth: 1 },
          markLine: { symbol: 'none', silent: true, precision: 10, data: [...specLine(markers.lsl, 'LSL'), ...specLine(markers.target, 'Target'), ...specLine(markers.usl, 'USL')] },
        },
      ],
    };
  }, [chart]);
  return <EChart option={option} height={220} label={`Histogram of ${chart.channel.name} against its specification`} testId="spc-histogram" />;
}
