// One work order at a glance, from the board or the list: its operations across the processes
// (where, in what state, forecast against due, progress, the gate after it), its history, and the
// actions on the operation in focus. Live: a change by anyone shows up while the panel is open; new
// production of its lot is applied in place (produced, good, state, planned end of the step).
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { describeChange } from '../../../../src/features/audit/describe.js';
import { listMachines } from '../../api/plant.js';
import { getForecastHistory, getWorkOrder, getWorkOrderHistory, type HistoryEntry, type WorkOrder } from '../../api/orders.js';
import { ForecastChart } from './forecast-chart.js';
import { SidePanel } from '../../components/dialogs.js';
import { ErrorBanner, LoadFailed, Spinner } from '../../components/feedback.js';
import { ApiError } from '../../api/client.js';
import { useResource } from '../../hooks/use-resource.js';
import type { LiveEvent } from '../../hooks/live-events.js';
import { productionDeltas, waitForReplan } from '../../api/live.js';
import { OperationActions } from './operation-actions.js';
import { SignOffs } from './sign-offs.js';
import { LotGenealogy } from '../genealogy/lot-genealogy.js';
import { useAuth } from '../../auth/auth.js';
import { STATE_LABEL, STATUS_LABEL, formatDue, formatDuration, formatInstant, formatQuantity, plannedReach, progressOf, progressStep } from './format.js';
import './work-orders.css';

type Operation = WorkOrder['operations'][number];

const LIVE = ['schedule', 'production', 'plant', 'calendar'];
/** the history changes with what people do, not with production counts */
const HISTORY_LIVE = ['schedule', 'plant', 'calendar'];

/**
 * A production event applied to the work order: the steps of this lot that are some machine's job
 * in the event's deltas. The same work order when none is (production elsewhere: nothing to fetch);
 * null when not applicable (no deltas, or the step is not on that machine any more: fetch).
 */
export function applyProductionToWorkOrder(wo: WorkOrder, event: NonNullable<LiveEvent>): WorkOrder | null {
  const deltas = productionDeltas(event);
  if (!deltas) return null;
  let next = wo;
  for (const delta of deltas.values()) {
    const job = delta.job;
    if (!job || job.lot !== wo.lot) continue;
    const op = next.operations.find((o) => o.step === job.step);
    if (!op || op.machine !== delta.machine) return null;
    const operations = next.operations.map((o) =>
      o === op ? { ...o, produced: job.produced, good: job.good, state: job.state, late: job.late, forecastEnd: job.forecastEnd === null ? o.forecastEnd : new Date(job.forecastEnd).toISOString() } : o,
    );
    // the work order's progress: good units of the furthest step that produced anything
    const furthest = [...operations].reverse().find((o) => o.produced > 0);
    next = { ...next, operations, produced: furthest?.good ?? 0, producedStep: furthest?.step ?? null };
  }
  return next;
}

export function WorkOrderPanel({ lot, step, zone, onClose, onChanged, footer }: {
  lot: string;
  /** the operation in focus (the bar that was clicked); otherwise the first one not done */
  step?: number;
  zone: string;
  onClose: () => void;
  /** after an action: the screen behind refetches too */
  onChanged?: () => void;
  footer?: (workOrder: WorkOrder) => ReactNode;
}) {
  const auth = useAuth();
  const workOrder = useResource(() => getWorkOrder(lot), [lot], LIVE, (data, event) => (event.topic === 'production' ? applyProductionToWorkOrder(data, event) : null));
  const history = useResource(() => getWorkOrderHistory(lot), [lot], HISTORY_LIVE);
  // forecasts are recorded after each re-plan: the interim production events between re-plans bring none
  const forecasts = useResource(() => getForecastHistory(lot), [lot], LIVE, waitForReplan);
  const machines = useResource(listMachines, [], ['plant']);
  const [chosenStep, setChosenStep] = useState<number | undefined>(step);
  // deleted meanwhile (by someone else): say so instead of showing what no longer exists
  const gone = workOrder.error instanceof ApiError && workOrder.error.status === 404;
  const wo = workOrder.data?.lot === lot && !gone ? workOrder.data : undefined;
  const focus = wo ? (wo.operations.find((o) => o.step === chosenStep) ?? wo.operations.find((o) => o.state !== 'done') ?? wo.operations[0]) : undefined;

  const changed = () => {
    void workOrder.reload();
    void history.reload();
    onChanged?.();
  };

  return (
    <SidePanel title={`Lot ${lot}`} onClose={onClose} testId="wo-panel" footer={wo && footer ? footer(wo) : undefined}>
      {gone ? (
        <ErrorBanner message={`Lot ${lot} does not exist (any more): it was deleted, or the lot number is wrong.`} testId="wo-gone" />
      ) : workOrder.error && !wo ? (
        <LoadFailed error={workOrder.error} onRetry={workOrder.reload} />
      ) : null}
      {!wo ? (
        workOrder.error ? null : <Spinner label={`Loading lot ${lot}…`} />
      ) : (
        <div className="wo-panel">
          <Summary wo={wo} zone={zone} />
          <p>
            <Link to={`/work-orders/${encodeURIComponent(wo.lot)}/record`} className="wo-touch-link" data-testid="wo-lot-record">
              Lot record
            </Link>{' '}
            (eDHR: operations, stops, signatures and audit trail, with PDF/.xlsx/JSON)
          </p>
          <section aria-labelledby="wo-ops-title">
            <h3 id="wo-ops-title" className="wo-section-title">
              Operations
            </h3>
            <ol className="wo-ops">
              {wo.operations.map((op) => (
                <OperationCard key={op.step} wo={wo} op={op} zone={zone} focused={op.step === focus?.step} onFocus={() => setChosenStep(op.step)} />
              ))}
            </ol>
          </section>
          {focus && (auth.can('orders:write') || auth.can('orders:close')) ? (
            <section className="wo-actions" aria-labelledby="wo-actions-title" data-testid="wo-actions">
              <h3 id="wo-actions-title" className="wo-section-title">
                {auth.can('orders:write') ? 'Plan step' : 'Step'} {focus.step + 1} · {focus.groupName}
              </h3>
              {machines.data ? (
                <OperationActions key={`${wo.lot}/${focus.step}`} workOrder={wo} operation={focus} machines={machines.data} onChanged={changed} />
              ) : machines.error ? (
                <LoadFailed error={machines.error} onRetry={machines.reload} />
              ) : (
                <Spinner inline />
              )}
            </section>
          ) : null}
          <SignOffs wo={wo} zone={zone} onChanged={changed} />
          <LotGenealogy lot={wo.lot} version={wo.version} onChanged={changed} />
          <section aria-labelledby="wo-forecast-title">
            <h3 id="wo-forecast-title" className="wo-section-title">
              Forecast end over time
            </h3>
            {forecasts.error ? <LoadFailed error={forecasts.error} onRetry={forecasts.reload} /> : null}
            {forecasts.data ? (
              <ForecastChart
                rows={forecasts.data}
                due={wo.due === null ? null : Date.parse(wo.due)}
                actualEnd={wo.operations.every((op) => op.state === 'done') ? Math.max(...wo.operations.map((op) => (op.actualEnd === null ? 0 : Date.parse(op.actualEnd)))) || null : null}
                zone={zone}
              />
            ) : forecasts.error ? null : (
              <Spinner inline />
            )}
          </section>
          <section aria-labelledby="wo-history-title">
            <h3 id="wo-history-title" className="wo-section-title">
              History
            </h3>
            {history.error ? <LoadFailed error={history.error} onRetry={history.reload} /> : null}
            {history.data ? <History entries={history.data} zone={zone} machineNames={new Map((machines.data ?? []).map((m) => [m.key, m.name]))} /> : history.error ? null : <Spinner inline />}
          </section>
        </div>
      )}
    </SidePanel>
  );
}

function Summary({ wo, zone }: { wo: WorkOrder; zone: string }) {
  return (
    <section className="wo-summary" data-testid="wo-summary">
      <div className="wo-product">
        <span className="colour-dot" style={{ background: wo.color }} aria-hidden="true" />
        <div>
          <div className="wo-product-name">{wo.productName}</div>
          <div className="muted small mono">{wo.itemNumber}</div>
        </div>
        <span className={`badge status-${wo.status}`} data-testid="wo-status">
          {STATUS_LABEL[wo.status]}
        </span>
        {wo.late ? (
          <span className="badge badge-late" data-testid="wo-late">
            ⚠ LATE
          </span>
        ) : wo.lateRisk ? (
          <span className="badge badge-at-risk" data-testid="wo-at-risk" title="Estimated to finish after the due date; its later steps are not planned yet">
            ⚠ AT RISK
          </span>
        ) : null}
      </div>
      <dl className="wo-facts">
        <div>
          <dt>Quantity</dt>
          <dd>{formatQuantity(wo.quantity)}</dd>
        </div>
        <div>
          <dt>Produced</dt>
          <dd data-testid="wo-produced">
            {formatQuantity(wo.produced)}
            <span className="muted small wo-partial">{progressStep(wo)}</span>
          </dd>
        </div>
        <div>
          <dt>Due</dt>
          <dd data-testid="wo-summary-due">{formatDue(wo.due, zone)}</dd>
        </div>
        <div>
          <dt>Forecast end</dt>
          <dd className={wo.late ? 'text-late' : undefined} data-testid="wo-forecast-end">
            <ForecastEnd wo={wo} zone={zone} />
          </dd>
        </div>
        <div>
          <dt>Rate</dt>
          <dd>{wo.effectiveRateMode === 'observed' ? 'Observed' : wo.effectiveRateMode === 'recommended' ? 'Recommended' : 'Standard'}{wo.rateMode === null ? ' (site default)' : ''}</dd>
        </div>
        <div>
          <dt>Priority</dt>
          <dd>{wo.priority}</dd>
        </div>
      </dl>
      {wo.notes ? <p className="wo-notes">{wo.notes}</p> : null}
    </section>
  );
}

/** The order's end; while later steps are unplanned, how far the planned ones reach (so it is not just "—"). */
function ForecastEnd({ wo, zone }: { wo: WorkOrder; zone: string }) {
  const reach = plannedReach(wo);
  if (!reach) {
    return wo.estimatedEnd ? (
      <>
        <span className="muted">not planned</span>
        <span className={`small wo-partial${wo.lateRisk ? ' text-risk strong' : ''}`} data-testid="wo-estimated-end">
          {wo.lateRisk ? '⚠ ' : ''}estimated end {formatInstant(wo.estimatedEnd, zone)}
          {wo.lateRisk ? ', after due' : ''}
        </span>
      </>
    ) : (
      <span className="muted">not planned</span>
    );
  }
  if (reach.complete) return <>{formatInstant(reach.at, zone)}</>;
  return (
    <>
      {formatInstant(reach.at, zone)}
      <span className="muted small wo-partial">
        step {reach.step + 1} of {wo.operations.length}; the rest is not planned yet
      </span>
      {wo.estimatedEnd ? (
        <span className={`small wo-partial${wo.lateRisk ? ' text-risk strong' : ''}`} data-testid="wo-estimated-end">
          {wo.lateRisk ? '⚠ ' : ''}estimated end {formatInstant(wo.estimatedEnd, zone)}
          {wo.lateRisk ? ', after due' : ''}
        </span>
      ) : null}
    </>
  );
}

function dueVerdict(op: Operation, wo: WorkOrder): { text: string; late: boolean } | null {
  if (!wo.due || !op.forecastEnd) return null;
  const slack = Date.parse(wo.due) - Date.parse(op.forecastEnd);
  if (op.late || slack < 0) return { text: `ends ${formatDuration(slack)} after due`, late: true };
  return { text: `${formatDuration(slack)} before due`, late: false };
}

function OperationCard({ wo, op, zone, focused, onFocus }: { wo: WorkOrder; op: Operation; zone: string; focused: boolean; onFocus: () => void }) {
  const progress = progressOf(op.produced, wo.quantity);
  const verdict = dueVerdict(op, wo);
  const where = op.state === 'parked' ? 'Parking lot' : op.machineName ? `${op.machineName}${op.position !== null ? ` · #${op.position + 1} in queue` : ''}` : '—';
  return (
    <li className={`wo-op${focused ? ' wo-op-focused' : ''}${op.late ? ' wo-op-late' : ''}`} data-testid={`wo-op-${op.step}`}>
      <button type="button" className="wo-op-head" onClick={onFocus} aria-pressed={focused} data-testid={`wo-op-focus-${op.step}`}>
        <span className="step-number">{op.step + 1}</span>
        <span className="wo-op-group">{op.groupName}</span>
        <span className={`badge state-${op.state}`} data-testid={`wo-op-state-${op.step}`}>
          {STATE_LABEL[op.state] ?? op.state}
        </span>
      </button>
      <div className="wo-op-body">
        <div className="wo-op-where" data-testid={`wo-op-where-${op.step}`}>
          {where}
        </div>
        <div className="wo-op-times">
          <span>
            <span className="muted small">{op.state === 'done' ? 'Ran ' : 'Forecast '}</span>
            <strong data-testid={`wo-op-start-${op.step}`}>{formatInstant(op.forecastStart, zone)}</strong>
            {' → '}
            <strong data-testid={`wo-op-end-${op.step}`}>{formatInstant(op.forecastEnd, zone)}</strong>
          </span>
          {op.changeoverMinutes > 0 && op.state !== 'done' ? (
            <span className="muted small" data-testid={`wo-op-changeover-${op.step}`}>
              starts with a {formatDuration(op.changeoverMinutes * 60_000)} changeover{op.changeoverEnd ? ` (until ${formatInstant(op.changeoverEnd, zone)})` : ''}
            </span>
          ) : null}
          {op.estimatedEnd ? (
            <span className="muted small" data-testid={`wo-op-estimate-${op.step}`}>
              Not planned yet · estimate {formatInstant(op.estimatedStart, zone)} → {formatInstant(op.estimatedEnd, zone)}
            </span>
          ) : null}
          {verdict ? (
            <span className={verdict.late ? 'text-late strong' : 'muted'} data-testid={`wo-op-verdict-${op.step}`}>
              {verdict.late ? '⚠ ' : ''}
              {verdict.text}
            </span>
          ) : null}
        </div>
        <div className="wo-progress" role="progressbar" aria-valuemin={0} aria-valuemax={wo.quantity} aria-valuenow={op.produced} aria-label={`Produced in step ${op.step + 1}`}>
          <span className="wo-progress-fill" style={{ width: `${progress * 100}%`, background: wo.color }} />
        </div>
        <div className="wo-op-counts small">
          <span>
            {formatQuantity(op.produced)} / {formatQuantity(wo.quantity)} ({Math.round(progress * 100)} %)
          </span>
          {op.scrap > 0 ? <span className="muted">scrap {formatQuantity(op.scrap)}</span> : null}
          <span className="muted">{formatQuantity(op.observedRatePerHour ?? op.ratePerHour)}/h</span>
        </div>
        {op.gate ? (
          <div className="wo-gate small" data-testid={`wo-op-gate-${op.step}`}>
            then <strong>{op.gate.name}</strong> · {op.gate.hours} h · signed by {op.gate.role}
          </div>
        ) : null}
      </div>
    </li>
  );
}

const ACTION_LABEL: Record<string, string> = {
  create: 'Created',
  update: 'Edited',
  delete: 'Deleted',
  'load-replace': 'Loaded (replace)',
  'load-insert': 'Loaded (insert next)',
  'load-append': 'Loaded (append)',
  'load-position': 'Moved on the board',
  park: 'Parked',
  hold: 'Held',
  release: 'Released',
  close: 'Closed',
  counts: 'Counts reported',
  import: 'Imported',
};

/** The change of an entry in the audit trail's words ("Quantity: 26,000 units → 30,000 units · Due: …"). */
function History({ entries, zone, machineNames }: { entries: HistoryEntry[]; zone: string; machineNames: ReadonlyMap<string, string> }) {
  if (entries.length === 0) return <p className="muted">No changes recorded yet.</p>;
  const newestFirst = [...entries].sort((a, b) => b.at - a.at);
  return (
    <ol className="wo-history" data-testid="wo-history">
      {newestFirst.map((entry, index) => (
        <li key={`${entry.at}-${index}`} className="wo-history-entry">
          <div className="wo-history-head">
            <strong>{ACTION_LABEL[entry.action] ?? entry.action}</strong>
            <span className="muted small">
              {formatInstant(entry.at, zone)} · {entry.actor}
            </span>
          </div>
          {describeChange(entry, { zone, machineNames }).length > 0 ? <div className="small wo-history-change">{describeChange(entry, { zone, machineNames }).join(' · ')}</div> : null}
          {entry.reason ? <div className="small">“{entry.reason}”</div> : null}
        </li>
      ))}
    </ol>
  );
}
