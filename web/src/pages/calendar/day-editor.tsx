// Editing one day's shifts, then ONE question: does this apply to this week only, or to every week
// (the default)? The base pattern and its version are taken when the editor opens, so a change
// someone else makes meanwhile is reported (409) instead of silently overwritten.
import { useState } from 'react';
import type { Shift, Weekday, WeekPattern } from '../../../../src/core/calendar/index.js';
import { weekPatternSchema } from '../../../../src/features/calendar/schemas.js';
import { ApiError, type FieldErrors } from '../../api/client.js';
import { overrideWeek } from '../../api/calendar.js';
import { updateDefaultWeekSigned } from '../../api/auth.js';
import { SignatureDialog } from '../../auth/signature-dialog.js';
import type { SignatureInput } from '../../../../src/features/auth/schemas.js';
import { Modal } from '../../components/dialogs.js';
import { ErrorBanner } from '../../components/feedback.js';
import { REASON_MISSING, ReasonField } from '../../components/reason-field.js';
import { issuesToFieldErrors, useSubmit } from '../../lib/forms.js';
import { dayLabel, weekSpanLabel } from '../../lib/plant-time.js';
import { formatMinutes, normaliseTimeInput, shiftSpan, suggestNextShift } from './week-layout.js';

export interface EditBase {
  week: string;
  dates: string[];
  /** the week's effective pattern and the version to send when it is an override */
  weekDays: WeekPattern;
  overridden: boolean;
  overrideVersion: number;
  /** the default pattern and its version */
  defaultDays: WeekPattern;
  defaultVersion: number;
}

type Scope = 'week' | 'default';

interface ShiftDraft {
  id: number;
  start: string;
  end: string;
}

let nextShiftId = 1;

/** ["fri", 2] → "Friday's shift 3" */
function describePath(path: readonly PropertyKey[]): string {
  const names: Record<string, string> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' };
  const day = names[String(path[0])] ?? String(path[0]);
  return typeof path[1] === 'number' ? `${day}'s shift ${path[1] + 1}` : day;
}
const draftOf = (shifts: Shift[]): ShiftDraft[] => shifts.map(([start, end]) => ({ id: nextShiftId++, start, end }));

function ShiftDuration({ start, end }: { start: string; end: string }) {
  const span = shiftSpan([start, end]);
  if (!span) return <span className="shift-row-info muted">–</span>;
  const crosses = span.end > 1440;
  return (
    <span className="shift-row-info">
      {formatMinutes(span.end - span.start)}
      {crosses ? <span className="badge badge-night">ends next day</span> : null}
    </span>
  );
}

export function DayEditor({ base, dayIndex, weekday, holidayName, onClose, onSaved, onStale }: {
  base: EditBase;
  dayIndex: number;
  weekday: Weekday;
  holidayName: string | undefined;
  onClose: () => void;
  onSaved: (scope: Scope) => void;
  /** reloads the week and calendar and returns a fresh base */
  onStale: () => Promise<EditBase>;
}) {
  const [snapshot, setSnapshot] = useState(base);
  const [shifts, setShifts] = useState<ShiftDraft[]>(() => draftOf(base.weekDays[weekday]));
  const [step, setStep] = useState<'edit' | 'apply'>('edit');
  const [scope, setScope] = useState<Scope | null>(null);
  const [staleNotice, setStaleNotice] = useState(false);
  // changing the default is a regulated change: it is saved only with the user's electronic signature
  const [signing, setSigning] = useState(false);
  // "this week only" is a calendar change too: it needs a reason (the default week's is in the signature dialog)
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>();
  const submit = useSubmit((path) => path.startsWith(`days.${weekday}`) || path.startsWith(weekday));
  const label = dayLabel(snapshot.dates[dayIndex]);
  const weekdayPlural = `${label.long.split(' ')[0]}s`;

  const currentShifts = (): Shift[] => shifts.map((s) => [normaliseTimeInput(s.start), normaliseTimeInput(s.end)]);
  const update = (id: number, patch: Partial<ShiftDraft>) => setShifts((all) => all.map((s) => (s.id === id ? { ...s, ...patch } : s)));

  // Field errors use the week-pattern paths of the server ("tue.1.0" = start of Tuesday's 2nd shift).
  const errors: FieldErrors = {};
  for (const [path, message] of Object.entries(submit.fieldErrors)) errors[path.replace(/^days\./, '')] = message;
  const shiftError = (index: number) => errors[`${weekday}.${index}`];
  const timeError = (index: number, which: 0 | 1) => errors[`${weekday}.${index}.${which}`];

  const toApply = () => {
    const normalised = currentShifts();
    setShifts((all) => all.map((s, i) => ({ ...s, start: normalised[i][0], end: normalised[i][1] })));
    // the day is checked inside a whole week so the shared rules (overlaps, HH:MM) apply unchanged
    const parsed = weekPatternSchema.safeParse({ ...snapshot.weekDays, [weekday]: normalised });
    if (!parsed.success) {
      const own = parsed.error.issues.filter((issue) => issue.path[0] === weekday);
      // a night shift of the day before that now runs into this day's first shift is reported on that day
      const neighbours = parsed.error.issues.filter((issue) => issue.path[0] !== weekday);
      const fieldErrors = issuesToFieldErrors(own);
      if (neighbours.length) {
        fieldErrors[weekday] = [fieldErrors[weekday], ...neighbours.map((issue) => `${describePath(issue.path)}: ${issue.message}`)].filter(Boolean).join(' · ');
      }
      submit.setFieldErrors(fieldErrors);
      return;
    }
    submit.setFieldErrors({});
    setStep('apply');
  };

  const apply = () => {
    if (!scope) return;
    if (scope === 'default') return setSigning(true);
    if (!reason.trim()) return setReasonError(REASON_MISSING);
    const dayShifts = currentShifts();
    void submit.run(async () => {
      try {
        await overrideWeek(snapshot.week, { ...snapshot.weekDays, [weekday]: dayShifts }, snapshot.overridden ? snapshot.overrideVersion : undefined, reason.trim());
      } catch (error) {
        if (error instanceof ApiError && error.fields.reason) {
          setReasonError(error.fields.reason);
          return;
        }
        if (error instanceof ApiError && Object.keys(error.fields).length > 0) setStep('edit');
        if (error instanceof ApiError && (error.isStale || error.isConflict)) {
          setSnapshot(await onStale());
          setStaleNotice(true);
          return;
        }
        throw error;
      }
      onSaved(scope);
    });
  };

  /** The default week, with the signature from the dialog. A refused signature stays in the dialog; other failures go to the editor. */
  const applySigned = async (signature: SignatureInput, reason: string) => {
    try {
      await updateDefaultWeekSigned({ ...snapshot.defaultDays, [weekday]: currentShifts() }, snapshot.defaultVersion, signature, reason);
    } catch (error) {
      if (error instanceof ApiError && (error.code === 'signature_rejected' || error.code === 'account_locked' || error.status === 401)) throw error;
      setSigning(false);
      if (error instanceof ApiError && (error.isStale || error.isConflict)) {
        setSnapshot(await onStale());
        setStaleNotice(true);
        return;
      }
      if (error instanceof ApiError && Object.keys(error.fields).length > 0) setStep('edit');
      await submit.run(() => Promise.reject(error));
      return;
    }
    setSigning(false);
    onSaved('default');
  };

  const editing = step === 'edit';
  return (
    <Modal
      title={editing ? label.long : `Save the shifts of ${label.long}`}
      onClose={onClose}
      closeable={!submit.busy}
      testId="day-editor"
      wide
      footer={
        editing ? (
          <>
            <button type="button" className="button" onClick={onClose} data-testid="day-cancel">
              Cancel
            </button>
            <button type="button" className="button button-primary" onClick={toApply} data-testid="day-save">
              Save…
            </button>
          </>
        ) : (
          <>
            <button type="button" className="button" onClick={() => setStep('edit')} disabled={submit.busy} data-testid="apply-back">
              Back
            </button>
            <button type="button" className="button button-primary" onClick={apply} disabled={!scope || submit.busy} data-testid="apply-confirm">
              {submit.busy ? <span className="spinner spinner-small" aria-hidden="true" /> : null}
              Apply
            </button>
          </>
        )
      }
    >
      {staleNotice ? (
        <ErrorBanner
          testId="stale-banner"
          message="Someone else changed the calendar while you were editing, so nothing was saved. The week has been reloaded behind this dialog; your shifts are still here — apply again to save them over the new version."
        />
      ) : null}
      {submit.formError ? <ErrorBanner message={submit.formError.message} testId="form-error" /> : null}
      {editing ? (
        <div className="day-editor" data-testid="day-editor-shifts">
          <p className="muted">
            Shifts of {label.weekday} in {snapshot.week}. You choose next whether this changes this week only or every week.
          </p>
          {holidayName ? (
            <p className="banner banner-info">
              {label.date} is a holiday ({holidayName}): no shift starts on it, whatever is planned here.
            </p>
          ) : null}
          {shifts.length === 0 ? <p className="no-shifts">No shifts: the plant does not work on this day.</p> : null}
          <ol className="shift-rows">
            {shifts.map((shift, index) => (
              <li key={shift.id} className={`shift-row${shiftError(index) ? ' shift-row-invalid' : ''}`} data-testid={`shift-row-${index}`}>
                <span className="shift-row-number">Shift {index + 1}</span>
                <label className="time-field">
                  <span>Start</span>
                  <input
                    value={shift.start}
                    onChange={(e) => update(shift.id, { start: e.target.value })}
                    onBlur={(e) => update(shift.id, { start: normaliseTimeInput(e.target.value) })}
                    inputMode="numeric"
                    placeholder="HH:MM"
                    maxLength={5}
                    aria-invalid={timeError(index, 0) ? true : undefined}
                    data-testid={`shift-start-${index}`}
                  />
                </label>
                <span className="shift-row-dash" aria-hidden="true">
                  –
                </span>
                <label className="time-field">
                  <span>End</span>
                  <input
                    value={shift.end}
                    onChange={(e) => update(shift.id, { end: e.target.value })}
                    onBlur={(e) => update(shift.id, { end: normaliseTimeInput(e.target.value) })}
                    inputMode="numeric"
                    placeholder="HH:MM"
                    maxLength={5}
                    aria-invalid={timeError(index, 1) ? true : undefined}
                    data-testid={`shift-end-${index}`}
                  />
                </label>
                <ShiftDuration start={normaliseTimeInput(shift.start)} end={normaliseTimeInput(shift.end)} />
                <button type="button" className="button button-small button-danger-outline" onClick={() => setShifts((all) => all.filter((s) => s.id !== shift.id))} data-testid={`shift-remove-${index}`}>
                  Remove
                </button>
                {timeError(index, 0) || timeError(index, 1) || shiftError(index) ? (
                  <p className="field-error shift-row-error" data-testid={`shift-error-${index}`}>
                    {[timeError(index, 0) && `Start: ${timeError(index, 0)}`, timeError(index, 1) && `End: ${timeError(index, 1)}`, shiftError(index)].filter(Boolean).join(' · ')}
                  </p>
                ) : null}
              </li>
            ))}
          </ol>
          {errors[weekday] ? <p className="field-error" data-testid="day-error">{errors[weekday]}</p> : null}
          <button
            type="button"
            className="button"
            onClick={() => setShifts((all) => [...all, ...draftOf([suggestNextShift(currentShifts())])])}
            disabled={shifts.length >= 6}
            data-testid="shift-add"
          >
            + Add shift
          </button>
          <p className="field-hint crossing-hint">
            Times are plant time, HH:MM. A shift may cross midnight: an end at or before the start means it ends the next day (22:00–06:00 is a
            night shift of 8 h). 24:00 means midnight at the end of the day.
          </p>
        </div>
      ) : (
        <div className="apply-step">
          <p className="apply-summary">
            {shifts.length === 0
              ? `${label.weekday}: no shifts (not working)`
              : `${label.weekday}: ${currentShifts().map(([start, end]) => `${start}–${end}`).join(', ')}`}
          </p>
          <fieldset className="apply-choice" data-testid="apply-choice">
            <legend>Apply to:</legend>
            <label className={`choice${scope === 'week' ? ' choice-selected' : ''}`}>
              <input type="radio" name="scope" value="week" checked={scope === 'week'} onChange={() => setScope('week')} data-testid="apply-week" />
              <span>
                <strong>This week only</strong>
                <span className="choice-detail">
                  {snapshot.week} · {weekSpanLabel(snapshot.dates)}. Other weeks keep their shifts.
                </span>
              </span>
            </label>
            <label className={`choice${scope === 'default' ? ' choice-selected' : ''}`}>
              <input type="radio" name="scope" value="default" checked={scope === 'default'} onChange={() => setScope('default')} data-testid="apply-default" />
              <span>
                <strong>Every week (default)</strong>
                <span className="choice-detail">
                  Changes {weekdayPlural} in every week that has no shifts of its own, from now on.
                  {snapshot.overridden ? ' This week has its own shifts and keeps them until you reset it to the default.' : ''}
                </span>
              </span>
            </label>
          </fieldset>
          {scope === 'week' ? (
            <ReasonField
              value={reason}
              onChange={(value) => {
                setReason(value);
                if (value.trim()) setReasonError(undefined);
              }}
              required
              error={reasonError}
              hint={`Why ${snapshot.week} differs from the default week; kept in the audit trail.`}
            />
          ) : null}
        </div>
      )}
      {signing ? (
        <SignatureDialog
          title="Sign the change of the default week"
          what={
            <>
              New shifts of <strong>{weekdayPlural}</strong> in the default week: every week without its own pattern follows it, from now on.
            </>
          }
          onClose={() => setSigning(false)}
          onSign={applySigned}
        />
      ) : null}
    </Modal>
  );
}
