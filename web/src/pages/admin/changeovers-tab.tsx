// Admin → Changeovers: per process group, the matrix of minutes a machine needs to change from one
// product family to another (`*` = any; the most specific rule wins, the same family needs none
// unless a rule names that pair). Edited as a table and saved whole under the matrix's version: a
// 400 shows its messages at the rows they name, a 409 (someone saved meanwhile) offers the latest.
import { GroupSelect, useChosenGroup } from '../../components/group-picker.js';
import { useEffect, useRef, useState } from 'react';
import { ANY_FAMILY } from '../../../../src/core/schedule/types.js';
import type { ChangeoverMatrix } from '../../../../src/features/plant/schemas.js';
import { ApiError, errorMessage, type FieldErrors } from '../../api/client.js';
import { getChangeovers, listMachines, saveChangeovers, setMachineLastFamily } from '../../api/plant.js';
import { useAuth } from '../../auth/auth.js';
import { ErrorBanner, LoadFailed, Spinner, StaleBanner } from '../../components/feedback.js';
import { useToast } from '../../components/toasts.js';
import { useResource } from '../../hooks/use-resource.js';
import { NumberReader, textOf, useNumberLocale } from '../../lib/forms.js';
import './changeovers.css';

interface RowDraft {
  /** stable identity for React while rows come and go */
  id: number;
  from: string;
  to: string;
  minutes: string;
}

const familyLabel = (family: string) => (family === ANY_FAMILY ? '* (any)' : family);

function FamilySelect({ value, families, onChange, testId, label }: { value: string; families: string[]; onChange: (value: string) => void; testId: string; label: string }) {
  // a rule may still name a family no product has any more: it stays selectable, the server says what is wrong with it
  const options = [ANY_FAMILY, ...families, ...(value === ANY_FAMILY || families.includes(value) ? [] : [value])];
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} aria-label={label}>
      {options.map((family) => (
        <option key={family} value={family}>
          {familyLabel(family)}
        </option>
      ))}
    </select>
  );
}

function GroupMatrix({ group, groupName }: { group: string; groupName: string }) {
  const toast = useToast();
  const locale = useNumberLocale();
  // not live: a plant event while editing must not replace the draft (a stale save says so instead)
  const current = useResource(() => getChangeovers(group), [group]);
  const ids = useRef(0);
  const [rows, setRows] = useState<RowDraft[] | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [stale, setStale] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const base = current.data;

  const rowsOf = (matrix: ChangeoverMatrix): RowDraft[] => matrix.rules.map((r) => ({ id: ++ids.current, from: r.from, to: r.to, minutes: textOf(r.minutes, locale) }));
  // a fresh matrix from the server (first load, a save, a reload) replaces the draft
  useEffect(() => {
    if (!base) return;
    setRows(rowsOf(base));
    setErrors({});
  }, [base]);

  if (current.error) return <LoadFailed error={current.error} onRetry={current.reload} />;
  if (!base || !rows) return <Spinner label="Loading the changeover matrix…" />;

  const savedText = JSON.stringify(base.rules.map((r) => [r.from, r.to, textOf(r.minutes, locale)]));
  const dirty = JSON.stringify(rows.map((r) => [r.from, r.to, r.minutes])) !== savedText;
  const update = (index: number, patch: Partial<RowDraft>) => {
    setRows(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
    setErrors((old) => {
      const next = { ...old };
      for (const key of Object.keys(patch)) delete next[`rules.${index}.${key}`];
      return next;
    });
  };
  const remove = (index: number) => {
    setRows(rows.filter((_, i) => i !== index));
    // messages name rows by index: after a removal they no longer point at the right one
    setErrors({});
  };
  const add = () => setRows([...rows, { id: ++ids.current, from: ANY_FAMILY, to: ANY_FAMILY, minutes: '' }]);

  const save = async () => {
    const numbers = new NumberReader(locale);
    const rules = rows.map((row, i) => ({ from: row.from, to: row.to, minutes: numbers.read(`rules.${i}.minutes`, row.minutes) ?? Number.NaN }));
    const missing = rows.flatMap((row, i) => (row.minutes.trim() === '' ? [[`rules.${i}.minutes`, 'required'] as const] : []));
    const local: FieldErrors = { ...numbers.errors, ...Object.fromEntries(missing) };
    if (Object.keys(local).length > 0) {
      setErrors(local);
      return;
    }
    setSaving(true);
    setStale(null);
    try {
      const saved = await saveChangeovers(group, base.version, rules);
      toast.success(`Changeovers of ${groupName} saved (version ${saved.version})`);
      current.update(() => saved);
    } catch (error) {
      if (error instanceof ApiError && error.isConflict) setStale(error.message);
      else if (error instanceof ApiError && Object.keys(error.fields).length > 0) {
        setErrors(error.fields);
        const count = Object.keys(error.fields).length;
        toast.error(`The matrix was not saved: ${count === 1 ? 'one problem' : `${count} problems`}, shown at the rules in red.`);
      } else toast.error(errorMessage(error));
    } finally {
      setSaving(false);
    }
  };

  const rowError = (index: number) =>
    (['from', 'to', 'minutes'] as const)
      .map((field) => errors[`rules.${index}.${field}`])
      .filter((message): message is string => Boolean(message));
  const general = Object.entries(errors).filter(([path]) => !/^rules\.\d+\./.test(path)).map(([, message]) => message);

  return (
    <>
      <div className="co-toolbar">
        <p className="co-version" data-testid="co-version">
          Version {base.version}
          {dirty ? <span className="badge">unsaved changes</span> : null}
        </p>
        <div className="co-actions">
          <button type="button" className="button" onClick={add} disabled={saving || rows.length >= 500} data-testid="co-add">
            + Add rule
          </button>
          <button type="button" className="button" disabled={!dirty || saving} onClick={() => { setRows(rowsOf(base)); setErrors({}); }} data-testid="co-discard">
            Discard changes
          </button>
          <button type="button" className="button button-primary" disabled={!dirty || saving} onClick={() => void save()} data-testid="co-save">
            {saving ? 'Saving…' : 'Save matrix'}
          </button>
        </div>
      </div>
      <p className="muted co-note">
        Working minutes to change a machine of {groupName} from one product family to the next, on top of the routing step's setup. The most specific rule wins: the
        exact pair, then <span className="mono">family → *</span>, then <span className="mono">* → family</span>, then <span className="mono">* → *</span>. Two lots of the
        same family need no changeover unless a rule names that pair. Families: {base.families.join(', ') || 'none yet'} (set on the Products tab).
      </p>
      {stale ? (
        <StaleBanner message={stale} testId="co" onReload={() => { setStale(null); void current.reload(); }} />
      ) : null}
      {general.length ? <ErrorBanner message={general.join(' · ')} testId="co-general-errors" /> : null}
      {rows.length === 0 ? (
        <p className="muted" data-testid="co-empty">
          No rules: machines of this group change between families without a changeover. Add a rule, e.g. <span className="mono">* → *</span> 45 min.
        </p>
      ) : (
        <div className="table-wrap co-table-wrap">
          <table className="table co-table" data-testid="co-table">
            <thead>
              <tr>
                <th>From family</th>
                <th>To family</th>
                <th className="num">Minutes</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => {
                const messages = rowError(index);
                return (
                  <tr key={row.id} className={messages.length ? 'co-row-invalid' : undefined} data-testid={`co-row-${index}`}>
                    <td>
                      <FamilySelect value={row.from} families={base.families} onChange={(from) => update(index, { from })} testId={`co-from-${index}`} label={`Rule ${index + 1}: from family`} />
                    </td>
                    <td>
                      <FamilySelect value={row.to} families={base.families} onChange={(to) => update(index, { to })} testId={`co-to-${index}`} label={`Rule ${index + 1}: to family`} />
                      {messages.length ? (
                        <p className="field-error co-row-error" data-testid={`co-error-${index}`}>
                          {messages.join(' · ')}
                        </p>
                      ) : null}
                    </td>
                    <td className="num">
                      <input
                        value={row.minutes}
                        onChange={(e) => update(index, { minutes: e.target.value })}
                        inputMode="decimal"
                        className="co-minutes"
                        aria-label={`Rule ${index + 1}: minutes`}
                        aria-invalid={errors[`rules.${index}.minutes`] ? true : undefined}
                        data-testid={`co-minutes-${index}`}
                      />
                    </td>
                    <td>
                      <button type="button" className="icon-button icon-danger" onClick={() => remove(index)} aria-label={`Remove rule ${index + 1}`} data-testid={`co-remove-${index}`}>
                        ×
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <LastFamilies group={group} families={base.families} />
    </>
  );
}

/**
 * What each machine of the group ran last, as the planner knows it: its first job changes over from
 * it. A job that finishes on the machine later takes its place (the planner reads the newer one).
 */
function LastFamilies({ group, families }: { group: string; families: string[] }) {
  const toast = useToast();
  const auth = useAuth();
  const machines = useResource(listMachines, [], ['plant']);
  const [busy, setBusy] = useState<string | null>(null);
  if (!auth.can('orders:write')) return null;
  const ofGroup = (machines.data ?? []).filter((m) => m.group === group);
  if (machines.error) return <LoadFailed error={machines.error} onRetry={machines.reload} />;
  if (ofGroup.length === 0) return null;
  const change = async (key: string, name: string, value: string, version: number) => {
    setBusy(key);
    try {
      const saved = await setMachineLastFamily(key, value === '' ? null : value, version);
      toast.success(saved.lastFamily ? `${name} last ran ${saved.lastFamily}` : `${name}: last family cleared`);
      void machines.reload();
    } catch (error) {
      toast.error(errorMessage(error));
      void machines.reload();
    } finally {
      setBusy(null);
    }
  };
  return (
    <section className="panel co-last" data-testid="co-last-families">
      <h3>Last family per machine</h3>
      <p className="muted small">What a machine ran before its queue: its first job changes over from it. A job finishing on the machine later replaces it.</p>
      <table className="table compact-table">
        <tbody>
          {ofGroup.map((m) => (
            <tr key={m.key}>
              <td className="strong">{m.name}</td>
              <td>
                <select
                  value={m.lastFamily ?? ''}
                  disabled={busy === m.key}
                  onChange={(e) => void change(m.key, m.name, e.target.value, m.version)}
                  aria-label={`${m.name}: last family`}
                  data-testid={`co-last-${m.key}`}
                >
                  <option value="">unknown</option>
                  {[...families, ...(m.lastFamily && !families.includes(m.lastFamily) ? [m.lastFamily] : [])].map((family) => (
                    <option key={family} value={family}>
                      {family}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function ChangeoversTab() {
  const { groups, picked: group, chosen, groupName, setGroup } = useChosenGroup();
  return (
    <section data-testid="admin-changeovers">
      <div className="co-group-picker">
        <label className="inline-field">
          Process group
          <GroupSelect groups={groups.data} value={chosen} onChange={setGroup} testId="co-group" />
        </label>
        <p className="muted small">Each process group has its own changeover matrix; the board draws a changeover as the hatched start of a job.</p>
      </div>
      {groups.error ? <LoadFailed error={groups.error} onRetry={groups.reload} /> : null}
      {groups.data && groups.data.length === 0 ? <p className="muted">No process groups yet: create one first.</p> : null}
      {chosen ? <GroupMatrix key={chosen} group={chosen} groupName={groupName} /> : groups.loading ? <Spinner /> : null}
    </section>
  );
}
