// The four headline figures (OEE, A, P, Q) as gauges with their target marked, the number itself in
// large type (readable across the shop floor on a TV), and a warning banner when a result cannot
// be trusted (the engine's warnings, or a ratio outside 0–100 %).
import { useMemo } from 'react';
import type { OeeResult } from '../../api/analytics.js';
import { CHART_COLORS, EChart, type ChartOption } from './echarts.js';
import { formatCount, formatDecimal, formatDuration, formatPercent, hasProduction, NO_PRODUCTION_TEXT } from './format.js';
import { plainWarnings } from './warnings.js';
import { shownFigures } from '../../../../src/core/oee/shown-figures.js';
import { KPI_LABELS, KPI_TARGETS, kpiStatus, type KpiKey, type KpiStatus } from './targets.js';

const KPIS: KpiKey[] = ['oee', 'availability', 'performance', 'quality'];


const STATUS_COLOR: Record<KpiStatus, string> = {
  good: CHART_COLORS.ok,
  below: CHART_COLORS.warn,
  invalid: CHART_COLORS.danger,
  none: CHART_COLORS.grid,
};

function gaugeOption(value: number | null, target: number, status: KpiStatus): ChartOption {
  const percent = value === null ? 0 : Math.max(0, Math.min(100, value * 100));
  const common = { type: 'gauge' as const, startAngle: 210, endAngle: -30, min: 0, max: 100, radius: '96%', center: ['50%', '58%'] };
  return {
    animation: false,
    series: [
      {
        ...common,
        // always shown (0 when not measurable): ECharts' gauge throws when an update turns progress on
        progress: { show: true, width: 18, itemStyle: { color: STATUS_COLOR[status] } },
        axisLine: { lineStyle: { width: 18, color: [[1, '#e4e8ef']] } },
        pointer: { show: false },
        axisTick: { show: false },
        splitLine: { show: false },
        // the number is HTML in the middle of the ring (see .kpi-value): no scale labels to collide with it
        axisLabel: { show: false },
        detail: { show: false },
        title: { show: false },
        data: [{ value: percent }],
      },
      {
        // the target: a dark tick across the arc, drawn by a second gauge's pointer
        ...common,
        axisLine: { show: false },
        axisTick: { show: false },
        splitLine: { show: false },
        axisLabel: { show: false },
        progress: { show: false },
        pointer: { show: true, icon: 'rect', width: 5, length: '30%', offsetCenter: [0, '-74%'], itemStyle: { color: CHART_COLORS.target } },
        anchor: { show: false },
        detail: { show: false },
        title: { show: false },
        data: [{ value: target * 100 }],
      },
    ],
  };
}

function Gauge({ kpi, value }: { kpi: KpiKey; value: number | null }) {
  const target = KPI_TARGETS[kpi];
  const status = kpiStatus(value, target);
  const option = useMemo(() => gaugeOption(value, target, status), [value, target, status]);
  const label = KPI_LABELS[kpi];
  return (
    <article className={`kpi-card kpi-${status}`} data-testid={`kpi-${kpi}`}>
      <header className="kpi-header">
        <h3>{label.short === 'OEE' ? 'OEE' : label.long}</h3>
        <span className="kpi-target" data-testid={`kpi-${kpi}-target`}>
          Target {formatPercent(target)}
        </span>
      </header>
      <div className="kpi-gauge">
        <EChart option={option} height="100%" label={`${label.long} gauge: ${formatPercent(value)}, target ${formatPercent(target)}`} />
        <div className="kpi-value" data-testid={`kpi-${kpi}-value`}>
          {formatPercent(value)}
        </div>
      </div>
      <p className="kpi-status">
        {status === 'good' ? 'On target' : status === 'below' ? `${formatPoints(value, target)} below target` : status === 'invalid' ? 'Outside 0–100 %' : 'Not measurable'}
      </p>
    </article>
  );
}

function formatPoints(value: number | null, target: number): string {
  if (value === null) return '';
  return `${((target - value) * 100).toFixed(1)} pts`;
}

export function KpiGauges({ result }: { result: OeeResult }) {
  if (!hasProduction(result)) {
    return (
      <section className="panel kpi-none" aria-label="OEE, availability, performance and quality" data-testid="no-production">
        <h3>{NO_PRODUCTION_TEXT}</h3>
        <p className="muted">
          {result.cycles > 0 ? 'The camera counted only empty pockets, no parts' : 'No machine data came in for this time'}, so there is no OEE,
          availability, performance or quality to show.
        </p>
      </section>
    );
  }
  const shown = shownFigures(result);
  return (
    <section className="kpi-row" aria-label="OEE, availability, performance and quality">
      {KPIS.map((kpi) => (
        <Gauge key={kpi} kpi={kpi} value={shown[kpi]} />
      ))}
    </section>
  );
}

/** What a reader should know about a result, in plain words: the engine's warnings and any ratio outside 0–100 %. */
export function resultProblems(result: OeeResult): string[] {
  // a window without parts shows the "No production" state; its warnings would only repeat it
  if (!hasProduction(result)) return [];
  const problems = plainWarnings(result);
  const shown = shownFigures(result);
  for (const kpi of KPIS) {
    const value = shown[kpi];
    if (value !== null && (value < 0 || value > 1)) {
      problems.push(`${KPI_LABELS[kpi].long} is ${formatPercent(value)}, outside 0–100 %: check the profile's ideal rate and the data.`);
    }
  }
  return problems;
}

export function WarningBanner({ problems, machineName }: { problems: string[]; machineName?: string }) {
  if (problems.length === 0) return null;
  const shown = problems.slice(0, 4);
  return (
    <div className="banner banner-info analytics-warning" role="alert" data-testid="oee-warnings">
      <span className="banner-text">
        <strong>{machineName ? `${machineName}: ` : ''}Note on these figures</strong>
        <ul className="warning-list">
          {shown.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
          {problems.length > shown.length ? <li>and {problems.length - shown.length} more</li> : null}
        </ul>
      </span>
    </div>
  );
}

/** The counts and times behind the figures, in one line under the gauges. */
export function Facts({ result }: { result: OeeResult }) {
  const facts: [label: string, value: string, testId: string][] = [
    ['Parts', formatCount(result.parts), 'fact-parts'],
    ['Good', formatCount(result.good), 'fact-good'],
    ['Reworks', `${formatCount(result.reworks)} (${formatPercent(result.reworkRate)})`, 'fact-reworks'],
    ['Empty cycles', `${formatCount(result.emptyCycles)} (${formatPercent(result.emptyRate)})`, 'fact-empty'],
    ['Stops', formatCount(result.stops.count), 'fact-stops'],
    ['Stop time', formatDuration(result.stops.seconds), 'fact-stop-time'],
    ['MTBF', formatDuration(result.mtbfSeconds), 'fact-mtbf'],
    ['MTTR', formatDuration(result.mttrSeconds), 'fact-mttr'],
    ['Loading time', formatDuration(result.loadingSeconds), 'fact-loading'],
    ['Run rate', result.averageRatePerMinute === null ? '–' : `${formatDecimal(result.averageRatePerMinute)}/min`, 'fact-rate'],
  ];
  return (
    <dl className="facts" data-testid="facts">
      {facts.map(([label, value, testId]) => (
        <div key={label} className="fact">
          <dt>{label}</dt>
          <dd data-testid={testId}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
