// The dashboard's tables. Each is defined once as columns (screen, CSV and workbook read the same
// values) and has its own CSV download.
import { useEffect, useState, type ReactNode } from 'react';
import type { Product } from '../../../../src/features/plant/schemas.js';
import type { LotCount, OeeResult, Stop } from '../../api/analytics.js';
import { downloadCsv, type Column } from './export.js';
import { formatCount, formatDecimal, formatDuration, formatInstant, formatPercent, formatStopClass, hasProduction, spreadsheetTime, stopDuration } from './format.js';
import { KPI_TARGETS, kpiStatus, type KpiKey } from './targets.js';
import { shownFigures } from '../../../../src/core/oee/shown-figures.js';
import type { StopReasonOption } from './stop-reasons.js';

export interface DisplayColumn<Row> extends Column<Row> {
  /** what the screen shows; defaults to the raw value */
  render?: (row: Row) => ReactNode;
  className?: (row: Row) => string | undefined;
}

export function DataTable<Row>({ title, subtitle, columns, rows, rowKey, csvName, testId, empty, maxHeight }: {
  title: string;
  subtitle?: ReactNode;
  columns: readonly DisplayColumn<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  csvName: string;
  testId: string;
  empty: string;
  /** scroll inside the card beyond this height (long lists on a TV) */
  maxHeight?: string;
}) {
  return (
    <section className="panel analytics-card" data-testid={testId}>
      <header className="card-header">
        <div>
          <h2>{title}</h2>
          {subtitle ? <p className="muted small">{subtitle}</p> : null}
        </div>
        <button type="button" className="button button-small" disabled={rows.length === 0} onClick={() => downloadCsv(`${csvName}.csv`, columns, rows)} data-testid={`${testId}-csv`}>
          CSV
        </button>
      </header>
      {rows.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <div className="table-scroll" style={maxHeight ? { maxHeight } : undefined}>
          <table className="table analytics-table">
            <thead>
              <tr>
                {columns.map((column) => (
                  <th key={column.key} className={column.numeric ? 'num' : undefined} scope="col">
                    {column.header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={rowKey(row)}>
                  {columns.map((column) => {
                    const extra = column.className?.(row);
                    const className = [column.numeric ? 'num' : '', extra ?? ''].filter(Boolean).join(' ') || undefined;
                    return (
                      <td key={column.key} className={className}>
                        {column.render ? column.render(row) : (column.value(row) ?? '–')}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

const ratioCell = (kpi: KpiKey) => (row: { totals: OeeResult } | OeeResult) => {
  const result = 'totals' in row ? row.totals : row;
  const status = kpiStatus(shownFigures(result)[kpi], KPI_TARGETS[kpi]);
  return status === 'good' ? 'cell-good' : status === 'below' ? 'cell-below' : status === 'invalid' ? 'cell-invalid' : undefined;
};

function ratioColumns<Row>(pick: (row: Row) => OeeResult): DisplayColumn<Row>[] {
  const column = (kpi: KpiKey, header: string): DisplayColumn<Row> => ({
    key: kpi,
    header,
    numeric: true,
    value: (row) => shownFigures(pick(row))[kpi],
    // a row without parts says so once, in the OEE column, instead of four dashes; P above 100 % shows capped (shownFigures)
    render: (row) => (hasProduction(pick(row)) ? formatPercent(shownFigures(pick(row))[kpi]) : kpi === 'oee' ? <span className="muted no-production-cell">No production</span> : '–'),
    className: (row) => ratioCell(kpi)(pick(row)),
  });
  return [column('availability', 'A'), column('performance', 'P'), column('quality', 'Q'), column('oee', 'OEE')];
}

// ---- shifts ------------------------------------------------------------------------------------

export function ShiftTable({ shifts, zone, csvName, note }: { shifts: readonly OeeResult[]; zone: string; csvName: string; note?: string }) {
  const columns: DisplayColumn<OeeResult>[] = [
    { key: 'shift', header: 'Shift', value: (r) => spreadsheetTime(Date.parse(r.from), zone), render: (r) => `${formatInstant(Date.parse(r.from), zone, 'ccc d LLL HH:mm')}–${formatInstant(Date.parse(r.to), zone, 'HH:mm')}` },
    { key: 'parts', header: 'Parts', numeric: true, value: (r) => r.parts, render: (r) => formatCount(r.parts) },
    { key: 'stops', header: 'Stops', numeric: true, value: (r) => r.stops.count, render: (r) => formatCount(r.stops.count) },
    { key: 'stopSeconds', header: 'Stop time', numeric: true, value: (r) => r.stops.seconds, render: (r) => formatDuration(r.stops.seconds) },
    ...ratioColumns<OeeResult>((r) => r),
  ];
  // shifts without any planned time or data say nothing: leave them out
  const rows = shifts.filter((r) => r.cycles > 0 || r.loadingSeconds > 0);
  return (
    <DataTable
      title="Shift by shift"
      subtitle={note}
      columns={columns}
      rows={rows}
      rowKey={(r) => r.from}
      csvName={csvName}
      testId="table-shifts"
      empty="No shift of the production calendar has data in this window."
      maxHeight="26rem"
    />
  );
}

// ---- lots --------------------------------------------------------------------------------------

export function LotTable({ lots, products, machineNames, zone, csvName, showMachine }: {
  lots: readonly LotCount[];
  products: readonly Product[];
  machineNames: Map<string, string>;
  zone: string;
  csvName: string;
  showMachine: boolean;
}) {
  const productOf = (item: string) => products.find((p) => p.itemNumber === item);
  const columns: DisplayColumn<LotCount>[] = [
    ...(showMachine ? [{ key: 'machine', header: 'Machine', value: (l: LotCount) => l.machine, render: (l: LotCount) => machineNames.get(l.machine) ?? l.machine }] : []),
    { key: 'lot', header: 'Lot', value: (l) => l.lot, className: () => 'mono' },
    { key: 'item', header: 'Item', value: (l) => l.item, className: () => 'mono' },
    { key: 'product', header: 'Product', value: (l) => productOf(l.item)?.name ?? null, render: (l) => productOf(l.item)?.name ?? <span className="muted">Unknown item</span> },
    { key: 'parts', header: 'Parts', numeric: true, value: (l) => l.parts, render: (l) => formatCount(l.parts) },
    { key: 'reworks', header: 'Reworks', numeric: true, value: (l) => l.reworks, render: (l) => formatCount(l.reworks) },
    { key: 'good', header: 'Good', numeric: true, value: (l) => l.good, render: (l) => formatCount(l.good) },
    { key: 'cycles', header: 'Cycles', numeric: true, value: (l) => l.cycles, render: (l) => formatCount(l.cycles) },
    { key: 'first', header: 'First', value: (l) => spreadsheetTime(l.firstAt, zone), render: (l) => formatInstant(l.firstAt, zone) },
    { key: 'last', header: 'Last', value: (l) => spreadsheetTime(l.lastAt, zone), render: (l) => formatInstant(l.lastAt, zone) },
  ];
  return (
    <DataTable
      title="Lots"
      subtitle="Whole-lot totals of the lots that ran in this window (lot 0 = empty pockets without a lot)"
      columns={columns}
      rows={lots}
      rowKey={(l) => `${l.machine}|${l.lot}`}
      csvName={csvName}
      testId="table-lots"
      empty="No lot ran in this window."
      maxHeight="26rem"
    />
  );
}

// ---- machines side by side -------------------------------------------------------------------

export interface ComparisonRow {
  key: string;
  name: string;
  totals: OeeResult;
}

export function ComparisonTable({ rows, csvName, profileName = (label) => label }: { rows: readonly ComparisonRow[]; csvName: string; profileName?: (label: string) => string }) {
  const columns: DisplayColumn<ComparisonRow>[] = [
    {
      key: 'machine',
      header: 'Machine',
      value: (r) => r.key,
      render: (r) => (
        <>
          <strong>{r.name}</strong>
          <span className="muted small cell-detail" title={`OEE profile ${r.totals.profile}`}>
            {profileName(r.totals.profile)}
          </span>
        </>
      ),
    },
    ...ratioColumns<ComparisonRow>((r) => r.totals),
    { key: 'parts', header: 'Parts', numeric: true, value: (r) => r.totals.parts, render: (r) => formatCount(r.totals.parts) },
    { key: 'reworks', header: 'Reworks', numeric: true, value: (r) => r.totals.reworks, render: (r) => formatCount(r.totals.reworks) },
    { key: 'stops', header: 'Stops', numeric: true, value: (r) => r.totals.stops.count, render: (r) => formatCount(r.totals.stops.count) },
    { key: 'stopSeconds', header: 'Stop time', numeric: true, value: (r) => r.totals.stops.seconds, render: (r) => formatDuration(r.totals.stops.seconds) },
    { key: 'mtbf', header: 'MTBF', numeric: true, value: (r) => r.totals.mtbfSeconds, render: (r) => formatDuration(r.totals.mtbfSeconds) },
    { key: 'mttr', header: 'MTTR', numeric: true, value: (r) => r.totals.mttrSeconds, render: (r) => formatDuration(r.totals.mttrSeconds) },
    { key: 'rate', header: 'Rate /min', numeric: true, value: (r) => r.totals.averageRatePerMinute, render: (r) => formatDecimal(r.totals.averageRatePerMinute) },
  ];
  return (
    <DataTable
      title="Machines side by side"
      columns={columns}
      rows={rows}
      rowKey={(r) => r.key}
      csvName={csvName}
      testId="table-comparison"
      empty="Pick two or more machines to compare them."
    />
  );
}

// ---- stops with reasons ------------------------------------------------------------------------

/** What the table says a stop's reason is: the stored path label, the automatic minor stop, or nothing yet. */
function ReasonText({ stop }: { stop: Stop }) {
  if (stop.automatic && stop.segments.length === 0) return <span className="muted" data-testid={`reason-text-${stop.startMs}`}>Minor stop (automatic)</span>;
  const label = stop.segments.length > 1 ? stop.segments.map((s) => s.label ?? s.reason).join(', then ') : (stop.label ?? stop.reason);
  return label ? <span data-testid={`reason-text-${stop.startMs}`}>{label}</span> : <span className="muted" data-testid={`reason-text-${stop.startMs}`}>No reason given</span>;
}

/** A picker of the machine's stop reasons (path labels) and a comment. */
function ReasonEditor({ stop, options, onSave }: { stop: Stop; options: readonly StopReasonOption[]; onSave: (reason: string | null, comment: string | null) => Promise<void> }) {
  // an automatic minor stop has nobody's reason: the picker starts empty
  const given = stop.segments.length > 0 ? stop.reason : null;
  const [reason, setReason] = useState(given ?? '');
  const [comment, setComment] = useState(stop.comment ?? '');
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    setReason(given ?? '');
    setComment(stop.comment ?? '');
  }, [given, stop.comment]);
  const dirty = reason !== (given ?? '') || comment !== (stop.comment ?? '');
  // a reason no longer offered (retired, or from an older tree) stays selectable as what the stop has
  const kept = given && !options.some((o) => o.id === given) ? { id: given, label: `${stop.label ?? given} (no longer offered)` } : null;
  return (
    <form
      className="reason-editor"
      onSubmit={(event) => {
        event.preventDefault();
        setSaving(true);
        void onSave(reason || null, comment.trim() || null).finally(() => setSaving(false));
      }}
    >
      <select value={reason} onChange={(e) => setReason(e.target.value)} aria-label="Reason" data-testid={`stop-reason-${stop.startMs}`}>
        <option value="">{stop.automatic && !given ? 'Minor stop (automatic)' : 'No reason given'}</option>
        {kept ? <option value={kept.id}>{kept.label}</option> : null}
        {options.map((option) => (
          <option key={option.id} value={option.id}>
            {option.label}
          </option>
        ))}
      </select>
      <input value={comment} onChange={(e) => setComment(e.target.value)} placeholder="Comment" aria-label="Comment" maxLength={2000} data-testid={`stop-comment-${stop.startMs}`} />
      <button type="submit" className="button button-small" disabled={!dirty || saving} data-testid={`stop-save-${stop.startMs}`}>
        {saving ? 'Saving…' : 'Save'}
      </button>
    </form>
  );
}

export function StopsTable({ stops, classes, zone, csvName, onSave, truncated, reasonOptions }: {
  stops: readonly Stop[];
  classes: OeeResult['stops']['classes'];
  zone: string;
  csvName: string;
  /** null: the user may not record reasons (the column shows them read-only) */
  onSave: ((stop: Stop, reason: string | null, comment: string | null) => Promise<void>) | null;
  truncated: boolean;
  /** the reasons a stop may be given (the machine's tree) */
  reasonOptions: readonly StopReasonOption[];
}) {
  const className = (stop: Stop) => {
    const stopClass = classes[stop.class];
    return stopClass ? formatStopClass(stopClass.minSeconds, stopClass.maxSeconds) : stop.classLabel;
  };
  // longest first: those are the ones worth a reason
  const rows = stops.slice().sort((a, b) => b.countedSeconds - a.countedSeconds);
  const columns: DisplayColumn<Stop>[] = [
    { key: 'start', header: 'Start', value: (s) => spreadsheetTime(s.startMs, zone), render: (s) => formatInstant(s.startMs, zone, 'ccc d LLL HH:mm:ss') },
    {
      key: 'seconds',
      header: 'Duration in window',
      numeric: true,
      value: (s) => s.countedSeconds,
      render: (s) => {
        const { counted, note } = stopDuration(s);
        return (
          <span data-testid="stop-duration">
            {counted}
            {note ? <span className="muted small stop-duration-note">{note}</span> : null}
          </span>
        );
      },
    },
    { key: 'class', header: 'Class', value: className },
    {
      key: 'reason',
      header: 'Reason and comment',
      value: (s) => s.label ?? s.reason,
      render: (s) =>
        onSave ? (
          <div className="reason-cell">
            <ReasonText stop={s} />
            <ReasonEditor stop={s} options={reasonOptions} onSave={(reason, comment) => onSave(s, reason, comment)} />
          </div>
        ) : (
          <span>
            <ReasonText stop={s} />
            {s.comment ? <span className="muted"> — {s.comment}</span> : null}
          </span>
        ),
    },
    // CSV only: the comment is edited in the reason column on screen
  ];
  const csvColumns: Column<Stop>[] = [...columns.filter((c) => c.key !== 'reason'), { key: 'wholeSeconds', header: 'Whole stop (s)', value: (s) => s.seconds }, { key: 'reason', header: 'Reason', value: (s) => (s.automatic && s.segments.length === 0 ? 'Minor stop (automatic)' : (s.label ?? s.reason)) }, { key: 'comment', header: 'Comment', value: (s) => s.comment }];
  return (
    <section className="panel analytics-card" data-testid="table-stops">
      <header className="card-header">
        <div>
          <h2>Stops of a minute or more</h2>
          <p className="muted small">
            {formatCount(stops.length)} stops{truncated ? ' (the first ones only: narrow the window to see all)' : ''}, longest first.
            {onSave ? ' Give each a reason: the Pareto chart adds them up.' : ''}
          </p>
        </div>
        <button type="button" className="button button-small" disabled={rows.length === 0} onClick={() => downloadCsv(`${csvName}.csv`, csvColumns, rows)} data-testid="table-stops-csv">
          CSV
        </button>
      </header>
      {rows.length === 0 ? (
        <p className="muted">No stop of a minute or more in this window.</p>
      ) : (
        <div className="table-scroll" style={{ maxHeight: '30rem' }}>
          <table className="table analytics-table">
            <thead>
              <tr>
                {columns.map((column) => (
                  <th key={column.key} className={column.numeric ? 'num' : undefined} scope="col">
                    {column.header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((stop) => (
                <tr key={stop.startMs} data-testid={`stop-row-${stop.startMs}`}>
                  {columns.map((column) => (
                    <td key={column.key} className={column.numeric ? 'num' : column.key === 'start' ? 'mono' : undefined}>
                      {column.render ? column.render(stop) : (column.value(stop) ?? '–')}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
