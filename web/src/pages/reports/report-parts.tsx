// Pieces both reports print: key figures, the loss waterfall as a table of steps, and the reasons.
import type { LossesResponse } from '../../../../src/features/oee/loss-schemas.js';

export const percent = (value: number | null | undefined) => (value === null || value === undefined ? '–' : `${(value * 100).toFixed(1)} %`);
export const hours = (seconds: number) => `${(seconds / 3600).toFixed(2)} h`;
export const count = (value: number) => value.toLocaleString();

type Summary = LossesResponse['total'];

export function KeyFigures({ figures }: { figures: [string, string][] }) {
  return (
    <dl className="report-figures">
      {figures.map(([label, value]) => (
        <div key={label} className="report-figure">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The waterfall's steps as rows: totals bold, losses indented with their bar against the calendar time. */
export function LossSteps({ losses }: { losses: Summary }) {
  const calendar = losses.steps[0]?.seconds ?? 0;
  return (
    <table className="report-table" data-testid="report-losses">
      <thead>
        <tr>
          <th>Time</th>
          <th className="num">Hours</th>
          <th className="report-bar-cell">Share of calendar time</th>
        </tr>
      </thead>
      <tbody>
        {losses.steps.map((step) => (
          <tr key={step.key} className={step.kind === 'total' ? 'report-total' : 'report-loss'}>
            <td>{step.kind === 'loss' ? `− ${step.label}` : step.label}</td>
            <td className="num">{hours(step.seconds)}</td>
            <td className="report-bar-cell">
              <span className={`report-bar report-bar-${step.kind}`} style={{ width: `${calendar > 0 ? Math.max(0, Math.min(100, (step.seconds / calendar) * 100)) : 0}%` }} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ReasonTable({ losses }: { losses: Summary }) {
  const rows = losses.pareto.filter((c) => c.category !== 'notScheduled').flatMap((c) => c.reasons.map((r) => ({ category: c.label, ...r })));
  if (rows.length === 0) return <p className="muted">No losses with reasons in this window.</p>;
  return (
    <table className="report-table" data-testid="report-reasons">
      <thead>
        <tr>
          <th>Category</th>
          <th>Reason</th>
          <th className="num">Hours</th>
          <th className="num">Count</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.category}-${r.label}`}>
            <td>{r.category}</td>
            <td>{r.label}</td>
            <td className="num">{hours(r.seconds)}</td>
            <td className="num">{r.count}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Print and the workbook of the same report, hidden on paper. */
export function ReportActions({ xlsxUrl, testId }: { xlsxUrl: string | null; testId: string }) {
  return (
    <div className="report-actions no-print">
      <button type="button" className="button" onClick={() => window.print()}>
        Print
      </button>
      {xlsxUrl ? (
        <a className="button" href={xlsxUrl} data-testid={testId}>
          Download .xlsx
        </a>
      ) : null}
    </div>
  );
}
