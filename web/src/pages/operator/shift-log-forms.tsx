// What the operator writes into the shift log: scrap (booked to a lot with a reject reason), the
// crew with their hours, and the notes, open issues for the next shift and counted units. Each form
// keeps what is being typed while live updates refresh the screen: a draft follows the server only
// while it has no unsaved edits.
import { useEffect, useMemo, useRef, useState } from 'react';
import { scrapInputSchema, crewBodySchema } from '../../../../src/features/operator-input/schemas.js';
import { addScrap, deleteScrap, saveCrew, saveShiftNotes, type OperatorView, type ShiftLogView } from '../../api/operator.js';
import { Field, NumberField } from '../../components/field.js';
import { ErrorBanner } from '../../components/feedback.js';
import { ConfirmDialog } from '../../components/dialogs.js';
import { useToast } from '../../components/toasts.js';
import { formatNumber, NumberReader, readNumber, textOf, useSubmit, validated } from '../../lib/forms.js';
import { offeredLeaves, type ReasonNode } from './reason-tree.js';

/**
 * A local copy of `fromServer` that follows it (when `key` changes) only while the user has not
 * edited it; `base` is the server's value the draft started from (to tell a change by someone else).
 */
function useDraft<T>(fromServer: () => T, key: string): { draft: T; edit: (next: T) => void; saved: () => void; base: () => T } {
  const [draft, setDraft] = useState<T>(fromServer);
  const dirty = useRef(false);
  const base = useRef<T>(draft);
  const latest = useRef(fromServer);
  latest.current = fromServer;
  useEffect(() => {
    if (dirty.current) return;
    base.current = latest.current();
    setDraft(base.current);
  }, [key]);
  return {
    draft,
    edit: (next: T) => {
      dirty.current = true;
      setDraft(next);
    },
    saved: () => {
      dirty.current = false;
    },
    base: () => base.current,
  };
}

interface FormProps {
  view: OperatorView;
  locale: string;
  readOnly: boolean;
  onLog: (log: ShiftLogView) => void;
}

const shiftKey = (view: OperatorView) => `${view.machine.key}@${view.shift.startMs}`;

export function ScrapCard({ view, locale, readOnly, onLog, tree }: FormProps & { tree: ReasonNode[] }) {
  const toast = useToast();
  const reasons = useMemo(() => offeredLeaves(tree, 'scrap'), [tree]);
  const empty = () => ({ lot: view.current?.lot ?? view.lots[0] ?? '', reason: '', quantity: '', rework: '', comment: '' });
  const [form, setForm] = useState(empty);
  useEffect(() => setForm(empty()), [shiftKey(view)]);
  const submit = useSubmit();
  const { log } = view;

  const add = async () => {
    const numbers = new NumberReader(locale);
    const input = {
      lot: form.lot,
      reason: form.reason,
      quantity: numbers.read('quantity', form.quantity, { integer: true }) ?? (form.quantity.trim() === '' ? 0 : undefined),
      rework: numbers.read('rework', form.rework, { integer: true }) ?? 0,
      comment: form.comment.trim() || null,
    };
    const body = validated(scrapInputSchema, input, submit.setFieldErrors, numbers.errors);
    if (!body) return;
    const ok = await submit.run(async () => onLog(await addScrap(view.machine.key, view.shift.startMs, body)));
    if (ok) {
      toast.success(`Scrap of ${formatNumber(body.quantity, locale)} booked to lot ${body.lot}`);
      setForm({ ...empty(), lot: form.lot });
    }
  };
  // a gloved tap on Delete asks first: the entry is gone from the report (the audit trail keeps it)
  const [deleting, setDeleting] = useState<ShiftLogView['scrap'][number] | null>(null);
  const totalScrap = log.scrap.reduce((sum, s) => sum + s.quantity, 0);
  const set = (field: keyof ReturnType<typeof empty>) => (value: string) => setForm((f) => ({ ...f, [field]: value }));

  return (
    <section className="op-card op-scrap" aria-labelledby="op-scrap-title" data-testid="op-scrap">
      <h2 id="op-scrap-title" className="op-card-title">
        Scrap <span className="op-card-sum">{formatNumber(totalScrap, locale)} units</span>
      </h2>
      {submit.formError ? <ErrorBanner message={submit.formError.message} testId="scrap-error" /> : null}
      {readOnly ? null : (
        <div className="op-form-grid">
          <Field label="Lot" name="lot" error={submit.fieldErrors.lot}>
            <select value={form.lot} onChange={(e) => set('lot')(e.target.value)} data-testid="scrap-lot">
              {view.lots.map((lot) => (
                <option key={lot} value={lot}>
                  {lot}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Scrap reason" name="reason" error={submit.fieldErrors.reason}>
            <select value={form.reason} onChange={(e) => set('reason')(e.target.value)} data-testid="scrap-reason">
              <option value="">Choose…</option>
              {reasons.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.label}
                </option>
              ))}
            </select>
          </Field>
          <NumberField label="Units scrapped" name="quantity" value={form.quantity} onChange={set('quantity')} setError={(m) => submit.setFieldError('quantity', m)} error={submit.fieldErrors.quantity} locale={locale} integer showSaved={false} testId="scrap-quantity" />
          <NumberField label="Units reworked" name="rework" value={form.rework} onChange={set('rework')} setError={(m) => submit.setFieldError('rework', m)} error={submit.fieldErrors.rework} locale={locale} integer showSaved={false} testId="scrap-rework" />
          <Field label="Comment (optional)" name="comment" error={submit.fieldErrors.comment} className="op-span-2">
            <input value={form.comment} onChange={(e) => set('comment')(e.target.value)} maxLength={2000} data-testid="scrap-comment" />
          </Field>
          <div className="op-form-actions op-span-2">
            <button type="button" className="button button-primary" onClick={add} disabled={submit.busy} data-testid="scrap-add">
              Book scrap
            </button>
          </div>
        </div>
      )}
      {log.scrap.length === 0 ? (
        <p className="op-empty">No scrap booked in this shift.</p>
      ) : (
        <ul className="op-list" data-testid="scrap-list">
          {log.scrap.map((s) => (
            <li key={s.id} className="op-list-row" data-testid={`scrap-row-${s.id}`}>
              <span className="op-list-main">
                <strong>{formatNumber(s.quantity, locale)}</strong>
                {s.rework > 0 ? ` + ${formatNumber(s.rework, locale)} reworked` : ''} · lot {s.lot} · {s.label}
                {s.comment ? <span className="muted"> · {s.comment}</span> : null}
              </span>
              {readOnly ? null : (
                <button type="button" className="button button-danger-outline" onClick={() => setDeleting(s)} disabled={submit.busy} aria-label={`Delete scrap of ${s.quantity} on lot ${s.lot}`} data-testid={`scrap-delete-${s.id}`}>
                  Delete
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {deleting ? (
        <ConfirmDialog
          title="Delete this scrap?"
          confirmLabel="Delete scrap"
          onConfirm={async () => {
            onLog(await deleteScrap(view.machine.key, view.shift.startMs, deleting.id));
            toast.success(`Scrap of ${formatNumber(deleting.quantity, locale)} on lot ${deleting.lot} deleted`);
          }}
          onClose={() => setDeleting(null)}
        >
          <p>
            {formatNumber(deleting.quantity, locale)} units of lot {deleting.lot} · {deleting.label}
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

interface CrewRow {
  /** a username from the people list, or '' for a typed name */
  username: string;
  person: string;
  hours: string;
}

export function CrewCard({ view, locale, readOnly, onLog }: FormProps) {
  const { log } = view;
  const fromServer = (): CrewRow[] => log.crew.map((m) => ({ username: m.username ?? '', person: m.username ? '' : m.person, hours: textOf(m.hours, locale) }));
  const { draft: rows, edit, saved } = useDraft(fromServer, `${shiftKey(view)}#${log.version}`);
  const submit = useSubmit();
  const toast = useToast();
  const change = (i: number, patch: Partial<CrewRow>) => edit(rows.map((row, j) => (j === i ? { ...row, ...patch } : row)));
  const save = async () => {
    const numbers = new NumberReader(locale);
    const crew = rows.map((row, i) => ({ username: row.username || null, person: row.username ? null : row.person.trim() || null, hours: numbers.read(`crew.${i}.hours`, row.hours) }));
    const body = validated(crewBodySchema, { crew }, submit.setFieldErrors, numbers.errors);
    if (!body) return;
    const ok = await submit.run(async () => onLog(await saveCrew(view.machine.key, view.shift.startMs, body.crew)));
    if (ok) {
      saved();
      toast.success('Crew saved');
    }
  };
  const hours = rows.reduce((sum, row) => {
    const reading = readNumber(row.hours, locale);
    return reading.kind === 'number' ? sum + reading.value : sum;
  }, 0);
  return (
    <section className="op-card op-crew" aria-labelledby="op-crew-title" data-testid="op-crew">
      <h2 id="op-crew-title" className="op-card-title">
        Crew
        <span className="op-card-sum" data-testid="crew-summary">
          {log.headCount} people · {formatNumber(log.crewHours, locale)} h saved
        </span>
      </h2>
      {submit.formError ? <ErrorBanner message={submit.formError.message} testId="crew-error" /> : null}
      {readOnly ? (
        <ul className="op-list">
          {log.crew.map((m, i) => (
            <li key={i} className="op-list-row">
              <span className="op-list-main">
                {m.person} · {formatNumber(m.hours, locale)} h
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <>
          {rows.map((row, i) => (
            <div key={i} className="op-crew-row" data-testid={`crew-row-${i}`}>
<div className="op-crew-who">
              <Field label="Person" name={`crew.${i}.username`} error={submit.fieldErrors[`crew.${i}.username`] ?? submit.fieldErrors[`crew.${i}.person`]}>
                <select value={row.username} onChange={(e) => change(i, { username: e.target.value })} data-testid={`crew-person-${i}`}>
                  <option value="">Someone else…</option>
                  {view.people.map((p) => (
                    <option key={p.username} value={p.username}>
                      {p.name}
                    </option>
                  ))}
                </select>
              </Field>
              {row.username ? null : (
                <Field label="Name" name={`crew.${i}.person`}>
                  <input value={row.person} onChange={(e) => change(i, { person: e.target.value })} maxLength={120} data-testid={`crew-name-${i}`} />
                </Field>
              )}
</div>
              <NumberField label="Hours" name={`crew.${i}.hours`} value={row.hours} onChange={(hours) => change(i, { hours })} setError={(m) => submit.setFieldError(`crew.${i}.hours`, m)} error={submit.fieldErrors[`crew.${i}.hours`]} locale={locale} showSaved={false} testId={`crew-hours-${i}`} inputClassName="op-hours" />
              <button
                type="button"
                className="button button-danger-outline op-crew-remove"
                onClick={() => edit(rows.filter((_, j) => j !== i))}
                aria-label={`Remove ${view.people.find((p) => p.username === row.username)?.name ?? (row.person || `row ${i + 1}`)} from the crew`}
                title="Remove from the crew"
                data-testid={`crew-remove-${i}`}
              >
                ✕
              </button>
            </div>
          ))}
          <p className="op-crew-total" data-testid="crew-total">
            {rows.length} {rows.length === 1 ? 'person' : 'people'} · {formatNumber(Math.round(hours * 100) / 100, locale)} hours
          </p>
          <div className="op-form-actions">
            <button type="button" className="button" onClick={() => edit([...rows, { username: '', person: '', hours: '' }])} data-testid="crew-add">
              Add a person
            </button>
            <button type="button" className="button button-primary" onClick={save} disabled={submit.busy} data-testid="crew-save">
              Save crew
            </button>
          </div>
        </>
      )}
    </section>
  );
}

export function NotesCard({ view, locale, readOnly, onLog }: FormProps) {
  const { log } = view;
  const fromServer = () => ({ notes: log.notes ?? '', openIssues: log.openIssues ?? '', reportedCount: textOf(log.reportedCount, locale) });
  const { draft, edit, saved, base } = useDraft(fromServer, `${shiftKey(view)}#${log.version}`);
  const baseVersion = useRef(log.version);
  if (draft === base()) baseVersion.current = log.version;
  const submit = useSubmit();
  const toast = useToast();
  const save = async () => {
    const numbers = new NumberReader(locale);
    const reportedCount = numbers.read('reportedCount', draft.reportedCount, { integer: true }) ?? null;
    if (Object.keys(numbers.errors).length) return submit.setFieldErrors(numbers.errors);
    // scrap or crew booked meanwhile move the version on: only a change of the notes themselves by
    // someone else is a conflict (then the version the draft began from lets the server say so)
    const changedMeanwhile = JSON.stringify(fromServer()) !== JSON.stringify(base());
    const version = changedMeanwhile ? baseVersion.current : log.version;
    const ok = await submit.run(async () => onLog(await saveShiftNotes(view.machine.key, view.shift.startMs, { version, notes: draft.notes || null, openIssues: draft.openIssues || null, reportedCount })));
    if (ok) {
      saved();
      toast.success('Notes saved');
    }
  };
  if (readOnly) {
    return (
      <section className="op-card op-notes" aria-labelledby="op-notes-title" data-testid="op-notes">
        <h2 id="op-notes-title" className="op-card-title">
          Notes
        </h2>
        <p className="op-text">{log.notes || <span className="muted">No notes.</span>}</p>
        <h3 className="op-subtitle">Open issues for the next shift</h3>
        <p className="op-text">{log.openIssues || <span className="muted">None.</span>}</p>
        <p>Counted units: {log.reportedCount === null ? '—' : formatNumber(log.reportedCount, locale)}</p>
      </section>
    );
  }
  return (
    <section className="op-card op-notes" aria-labelledby="op-notes-title" data-testid="op-notes">
      <h2 id="op-notes-title" className="op-card-title">
        Notes and handover
      </h2>
      {submit.formError ? <ErrorBanner message={submit.formError.message} testId="notes-error" /> : null}
      <Field label="Notes" name="notes" error={submit.fieldErrors.notes}>
        <textarea rows={3} value={draft.notes} onChange={(e) => edit({ ...draft, notes: e.target.value })} data-testid="notes-notes" />
      </Field>
      <Field label="Open issues for the next shift" name="openIssues" error={submit.fieldErrors.openIssues}>
        <textarea rows={3} value={draft.openIssues} onChange={(e) => edit({ ...draft, openIssues: e.target.value })} data-testid="notes-open-issues" />
      </Field>
      <NumberField label="Units you counted" name="reportedCount" value={draft.reportedCount} onChange={(reportedCount) => edit({ ...draft, reportedCount })} setError={(m) => submit.setFieldError('reportedCount', m)} error={submit.fieldErrors.reportedCount} locale={locale} integer showSaved={false} testId="notes-count" inputClassName="op-hours" />
      <div className="op-form-actions">
        <button type="button" className="button button-primary" onClick={save} disabled={submit.busy} data-testid="notes-save">
          Save notes
        </button>
      </div>
    </section>
  );
}
