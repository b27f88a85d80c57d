// "Suggest a plan": asks the optimiser for a better plan of the whole plant, shows it as a diff
// (KPIs now → suggested, each changed machine with its new order and what moves) and lets the
// planner accept it whole, accept one machine, or discard it. Accepting one machine sets only that
// machine's queue; what the suggestion moves off it to a machine not accepted goes to the parking lot.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, errorMessage } from '../../api/client.js';
import {
  acceptSuggestion, DEFAULT_SUGGESTION_SECONDS, requestSuggestion,
  type MachineDiff, type MachineMove, type PlanKpisView, type SuggestedOperation, type Suggestion, type SuggestionOptions,
} from '../../api/suggestions.js';
import { ErrorBanner } from '../../components/feedback.js';
import { SidePanel } from '../../components/dialogs.js';
import { useToast } from '../../components/toasts.js';
import { formatInstant, textColourOn } from '../work-orders/format.js';
import './suggestion-panel.css';

const TIME_LIMITS = [1, 3, 10, 30];

type Phase =
  | { kind: 'computing'; startedAt: number; limitSeconds: number }
  | { kind: 'ready'; suggestion: Suggestion }
  | { kind: 'stale'; suggestion: Suggestion; message: string }
  | { kind: 'failed'; message: string };

export function SuggestionPanel({ zone, group, onClose, onAccepted }: {
  zone: string;
  /** the board's process group: its machines come first */
  group: string;
  onClose: () => void;
  /** the suggestion was accepted (sent at `sentAt`): the board refetches */
  onAccepted: (sentAt: number) => Promise<void> | void;
}) {
  const toast = useToast();
  const [options, setOptions] = useState<SuggestionOptions>({ timeLimitSeconds: DEFAULT_SUGGESTION_SECONDS, frozenHours: 0, nonDisruptive: false });
  const [phase, setPhase] = useState<Phase>({ kind: 'computing', startedAt: Date.now(), limitSeconds: DEFAULT_SUGGESTION_SECONDS });
  const [accepting, setAccepting] = useState<string | null>(null);
  const request = useRef(0);

  const compute = useCallback(async (chosen: SuggestionOptions) => {
    const id = ++request.current;
    setPhase({ kind: 'computing', startedAt: Date.now(), limitSeconds: chosen.timeLimitSeconds });
    try {
      const suggestion = await requestSuggestion(chosen);
      if (id === request.current) setPhase({ kind: 'ready', suggestion });
    } catch (error) {
      if (id === request.current) setPhase({ kind: 'failed', message: errorMessage(error) });
    }
  }, []);

  // the first suggestion is asked for as the panel opens
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void compute(options);
  }, [compute, options]);

  const close = () => {
    request.current += 1;
    onClose();
  };

  const accept = async (suggestion: Suggestion, machine?: MachineDiff) => {
    setAccepting(machine?.machine ?? 'all');
    const sentAt = Date.now();
    try {
      const result = await acceptSuggestion(suggestion, machine ? [machine.machine] : undefined);
      const what = machine ? machine.name : 'every machine';
      const parked = result.parked.length > 0 ? `; ${result.parked.length} operation${result.parked.length === 1 ? '' : 's'} moved to the parking lot` : '';
      toast.success(`Suggestion accepted for ${what}: ${result.changedOperations} operation${result.changedOperations === 1 ? '' : 's'} moved${parked}`);
      onClose();
      await onAccepted(sentAt);
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) setPhase({ kind: 'stale', suggestion, message: error.message });
      else toast.error(`The suggestion was not accepted: ${errorMessage(error)}`);
    } finally {
      setAccepting(null);
    }
  };

  const suggestion = phase.kind === 'ready' || phase.kind === 'stale' ? phase.suggestion : null;
  const footer =
    phase.kind === 'ready' && phase.suggestion.machines.length > 0 ? (
      <>
        <button type="button" className="button" onClick={close} disabled={accepting !== null} data-testid="suggestion-discard">
          Discard
        </button>
        <button type="button" className="button button-primary" onClick={() => void accept(phase.suggestion)} disabled={accepting !== null} data-testid="suggestion-accept-all">
          {accepting === 'all' ? 'Accepting…' : `Accept all (${phase.suggestion.machines.length} machine${phase.suggestion.machines.length === 1 ? '' : 's'})`}
        </button>
      </>
    ) : (
      <button type="button" className="button" onClick={close} data-testid="suggestion-discard">
        Close
      </button>
    );

  return (
    <SidePanel title="Suggested plan" onClose={close} testId="suggestion-panel" footer={footer}>
      <div className="suggestion" data-testid="suggestion" data-phase={phase.kind}>
        <Options options={options} onChange={setOptions} busy={phase.kind === 'computing'} onSuggest={() => void compute(options)} />
        {phase.kind === 'computing' ? <Progress startedAt={phase.startedAt} limitSeconds={phase.limitSeconds} /> : null}
        {phase.kind === 'failed' ? <ErrorBanner message={`No suggestion: ${phase.message}`} testId="suggestion-failed" /> : null}
        {phase.kind === 'stale' ? (
          <ErrorBanner
            message={`${phase.message}. Nothing was changed.`}
            testId="suggestion-stale"
            action={
              <button type="button" className="button button-small" onClick={() => void compute(options)} data-testid="suggestion-again">
                Suggest again
              </button>
            }
          />
        ) : null}
        {suggestion ? (
          <div className={phase.kind === 'stale' ? 'suggestion-outdated' : undefined}>
            <Kpis
              before={suggestion.kpis.before}
              baseline={suggestion.kpis.after.unplannedOperations < suggestion.kpis.before.unplannedOperations ? suggestion.kpis.parkedAtEnd : null}
              after={suggestion.kpis.after}
              zone={zone}
            />
            {suggestion.kpis.after.unplannedOperations < suggestion.kpis.before.unplannedOperations ? (
              <p className="suggestion-note" data-testid="suggestion-parked-note">
                The suggestion also plans {suggestion.kpis.before.unplannedOperations - suggestion.kpis.after.unplannedOperations} operation
                {suggestion.kpis.before.unplannedOperations - suggestion.kpis.after.unplannedOperations === 1 ? '' : 's'} now in the parking lot or not planned. “Now” counts
                no lateness for them; “Parked at end” is the plan as it is with each loaded at the end of the machine where it finishes earliest — the suggestion is
                coloured against that.
              </p>
            ) : null}
            <p className="muted small suggestion-search" data-testid="suggestion-search">
              {suggestion.iterations.toLocaleString('en-US')} plans tried in {(suggestion.elapsedMs / 1000).toFixed(1)} s
              {suggestion.provedOptimal ? ' — nothing better exists' : ''}
              {suggestion.frozenHours > 0 ? ` · next ${suggestion.frozenHours} h frozen` : ''}
              {suggestion.nonDisruptive ? ' · non-disruptive' : ''}
            </p>
            {suggestion.machines.length === 0 ? (
              <p className="suggestion-nothing" data-testid="suggestion-nothing">
                The plan as it stands is the best found: nothing to change.
              </p>
            ) : (
              <MachineList
                suggestion={suggestion}
                group={group}
                zone={zone}
                accepting={accepting}
                canAccept={phase.kind === 'ready'}
                onAccept={(machine) => void accept(suggestion, machine)}
              />
            )}
          </div>
        ) : null}
      </div>
    </SidePanel>
  );
}

function Options({ options, onChange, busy, onSuggest }: { options: SuggestionOptions; onChange: (next: SuggestionOptions) => void; busy: boolean; onSuggest: () => void }) {
  return (
    <div className="suggestion-options" role="group" aria-label="Search options">
      <label>
        <span>Search for</span>
        <select
          value={options.timeLimitSeconds}
          onChange={(e) => onChange({ ...options, timeLimitSeconds: Number(e.target.value) })}
          disabled={busy}
          data-testid="suggestion-time-limit"
        >
          {TIME_LIMITS.map((seconds) => (
            <option key={seconds} value={seconds}>
              {seconds} s
            </option>
          ))}
        </select>
      </label>
      <label title="Queued jobs starting within this many hours keep their machine and place">
        <span>Freeze next</span>
        <input
          type="number"
          min={0}
          max={720}
          step={1}
          value={options.frozenHours}
          onChange={(e) => onChange({ ...options, frozenHours: Math.max(0, Number(e.target.value) || 0) })}
          disabled={busy}
          data-testid="suggestion-frozen-hours"
        />
        <span>h</span>
      </label>
      <label className="suggestion-check" title="Moving a job that is already queued counts as much as an hour of lateness">
        <input type="checkbox" checked={options.nonDisruptive} onChange={(e) => onChange({ ...options, nonDisruptive: e.target.checked })} disabled={busy} data-testid="suggestion-non-disruptive" />
        <span>Keep queued jobs where they are if possible</span>
      </label>
      <button type="button" className="button button-small" onClick={onSuggest} disabled={busy} data-testid="suggestion-recompute">
        Suggest again
      </button>
    </div>
  );
}

/** A bar filling over the time limit while the server searches (it answers at the limit, or earlier). */
function Progress({ startedAt, limitSeconds }: { startedAt: number; limitSeconds: number }) {
  const [elapsed, setElapsed] = useState(0);
  useEffect(() => {
    let frame = 0;
    const tick = () => {
      setElapsed((Date.now() - startedAt) / 1000);
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [startedAt]);
  const fraction = Math.min(1, elapsed / limitSeconds);
  return (
    <div className="suggestion-progress" role="status" data-testid="suggestion-progress">
      <p>
        Searching for a better plan… <span className="muted">{Math.min(elapsed, limitSeconds).toFixed(1)} of {limitSeconds} s</span>
      </p>
      <div className="suggestion-progress-track" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(fraction * 100)}>
        <div className="suggestion-progress-fill" style={{ width: `${fraction * 100}%` }} />
      </div>
    </div>
  );
}

const hours = (value: number) => `${value.toFixed(1)} h`;

function Kpis({ before, baseline, after, zone }: { before: PlanKpisView; baseline: PlanKpisView | null; after: PlanKpisView; zone: string }) {
  // the suggestion is coloured against the fair "before": parked work loaded at the end when there is some
  const base = baseline ?? before;
  const rows: { key: string; label: string; before: string; baseline: string; after: string; change: number }[] = [
    { key: 'late', label: 'Late work orders', before: String(before.lateWorkOrders), baseline: String(base.lateWorkOrders), after: String(after.lateWorkOrders), change: after.lateWorkOrders - base.lateWorkOrders },
    { key: 'tardiness', label: 'Hours late (sum)', before: hours(before.totalTardinessHours), baseline: hours(base.totalTardinessHours), after: hours(after.totalTardinessHours), change: round(after.totalTardinessHours - base.totalTardinessHours) },
    { key: 'changeover', label: 'Changeover', before: hours(before.changeoverHours), baseline: hours(base.changeoverHours), after: hours(after.changeoverHours), change: round(after.changeoverHours - base.changeoverHours) },
    {
      key: 'last-end', label: 'Last job ends', before: formatInstant(before.lastEnd, zone), baseline: formatInstant(base.lastEnd, zone), after: formatInstant(after.lastEnd, zone),
      change: base.lastEnd === null || after.lastEnd === null ? 0 : Math.sign(Math.round((after.lastEnd - base.lastEnd) / 60_000)),
    },
    { key: 'unplanned', label: 'Not planned (parked …)', before: String(before.unplannedOperations), baseline: String(base.unplannedOperations), after: String(after.unplannedOperations), change: after.unplannedOperations - base.unplannedOperations },
  ];
  return (
    <table className="suggestion-kpis" data-testid="suggestion-kpis">
      <thead>
        <tr>
          <th scope="col" />
          <th scope="col">Now</th>
          {baseline ? <th scope="col">Parked at end</th> : null}
          <th scope="col" aria-hidden="true" />
          <th scope="col">Suggested</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} data-testid={`kpi-${row.key}`}>
            <th scope="row">{row.label}</th>
            <td data-testid={`kpi-${row.key}-before`}>{row.before}</td>
            {baseline ? <td data-testid={`kpi-${row.key}-baseline`}>{row.baseline}</td> : null}
            <td className="suggestion-arrow" aria-hidden="true">
              →
            </td>
            <td className={row.change < 0 ? 'kpi-better' : row.change > 0 ? 'kpi-worse' : 'kpi-same'} data-testid={`kpi-${row.key}-after`}>
              {row.after}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const round = (value: number) => (Math.abs(value) < 0.05 ? 0 : value);

function MachineList({ suggestion, group, zone, accepting, canAccept, onAccept }: {
  suggestion: Suggestion;
  group: string;
  zone: string;
  accepting: string | null;
  canAccept: boolean;
  onAccept: (machine: MachineDiff) => void;
}) {
  const names = new Map(suggestion.machines.map((m) => [m.machine, m.name]));
  const here = suggestion.machines.filter((m) => m.group === group);
  const elsewhere = suggestion.machines.filter((m) => m.group !== group);
  const card = (machine: MachineDiff) => (
    <MachineCard key={machine.machine} machine={machine} names={names} zone={zone} busy={accepting !== null} accepting={accepting === machine.machine} canAccept={canAccept} onAccept={() => onAccept(machine)} />
  );
  return (
    <>
      <h3 className="suggestion-heading">
        {suggestion.machines.length} machine{suggestion.machines.length === 1 ? '' : 's'} change
      </h3>
      {here.length > 0 ? <div className="suggestion-machines">{here.map(card)}</div> : <p className="muted">Nothing changes in this process group.</p>}
      {elsewhere.length > 0 ? (
        <>
          <h3 className="suggestion-heading suggestion-heading-other">Other process groups</h3>
          <div className="suggestion-machines">{elsewhere.map(card)}</div>
        </>
      ) : null}
    </>
  );
}

function MachineCard({ machine, names, zone, busy, accepting, canAccept, onAccept }: {
  machine: MachineDiff;
  names: Map<string, string>;
  zone: string;
  busy: boolean;
  accepting: boolean;
  canAccept: boolean;
  onAccept: () => void;
}) {
  const count = (kind: MachineMove['kind']) => machine.moves.filter((m) => m.kind === kind).length;
  const summary = [
    count('arrives') ? `${count('arrives')} in` : null,
    count('leaves') ? `${count('leaves')} out` : null,
    count('resequenced') ? `${count('resequenced')} re-ordered` : null,
  ].filter(Boolean);
  const lateBefore = machine.current.filter((o) => o.late).length;
  const lateAfter = machine.suggested.filter((o) => o.late).length;
  return (
    <section className="suggestion-machine" data-testid={`suggestion-machine-${machine.machine}`} aria-label={machine.name}>
      <header className="suggestion-machine-header">
        <div>
          <h4>{machine.name}</h4>
          <p className="muted small">
            {summary.join(' · ') || 'same jobs'} · late {lateBefore} → {lateAfter}
          </p>
        </div>
        <button type="button" className="button button-small" disabled={busy || !canAccept} onClick={onAccept} data-testid={`suggestion-accept-${machine.machine}`}>
          {accepting ? 'Accepting…' : `Accept ${machine.name}`}
        </button>
      </header>
      <ol className="suggestion-queue" aria-label={`Suggested order on ${machine.name}`} data-testid={`suggested-${machine.machine}`}>
        {machine.suggested.map((op, index) => (
          <QueueChip key={`${op.lot}/${op.step}`} op={op} index={index} zone={zone} moved={machine.moves.some((m) => m.lot === op.lot && m.step === op.step && m.kind !== 'leaves')} />
        ))}
        {machine.suggested.length === 0 ? <li className="muted small">empty</li> : null}
      </ol>
      {machine.moves.length > 0 ? (
        <ul className="suggestion-moves" data-testid={`moves-${machine.machine}`}>
          {machine.moves.map((move) => (
            <li key={`${move.kind}-${move.lot}/${move.step}`} data-lot={move.lot} data-kind={move.kind}>
              <strong className="mono">{move.lot}</strong>
              {move.step > 0 ? <span className="muted"> step {move.step + 1}</span> : null} <MoveText move={move} names={names} />
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function MoveText({ move, names }: { move: MachineMove; names: Map<string, string> }) {
  const name = (key: string | null) => (key === null ? 'parking lot' : (names.get(key) ?? key));
  if (move.kind === 'arrives') {
    const from = move.fromMachine === null ? 'parking lot' : `${name(move.fromMachine)} #${(move.fromPosition ?? 0) + 1}`;
    return (
      <span>
        {from} → <strong>#{move.toPosition + 1}</strong>
      </span>
    );
  }
  if (move.kind === 'leaves') {
    return (
      <span>
        #{(move.fromPosition ?? 0) + 1} → {name(move.toMachine)} #{move.toPosition + 1}
      </span>
    );
  }
  return (
    <span>
      #{(move.fromPosition ?? 0) + 1} → <strong>#{move.toPosition + 1}</strong>
    </span>
  );
}

function QueueChip({ op, index, zone, moved }: { op: SuggestedOperation; index: number; zone: string; moved: boolean }) {
  return (
    <li
      className={`suggestion-chip${moved ? ' suggestion-chip-moved' : ''}${op.late ? ' suggestion-chip-late' : ''}`}
      data-lot={op.lot}
      data-step={op.step}
      data-position={index}
      title={`${op.lot} · ${op.shortName} · ${formatInstant(op.start, zone)} – ${formatInstant(op.end, zone)}${op.changeoverMinutes > 0 ? ` · ${Math.round(op.changeoverMinutes)} min changeover` : ''}${op.late ? ' · late' : ''}`}
    >
      <span className="suggestion-chip-swatch" style={{ background: op.color, color: textColourOn(op.color) }}>
        {index + 1}
      </span>
      <span className="suggestion-chip-text">
        <strong className="mono">{op.lot}</strong> <span className="muted">{op.shortName}</span>
        <span className="suggestion-chip-time">
          {formatInstant(op.start, zone)} → {formatInstant(op.end, zone)}
          {op.late ? <span className="badge badge-late">late</span> : null}
        </span>
      </span>
    </li>
  );
}
