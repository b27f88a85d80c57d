// The Losses section of the Analytics page (issue 13 item 4): where the calendar time went, as a
// waterfall down to fully productive time; the key figures beyond OEE (TEEP, utilisation, labour);
// a two-level Pareto (loss categories, then one category's reasons); the six big losses. Every
// number is the server's loss model (/api/oee/losses) for the machines and window on screen.
import { useEffect, useMemo, useState } from 'react';
import { LOSS_LABELS, lossKindOf, type LossCategory } from '../../../../src/core/losses/index.js';
import type { LossSummary } from '../../api/analytics.js';
import { ErrorBanner } from '../../components/feedback.js';
import { BLOCK_COLORS, BLOCK_NAMES, LossPareto, LossWaterfall } from './loss-charts.js';
import { SIX_BIG_LOSSES, isEmptySummary, paretoRows, waterfallBars, type LossBlock, type ParetoRow } from './loss-model.js';
import { formatDecimal, formatDuration, formatPercent } from './format.js';
import './losses.css';

const NO_DATA = 'No data for this window';

const KIND_BLOCK: Record<ReturnType<typeof lossKindOf>, LossBlock> = {
  excluded: 'planned',
  availability: 'availability',
  performance: 'performance',
  quality: 'quality',
};
const categoryColor = (category: LossCategory) => BLOCK_COLORS[KIND_BLOCK[lossKindOf(category)]];

/** TEEP, utilisation, OEE and labour utilisation: shown beside the gauges. */
export function LossKeyFigures({ summary }: { summary: LossSummary | null }) {
  if (!summary) return null;
  const labour =
    summary.paidCrewHours > 0
      ? `${formatDecimal(summary.producingCrewHours)} of ${formatDecimal(summary.paidCrewHours)} paid crew hours producing`
      : 'No crew entered in the shift logs';
  const figures: [label: string, value: string, detail: string, testId: string][] = [
    ['TEEP', formatPercent(summary.teep), 'OEE × utilisation: of all calendar time', 'loss-teep'],
    ['Utilisation', formatPercent(summary.utilisation), 'Loading time of calendar time', 'loss-utilisation'],
    ['OEE', formatPercent(summary.oee), 'Fully productive of loading time', 'loss-oee'],
    ['Labour utilisation', formatPercent(summary.labourUtilisation), labour, 'loss-labour'],
  ];
  return (
    <dl className="loss-figures" data-testid="loss-figures">
      {figures.map(([label, value, detail, testId]) => (
        <div key={label} className="loss-figure">
          <dt>{label}</dt>
          <dd data-testid={testId}>{value}</dd>
          <dd className="loss-figure-detail muted small">{detail}</dd>
        </div>
      ))}
    </dl>
  );
}

function WaterfallLegend() {
  const blocks: LossBlock[] = ['total', 'planned', 'availability', 'performance', 'quality', 'final'];
  return (
    <ul className="loss-legend" aria-label="Colours of the waterfall">
      {blocks.map((block) => (
        <li key={block}>
          <span className="legend-swatch" style={{ background: BLOCK_COLORS[block] }} aria-hidden="true" />
          {BLOCK_NAMES[block]}
        </li>
      ))}
    </ul>
  );
}

/** Categories, then (after a click on one) that category's reasons; a breadcrumb goes back. */
function TwoLevelPareto({ summary }: { summary: LossSummary }) {
  const [category, setCategory] = useState<LossCategory | null>(null);
  const picked = category ? summary.pareto.find((c) => c.category === category) : undefined;
  // the category left the data (another window): back to the categories
  useEffect(() => {
    if (category && !picked) setCategory(null);
  }, [category, picked]);
  const rows = useMemo(
    () =>
      picked
        ? paretoRows(picked.reasons.map((r) => ({ key: r.reason ?? `label:${r.label}`, label: r.label, seconds: r.seconds, count: r.count })))
        : paretoRows(summary.pareto.map((c) => ({ key: c.category, label: c.label, seconds: c.seconds, count: c.count }))),
    [picked, summary.pareto],
  );
  const color = useMemo(() => {
    const fixed = picked ? categoryColor(picked.category) : null;
    return (row: ParetoRow) => fixed ?? categoryColor(row.key as LossCategory);
  }, [picked]);
  const open = (row: ParetoRow) => {
    if (!picked) setCategory(row.key as LossCategory);
  };
  return (
    <section className="panel analytics-card" data-testid="loss-pareto">
      <header className="card-header">
        <div>
          <h2>Loss time by {picked ? 'reason' : 'category'}</h2>
          <nav className="loss-breadcrumb" aria-label="Pareto level">
            {picked ? (
              <>
                <button type="button" className="button button-small" onClick={() => setCategory(null)} data-testid="pareto-back">
                  ‹ All categories
                </button>
                <span className="muted"> › </span>
                <strong data-testid="pareto-category">{picked.label}</strong>
              </>
            ) : (
              <span className="muted small">Largest first, line the cumulative share. Click a category to see its reasons.</span>
            )}
          </nav>
        </div>
      </header>
      {rows.length === 0 ? (
        <p className="muted chart-empty" data-testid="loss-pareto-empty">
          {picked ? 'No reason has time in this category.' : 'No losses recorded in this window.'}
        </p>
      ) : (
        <div className="loss-pareto-layout">
          <div className="chart-box chart-medium">
            <LossPareto
              rows={rows}
              color={color}
              onPick={picked ? undefined : open}
              testId={picked ? 'chart-loss-pareto-reasons' : 'chart-loss-pareto'}
              label={`Loss time by ${picked ? `reason in ${picked.label}` : 'category'}, largest first: ${rows.map((r) => `${r.label} ${formatDuration(r.seconds)}`).join(', ')}`}
            />
          </div>
          <div className="loss-table-box">
            <table className="table compact-table loss-pareto-table" data-testid={picked ? 'loss-pareto-reasons-table' : 'loss-pareto-table'}>
              <thead>
                <tr>
                  <th>{picked ? 'Reason' : 'Category'}</th>
                  <th className="num">Time</th>
                  <th className="num">Share</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.key} data-testid={`pareto-row-${row.key}`}>
                    <td>
                      <span className="loss-name">
                        <span className="legend-swatch" style={{ background: color(row) }} aria-hidden="true" />
                        {picked ? (
                          row.label
                        ) : (
                          <button type="button" className="link-button" onClick={() => open(row)} data-testid={`pareto-open-${row.key}`}>
                            {row.label}
                          </button>
                        )}
                      </span>
                    </td>
                    <td className="num">{formatDuration(row.seconds)}</td>
                    <td className="num">{formatPercent(row.share)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}

function SixBigLosses({ summary }: { summary: LossSummary }) {
  const loading = summary.steps.find((s) => s.key === 'loading')?.seconds ?? 0;
  return (
    <section className="panel analytics-card six-big-losses" data-testid="six-big-losses">
      <header className="card-header">
        <div>
          <h2>Six big losses</h2>
          <p className="muted small">Share of the loading time</p>
        </div>
      </header>
      <table className="table compact-table">
        <thead>
          <tr>
            <th>Loss</th>
            <th className="num">Time</th>
            <th className="num">Share</th>
          </tr>
        </thead>
        <tbody>
          {SIX_BIG_LOSSES.map((key) => {
            const seconds = summary.sixBigLosses[key] ?? 0;
            return (
              <tr key={key} data-testid={`big-loss-${key}`}>
                <td>
                  <span className="legend-swatch" style={{ background: categoryColor(key) }} aria-hidden="true" />
                  {LOSS_LABELS[key]}
                </td>
                <td className="num" title={`${(seconds / 3600).toFixed(2)} h`}>{formatDuration(seconds)}</td>
                <td className="num">{loading > 0 ? formatPercent(seconds / loading) : '–'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

export interface LossScope {
  key: string;
  label: string;
}

/** The section; `summary` null with `error`: the loss model could not be loaded (the rest of the page still shows). */
export function LossesSection({ summary, error, onRetry, hasProduction, scopes, scope, onScope }: {
  summary: LossSummary | null;
  error: Error | null;
  onRetry: () => void;
  hasProduction: boolean;
  /** with several machines: this machine, or all of them together */
  scopes: LossScope[];
  scope: string;
  onScope: (key: string) => void;
}) {
  const bars = useMemo(() => (summary ? waterfallBars(summary.steps) : []), [summary]);
  const empty = !summary || !hasProduction || isEmptySummary(summary);
  return (
    <section className="losses" aria-labelledby="losses-title" data-testid="losses">
      <div className="losses-header">
        <h2 id="losses-title">Losses</h2>
        {scopes.length > 1 ? (
          <div className="an-segmented" role="tablist" aria-label="Machines the losses are for">
            {scopes.map((s) => (
              <button key={s.key} type="button" role="tab" aria-selected={s.key === scope} className={`an-segment${s.key === scope ? ' an-segment-selected' : ''}`} onClick={() => onScope(s.key)} data-testid={`loss-scope-${s.key}`}>
                {s.label}
              </button>
            ))}
          </div>
        ) : null}
      </div>
      {error ? (
        <ErrorBanner
          message={`The loss model could not be loaded: ${error.message}`}
          testId="losses-error"
          action={
            <button type="button" className="button" onClick={onRetry}>
              Try again
            </button>
          }
        />
      ) : null}
      {summary && empty ? (
        <p className="panel muted loss-empty" data-testid="losses-empty">
          {NO_DATA}: no production, so no losses to show.
        </p>
      ) : null}
      {summary && !empty ? (
        <>
          <section className="panel analytics-card" data-testid="waterfall-card">
            <header className="card-header">
              <div>
                <h2>Where the time went</h2>
                <p className="muted small">Hours from calendar time to fully productive time: totals stand on the axis, each loss floats where it was lost.</p>
              </div>
              <WaterfallLegend />
            </header>
            <div className="chart-box chart-waterfall">
              <LossWaterfall bars={bars} />
            </div>
          </section>
          <div className="analytics-grid grid-wide-narrow">
            <TwoLevelPareto summary={summary} />
            <SixBigLosses summary={summary} />
          </div>
        </>
      ) : null}
    </section>
  );
}
