// "Set limits from a baseline": the baseline period (plant-local), subgroup size and run rules, and a
// reason for the audit trail; the server's field errors land at their fields. Below it, every
// version of the channel's limits, newest first (limits are frozen: a change is a new version).
import { useState, type FormEvent } from 'react';
import { DateTime } from 'luxon';
import { createSpcLimits, listSpcLimits, RULE_SETS, type LimitsView } from '../../api/spc.js';
import { useResource } from '../../hooks/use-resource.js';
import { useSubmit } from '../../lib/forms.js';
import { Field } from '../../components/field.js';
import { ReasonField } from '../../components/reason-field.js';
import { ErrorBanner, LoadFailed, Spinner } from '../../components/feedback.js';
import { useToast } from '../../components/toasts.js';
import { plantTime } from './panels.js';

const RULE_LABELS: Record<(typeof RULE_SETS)[number], string> = {
  'western-electric': 'Western Electric',
  nelson: 'Nelson',
  none: 'Limits and drift only',
};

const FIELDS = new Set(['baselineFrom', 'baselineTo', 'subgroupMinutes', 'rules', 'reason']);

/** What a datetime-local input shows for an instant, in the plant's zone. */
const localInput = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toFormat("yyyy-LL-dd'T'HH:mm");

/** The input's plant-local text as an ISO instant with the plant's offset; null when unreadable. */
function isoOf(text: string, zone: string): string | null {
  const at = DateTime.fromISO(text, { zone });
  return at.isValid ? at.toISO({ suppressMilliseconds: true }) : null;
}

export function LimitsHistory({ versions, zone, unit }: { versions: LimitsView[]; zone: string; unit: string }) {
  if (versions.length === 0) return <p className="muted" data-testid="limits-history-empty">No limits set yet.</p>;
  const digits = (v: number) => v.toPrecision(5);
  return (
    <div className="table-wrap">
      <table className="table mon-history" data-testid="limits-history">
        <thead>
          <tr>
            <th scope="col">Version</th><th scope="col">Centre / LCL – UCL ({unit})</th><th scope="col">Baseline</th><th scope="col">Rules</th><th scope="col">Set by</th><th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.version} data-testid={`limits-version-${v.version}`}>
              <td>v{v.version}</td>
              <td className="mono">{digits(v.centre)} / {digits(v.lcl)} – {digits(v.ucl)}</td>
              <td>{plantTime(v.baselineFrom, zone)} – {plantTime(v.baselineTo, zone)} <span className="muted">({v.subgroups} subgroups of {v.subgroupMinutes} min)</span></td>
              <td>{RULE_LABELS[v.rules]}</td>
              <td>{v.createdBy}<br /><span className="muted">{plantTime(v.createdAt, zone)}</span></td>
              <td>{v.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function LimitsPanel({ machine, channel, unit, zone, canWrite, defaultFrom, defaultTo, onSaved }: {
  machine: string;
  channel: string;
  unit: string;
  zone: string;
  canWrite: boolean;
  defaultFrom: number;
  defaultTo: number;
  onSaved: () => void;
}) {
  const versions = useResource(() => listSpcLimits(machine, channel), [machine, channel]);
  const [open, setOpen] = useState(false);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [subgroup, setSubgroup] = useState('5');
  const [rules, setRules] = useState<(typeof RULE_SETS)[number]>('western-electric');
  const [reason, setReason] = useState('');
  const submit = useSubmit((path) => FIELDS.has(path));
  const toast = useToast();

  const openForm = () => {
    setFrom(localInput(defaultFrom, zone));
    setTo(localInput(defaultTo, zone));
    submit.setFieldErrors({});
    setOpen(true);
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const baselineFrom = isoOf(from, zone);
    const baselineTo = isoOf(to, zone);
    const minutes = Number(subgroup);
    const problems: Record<string, string> = {};
    if (!baselineFrom) problems.baselineFrom = 'enter the start of the baseline';
    if (!baselineTo) problems.baselineTo = 'enter the end of the baseline';
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 60) problems.subgroupMinutes = 'must be 1 to 60 minutes';
    if (!reason.trim()) problems.reason = 'say why the limits change';
    if (Object.keys(problems).length) {
      submit.setFieldErrors(problems);
      return;
    }
    const ok = await submit.run(async () => {
      const saved = await createSpcLimits(machine, channel, { baselineFrom: baselineFrom!, baselineTo: baselineTo!, subgroupMinutes: minutes, rules, reason: reason.trim() });
      toast.success(`Control limits v${saved.version} set from ${saved.subgroups} subgroups`);
    });
    if (ok) {
      setOpen(false);
      setReason('');
      await versions.reload();
      onSaved();
    }
  };

  return (
    <section className="mon-card mon-limits" data-testid="spc-limits">
      <div className="mon-card-head">
        <h2>Control limits</h2>
        {canWrite && !open ? (
          <button type="button" className="button button-primary" onClick={openForm} data-testid="limits-open">Set limits from a baseline</button>
        ) : null}
      </div>
      {open ? (
        <form className="mon-limits-form" onSubmit={save} noValidate data-testid="limits-form">
          <div className="form-grid">
            <Field label="Baseline from (plant time)" name="baselineFrom" error={submit.fieldErrors.baselineFrom}>
              <input type="datetime-local" value={from} onChange={(e) => { setFrom(e.target.value); submit.setFieldError('baselineFrom', undefined); }} data-testid="limits-from" />
            </Field>
            <Field label="Baseline to (plant time)" name="baselineTo" error={submit.fieldErrors.baselineTo}>
              <input type="datetime-local" value={to} onChange={(e) => { setTo(e.target.value); submit.setFieldError('baselineTo', undefined); }} data-testid="limits-to" />
            </Field>
            <Field label="Subgroup (minutes)" name="subgroupMinutes" error={submit.fieldErrors.subgroupMinutes} hint="1 to 60; readings of each span are charted as one mean">
              <input type="number" inputMode="numeric" min={1} max={60} value={subgroup} onChange={(e) => { setSubgroup(e.target.value); submit.setFieldError('subgroupMinutes', undefined); }} data-testid="limits-subgroup" />
            </Field>
            <Field label="Run rules" name="rules" error={submit.fieldErrors.rules}>
              <select value={rules} onChange={(e) => setRules(e.target.value as (typeof RULE_SETS)[number])} data-testid="limits-rules">
                {RULE_SETS.map((r) => <option key={r} value={r}>{RULE_LABELS[r]}</option>)}
              </select>
            </Field>
          </div>
          <ReasonField value={reason} onChange={(v) => { setReason(v); submit.setFieldError('reason', undefined); }} required error={submit.fieldErrors.reason} testId="limits-reason" />
          {submit.formError ? <ErrorBanner message={submit.formError.message} testId="limits-error" /> : null}
          <div className="button-row">
            <button type="submit" className="button button-primary" disabled={submit.busy} data-testid="limits-save">{submit.busy ? 'Setting…' : 'Set limits'}</button>
            <button type="button" className="button" onClick={() => setOpen(false)} data-testid="limits-cancel">Cancel</button>
          </div>
        </form>
      ) : null}
      {versions.error && !versions.data ? <LoadFailed error={versions.error} onRetry={versions.reload} /> : null}
      {versions.loading && !versions.data ? <Spinner inline /> : null}
      {versions.data ? <LimitsHistory versions={versions.data} zone={zone} unit={unit} /> : null}
    </section>
  );
}
