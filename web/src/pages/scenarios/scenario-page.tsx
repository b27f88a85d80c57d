// One what-if scenario: its edits (with forms to add a shift, a line down, a rush order — optionally
// at a place in a machine's queue — a new quantity or a move of one operation), the comparison with the live plan (KPI cards with the difference coloured, utilisation
// bars per machine, the finish of every order with the changed ones first), and Publish (with the
// dialog that names the queues that changed in the live plan meanwhile) or Discard.
import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { DateTime } from 'luxon';
import {
  addScenarioEdits, compareScenario, discardScenario, getScenario, publishScenario, removeScenarioEdit,
  type Comparison, type EditInput, type ScenarioView, type StoredEdit,
} from '../../api/scenarios.js';
import { ApiError, errorMessage } from '../../api/client.js';
import { listMachines, listProducts } from '../../api/plant.js';
import { ConfirmDialog, Modal } from '../../components/dialogs.js';
import { LoadFailed, Spinner } from '../../components/feedback.js';
import { useToast } from '../../components/toasts.js';
import { useResource } from '../../hooks/use-resource.js';
import { useSite } from '../../hooks/site.js';
import { formatInstant } from '../work-orders/format.js';
import './scenarios.css';

type Kind = EditInput['kind'];
const KIND_LABEL: Record<Kind, string> = { addShift: 'Extra shift', machineDown: 'Line down', rushOrder: 'Rush order', quantity: 'Quantity', move: 'Move' };
const hours = (h: number) => `${h.toFixed(1)} h`;

function describeEdit(edit: StoredEdit, zone: string, names: Map<string, string>): string {
  switch (edit.kind) {
    case 'addShift': return `${edit.date}: extra shift ${edit.from}–${edit.to}`;
    case 'machineDown': return `${names.get(edit.machine) ?? edit.machine} down ${formatInstant(edit.from, zone)} → ${formatInstant(edit.to, zone)}`;
    case 'rushOrder': return `${edit.lot}: ${edit.quantity.toLocaleString('en-US')} × ${edit.product}${edit.due ? `, due ${formatInstant(edit.due, zone)}` : ''}${edit.machine ? ` on ${names.get(edit.machine) ?? edit.machine}` : ''}`;
    case 'quantity': return `${edit.lot}: quantity ${edit.quantity.toLocaleString('en-US')}`;
    case 'move': return `${edit.lot} step ${edit.step + 1} → ${edit.machine ? `${names.get(edit.machine) ?? edit.machine} at place ${(edit.position ?? 0) + 1}` : 'parking lot'}`;
  }
}

export function ScenarioPage() {
  const id = Number(useParams().id);
  const zone = useSite().data?.timezone ?? 'UTC';
  const toast = useToast();
  const scenario = useResource(() => getScenario(id), [id], ['schedule', 'plant', 'calendar']);
  const comparison = useResource(() => compareScenario(id), [id], ['schedule', 'plant', 'calendar']);
  const machines = useResource(listMachines, []);
  const names = new Map((machines.data ?? []).map((m) => [m.key, m.name]));
  const [confirm, setConfirm] = useState<null | 'publish' | 'force' | 'discard'>(null);
  const [conflict, setConflict] = useState<ScenarioView['liveChanges'] | null>(null);
  const refresh = async () => { await Promise.all([scenario.reload(), comparison.reload()]); };

  const s = scenario.data;
  if (scenario.error && !s) return <LoadFailed error={scenario.error} onRetry={() => void scenario.reload()} />;
  if (!s) return <Spinner />;
  const open = s.state === 'open';
  const publish = async (reason: string, force: boolean) => {
    try {
      await publishScenario(s.id, s.version, reason, force);
      toast.success(`Scenario "${s.name}" is now the live plan`);
      await refresh();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'plan_changed') {
        const fresh = await getScenario(s.id);
        setConflict(fresh.liveChanges);
        return;
      }
      throw e;
    }
  };
  return (
    <div className="page scenario-page" data-testid="page-scenario">
      <div className="page-header">
        <p><Link to="/scenarios">← What-if scenarios</Link></p>
        <h1 data-testid="scenario-title">{s.name}</h1>
        <p className="page-subtitle">
          <span className={`scenario-state state-${s.state}`} data-testid="scenario-state">{s.state === 'open' ? 'Open' : s.state === 'published' ? 'Published' : 'Discarded'}</span>{' '}
          Copied from the live plan {formatInstant(s.basisAt, zone)} by {s.createdBy}. Its edits apply on top of the live plan as it is now.
        </p>
        {open && s.liveChanges.changed ? (
          <p className="scenario-stale" data-testid="scenario-live-changed">The live plan changed since the copy: {s.liveChanges.machines.map((m) => m.name).join(', ')}.</p>
        ) : null}
        {open ? (
          <div className="scenario-actions">
            <button type="button" className="button primary" onClick={() => setConfirm('publish')} data-testid="scenario-publish">Publish into the live plan</button>
            <button type="button" className="button" onClick={() => setConfirm('discard')} data-testid="scenario-discard">Discard</button>
          </div>
        ) : null}
      </div>
      <div className="scenario-layout">
        <section className="scenario-edits" aria-label="Edits">
          <h2>Edits</h2>
          {s.edits.length === 0 ? <p className="muted">No edits yet: the scenario plans as the live plan.</p> : null}
          <ol data-testid="scenario-edits">
            {s.edits.map((edit) => (
              <li key={edit.id} data-testid={`scenario-edit-${edit.id}`}>
                <span className="edit-kind">{KIND_LABEL[edit.kind]}</span> {describeEdit(edit, zone, names)}
                {open ? (
                  <button type="button" className="icon-button" aria-label={`Remove edit ${edit.id}`} onClick={() => void removeScenarioEdit(s.id, s.version, edit.id).then(refresh, (e) => toast.error(errorMessage(e)))}>×</button>
                ) : null}
              </li>
            ))}
          </ol>
          {open ? <EditForm zone={zone} machines={machines.data ?? []} onAdd={async (edit) => { await addScenarioEdits(s.id, s.version, [edit]); await refresh(); }} /> : null}
        </section>
        <section className="scenario-compare" aria-label="Comparison with the live plan">
          <h2>Live plan vs scenario</h2>
          {comparison.error && !comparison.data ? <LoadFailed error={comparison.error} onRetry={() => void comparison.reload()} /> : null}
          {comparison.data ? <ComparisonView c={comparison.data} zone={zone} /> : <Spinner label="Planning both…" />}
        </section>
      </div>
      {confirm === 'publish' || confirm === 'force' ? (
        <ConfirmDialog
          title={confirm === 'force' ? 'Publish although the live plan changed' : 'Publish this scenario'}
          confirmLabel="Publish"
          danger={false}
          reason="required"
          onClose={() => setConfirm(null)}
          onConfirm={(reason) => publish(reason, confirm === 'force')}
        >
          <p>The {s.edits.length} edit{s.edits.length === 1 ? '' : 's'} become part of the live plan (calendar, machine downtime, work orders) and the plant is re-planned. This is recorded in the audit trail.</p>
        </ConfirmDialog>
      ) : null}
      {confirm === 'discard' ? (
        <ConfirmDialog title="Discard this scenario" confirmLabel="Discard" onClose={() => setConfirm(null)} onConfirm={async () => { await discardScenario(s.id, s.version); await refresh(); }}>
          <p>The live plan stays as it is; the scenario is kept, read-only.</p>
        </ConfirmDialog>
      ) : null}
      {conflict ? (
        <Modal
          title="The live plan changed since this copy"
          onClose={() => setConflict(null)}
          testId="scenario-conflict"
          footer={
            <>
              <button type="button" className="button" onClick={() => setConflict(null)}>Review first</button>
              <button type="button" className="button primary" data-testid="scenario-force" onClick={() => { setConflict(null); setConfirm('force'); void refresh(); }}>Publish anyway</button>
            </>
          }
        >
          <p>These queues changed in the live plan after the scenario was copied:</p>
          <ul data-testid="scenario-conflict-machines">{conflict.machines.map((m) => <li key={m.key}>{m.name}</li>)}</ul>
          <p>The comparison already shows the scenario over the live plan as it is now; check it before publishing.</p>
        </Modal>
      ) : null}
    </div>
  );
}

function Kpi({ label, live, scenario, format, testId }: { label: string; live: number | null; scenario: number | null; format: (v: number | null) => string; testId: string }) {
  const diff = live !== null && scenario !== null ? scenario - live : null;
  const tone = diff === null || Math.abs(diff) < 1e-6 ? 'same' : diff > 0 ? 'worse' : 'better';
  return (
    <div className={`sc-kpi-card sc-kpi-${tone}`} data-testid={`kpi-${testId}`} data-tone={tone}>
      <div className="sc-kpi-label">{label}</div>
      <div className="sc-kpi-values"><span title="live">{format(live)}</span> → <strong data-testid={`kpi-${testId}-scenario`}>{format(scenario)}</strong></div>
      <div className="sc-kpi-diff">{tone === 'same' ? 'no change' : tone === 'worse' ? 'worse' : 'better'}</div>
    </div>
  );
}

function ComparisonView({ c, zone }: { c: Comparison; zone: string }) {
  const [all, setAll] = useState(false);
  const used = c.utilisation.filter((u) => u.live.plannedHours > 0 || u.scenario.plannedHours > 0 || u.live.availableHours !== u.scenario.availableHours);
  const finishes = all ? c.finishes : c.finishes.slice(0, 30);
  const lastEndHours = (v: number | null) => (v === null ? null : v / 3_600_000);
  return (
    <>
      <div className="sc-kpi-cards" data-testid="scenario-kpis">
        <Kpi label="Late orders" testId="late" live={c.kpis.live.lateWorkOrders} scenario={c.kpis.scenario.lateWorkOrders} format={(v) => String(v ?? '—')} />
        <Kpi label="Tardiness" testId="tardiness" live={c.kpis.live.totalTardinessHours} scenario={c.kpis.scenario.totalTardinessHours} format={(v) => (v === null ? '—' : hours(v))} />
        <Kpi label="Changeovers" testId="changeover" live={c.kpis.live.changeoverHours} scenario={c.kpis.scenario.changeoverHours} format={(v) => (v === null ? '—' : hours(v))} />
        <Kpi label="Last job ends" testId="last-end" live={lastEndHours(c.kpis.live.lastEnd)} scenario={lastEndHours(c.kpis.scenario.lastEnd)} format={(v) => formatInstant(v === null ? null : v * 3_600_000, zone)} />
      </div>
      {c.skipped.length > 0 ? <p className="scenario-stale" data-testid="scenario-skipped">Edits that no longer fit the live plan: {c.skipped.map((x) => `#${x.edit} ${x.message}`).join('; ')}</p> : null}
      <h3>Utilisation, next 4 weeks <span className="muted">(planned working hours ÷ the machine’s working time)</span></h3>
      <div className="utilisation" data-testid="scenario-utilisation">
        {used.map((u) => (
          <div key={u.machine} className="utilisation-row" data-testid={`utilisation-${u.machine}`}>
            <span className="utilisation-name">{u.name}</span>
            <Bar value={u.live.utilisation} label={`live ${Math.round(u.live.utilisation * 100)} % of ${hours(u.live.availableHours)}`} kind="live" />
            <Bar value={u.scenario.utilisation} label={`scenario ${Math.round(u.scenario.utilisation * 100)} % of ${hours(u.scenario.availableHours)}`} kind="scenario" />
          </div>
        ))}
        {used.length === 0 ? <p className="muted">No machine has planned work in the next 4 weeks.</p> : null}
      </div>
      <h3>Finish of every order</h3>
      <table className="finish-table" data-testid="scenario-finishes">
        <thead><tr><th>Lot</th><th>Product</th><th>Due</th><th>Live</th><th>Scenario</th><th>Difference</th></tr></thead>
        <tbody>
          {finishes.map((f) => (
            <tr key={f.lot} className={f.changed ? 'finish-changed' : ''} data-testid={`finish-${f.lot}`} data-changed={f.changed}>
              <td>{f.lot}{f.added ? <span className="badge">new</span> : null}</td>
              <td><span className="swatch" style={{ background: f.color }} /> {f.shortName}</td>
              <td>{formatInstant(f.due, zone)}</td>
              <td className={f.liveLate ? 'late' : ''}>{formatInstant(f.liveEnd, zone)}{f.liveLate ? ' · late' : ''}</td>
              <td className={f.scenarioLate ? 'late' : ''}>{formatInstant(f.scenarioEnd, zone)}{f.scenarioLate ? ' · late' : ''}</td>
              <td className={f.differenceHours === null || Math.abs(f.differenceHours) < 0.02 ? '' : f.differenceHours > 0 ? 'worse' : 'better'} data-testid={`finish-${f.lot}-difference`}>
                {f.differenceHours === null ? (f.added ? 'added' : '—') : Math.abs(f.differenceHours) < 0.02 ? '±0' : `${f.differenceHours > 0 ? '+' : '−'}${hours(Math.abs(f.differenceHours))}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {c.finishes.length > finishes.length ? <button type="button" className="button" onClick={() => setAll(true)}>Show all {c.finishes.length} orders</button> : null}
    </>
  );
}

function Bar({ value, label, kind }: { value: number; label: string; kind: 'live' | 'scenario' }) {
  return (
    <div className={`sc-bar sc-bar-${kind}`} title={label}>
      <div className="sc-bar-fill" style={{ width: `${Math.min(100, Math.round(value * 100))}%` }} />
      <span className="sc-bar-label">{label}</span>
    </div>
  );
}

function EditForm({ zone, machines, onAdd }: { zone: string; machines: readonly { key: string; name: string; group: string; enabled: boolean }[]; onAdd: (edit: EditInput) => Promise<void> }) {
  const products = useResource(listProducts, []);
  const tomorrow = DateTime.now().setZone(zone).plus({ days: 1 }).toISODate()!;
  const [kind, setKind] = useState<Kind>('machineDown');
  const [v, setV] = useState<Record<string, string>>({ date: tomorrow, from: '23:00', to: '24:00', machine: '', day: tomorrow, days: '1', lot: '', product: '', quantity: '', due: '', step: '1', target: '', position: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const set = (k: string) => (e: { target: { value: string } }) => setV({ ...v, [k]: e.target.value });
  const field = (k: string, label: string, input: ReactNode) => (
    <label className="edit-field">{label}{input}{errors[k] ? <span className="field-error" role="alert">{errors[k]}</span> : null}</label>
  );
  /** a place typed from 1 (empty = the end of the queue) → the API's 0-based position */
  const place = (text: string) => (text.trim() === '' ? null : Math.max(0, Number(text) - 1));
  const build = (): EditInput => {
    switch (kind) {
      case 'addShift': return { kind, date: v.date, from: v.from, to: v.to };
      case 'machineDown': return { kind, machine: v.machine, from: v.day, to: DateTime.fromISO(v.day).plus({ days: Math.max(1, Number(v.days) || 1) }).toISODate() ?? v.day };
      case 'rushOrder': return { kind, lot: v.lot, product: v.product, quantity: Number(v.quantity), due: v.due || null, machine: v.target || null, position: v.target ? place(v.position) : null };
      case 'quantity': return { kind, lot: v.lot, quantity: Number(v.quantity) };
      case 'move': return { kind, lot: v.lot, step: Math.max(0, (Number(v.step) || 1) - 1), machine: v.target || null, position: place(v.position) };
    }
  };
  const submit = async () => {
    setBusy(true);
    setErrors({});
    try {
      await onAdd(build());
    } catch (e) {
      if (e instanceof ApiError && Object.keys(e.fields).length > 0) {
        // body.edits.0.machine → machine; a line down's from/to are the day fields here
        setErrors(Object.fromEntries(Object.entries(e.fields).map(([path, message]) => [path.split('.').pop()!.replace(/^from$/, kind === 'machineDown' ? 'day' : 'from').replace(/^to$/, kind === 'machineDown' ? 'days' : 'to'), message])));
      } else setErrors({ form: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="edit-form" onSubmit={(e) => { e.preventDefault(); void submit(); }} data-testid="edit-form">
      <div className="edit-kinds" role="tablist">
        {(['machineDown', 'addShift', 'rushOrder', 'quantity', 'move'] as const).map((k) => (
          <button key={k} type="button" role="tab" aria-selected={kind === k} className={`button${kind === k ? ' primary' : ''}`} onClick={() => { setKind(k); setErrors({}); setV({ ...v, target: '', position: '' }); }} data-testid={`edit-kind-${k}`}>{KIND_LABEL[k]}</button>
        ))}
      </div>
      {kind === 'addShift' ? (<>{field('date', 'Date', <input type="date" value={v.date} onChange={set('date')} />)}{field('from', 'From', <input value={v.from} onChange={set('from')} placeholder="HH:MM" />)}{field('to', 'To', <input value={v.to} onChange={set('to')} placeholder="HH:MM" />)}</>) : null}
      {kind === 'machineDown' ? (
        <>
          {field('machine', 'Machine', (
            <select value={v.machine} onChange={set('machine')} data-testid="edit-machine">
              <option value="">Choose…</option>
              {machines.map((m) => <option key={m.key} value={m.key}>{m.name}</option>)}
            </select>
          ))}
          {field('day', 'First day', <input type="date" value={v.day} onChange={set('day')} data-testid="edit-day" />)}
          {field('days', 'Days', <input type="number" min={1} max={366} value={v.days} onChange={set('days')} data-testid="edit-days" />)}
        </>
      ) : null}
      {kind === 'rushOrder' || kind === 'quantity' || kind === 'move' ? field('lot', 'Lot', <input value={v.lot} onChange={set('lot')} data-testid="edit-lot" />) : null}
      {kind === 'move' ? field('step', 'Step', <input type="number" min={1} max={20} value={v.step} onChange={set('step')} data-testid="edit-step" />) : null}
      {kind === 'rushOrder' ? field('product', 'Product', (
        <select value={v.product} onChange={set('product')} data-testid="edit-product">
          <option value="">Choose…</option>
          {(products.data ?? []).map((p) => <option key={p.key} value={p.key}>{p.name}</option>)}
        </select>
      )) : null}
      {kind === 'rushOrder' || kind === 'quantity' ? field('quantity', 'Quantity', <input type="number" min={1} value={v.quantity} onChange={set('quantity')} data-testid="edit-quantity" />) : null}
      {kind === 'rushOrder' ? field('due', 'Due', <input type="date" value={v.due} onChange={set('due')} />) : null}
      {kind === 'rushOrder' || kind === 'move' ? (
        <>
          {field('machine', kind === 'move' ? 'To' : 'First step on', (
            <select value={v.target} onChange={set('target')} data-testid="edit-target">
              <option value="">{kind === 'move' ? 'Parking lot' : 'Where it ends earliest'}</option>
              {machines.map((m) => <option key={m.key} value={m.key}>{m.name}</option>)}
            </select>
          ))}
          {v.target ? field('position', 'Place in queue', <input type="number" min={1} value={v.position} onChange={set('position')} placeholder="end" data-testid="edit-position" />) : null}
        </>
      ) : null}
      {errors.form ? <p className="field-error" role="alert">{errors.form}</p> : null}
      <button type="submit" className="button primary" disabled={busy} data-testid="edit-add">Add to scenario</button>
    </form>
  );
}
