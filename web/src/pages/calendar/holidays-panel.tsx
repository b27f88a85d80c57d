// Holidays: the plant-local dates on which no shift starts. Listed, added and removed here.
import { useState, type FormEvent } from 'react';
import { holidaySchema, type Holiday } from '../../../../src/features/calendar/schemas.js';
import { isoWeekOf } from '../../../../src/core/calendar/index.js';
import { addHoliday, removeHoliday } from '../../api/calendar.js';
import { ReasonDialog, ReasonField } from '../../components/reason-dialog.js';
import { Field } from '../../components/field.js';
import { ErrorBanner } from '../../components/feedback.js';
import { useToast } from '../../components/toasts.js';
import { useSubmit, validated } from '../../lib/forms.js';
import { dayLabel } from '../../lib/plant-time.js';

export function HolidaysPanel({ holidays, today, canEdit, onChanged, onShowWeek }: {
  holidays: Holiday[];
  today: string;
  /** whether the user may add and remove holidays (otherwise the list is read-only) */
  canEdit: boolean;
  onChanged: () => void;
  onShowWeek: (week: string) => void;
}) {
  const toast = useToast();
  const [date, setDate] = useState('');
  const [name, setName] = useState('');
  const [reason, setReason] = useState('');
  const [removing, setRemoving] = useState<Holiday | null>(null);
  const [showPast, setShowPast] = useState(false);
  const submit = useSubmit((path) => path === 'date' || path === 'name' || path === 'reason');
  const sorted = [...holidays].sort((a, b) => a.date.localeCompare(b.date));
  const past = sorted.filter((h) => h.date < today);
  const shown = showPast ? sorted : sorted.filter((h) => h.date >= today);

  const add = (event: FormEvent) => {
    event.preventDefault();
    const holiday = validated(holidaySchema, { date, name }, submit.setFieldErrors);
    if (!holiday) return;
    void submit.run(async () => {
      await addHoliday(holiday, reason.trim());
      toast.success(`${dayLabel(holiday.date).long} is now a holiday (${holiday.name})`);
      setDate('');
      setName('');
      setReason('');
      onChanged();
    });
  };

  return (
    <section className="panel holidays-panel" data-testid="holidays-panel" aria-labelledby="holidays-title">
      <header className="panel-header">
        <h2 id="holidays-title">Holidays</h2>
        <span className="muted small">No shift starts on a holiday.</span>
      </header>
      {shown.length === 0 ? <p className="muted">{sorted.length === 0 ? 'No holidays planned.' : 'No upcoming holidays.'}</p> : null}
      <ul className="holiday-list" data-testid="holiday-list">
        {shown.map((holiday) => {
          const label = dayLabel(holiday.date);
          return (
            <li key={holiday.date} className={`holiday-item${holiday.date < today ? ' holiday-past' : ''}`} data-testid={`holiday-${holiday.date}`}>
              <button type="button" className="holiday-date link-button" onClick={() => onShowWeek(isoWeekOf(holiday.date))} title="Show this week">
                <span className="holiday-weekday">{label.weekday}</span> {label.date} {holiday.date.slice(0, 4)}
              </button>
              <span className="holiday-name">{holiday.name}</span>
              {canEdit ? (
                <button type="button" className="button button-small button-danger-outline" onClick={() => setRemoving(holiday)} data-testid={`holiday-remove-${holiday.date}`}>
                  Remove
                </button>
              ) : null}
            </li>
          );
        })}
      </ul>
      {past.length > 0 ? (
        <button type="button" className="link-button small" onClick={() => setShowPast((v) => !v)}>
          {showPast ? 'Hide past holidays' : `Show ${past.length} past holiday${past.length === 1 ? '' : 's'}`}
        </button>
      ) : null}
      {canEdit ? (
        <form className="holiday-form" onSubmit={add} noValidate data-testid="holiday-form">
          <h3>Add a holiday</h3>
          {submit.formError ? <ErrorBanner message={submit.formError.message} testId="holiday-error" /> : null}
          <Field label="Date" name="date" error={submit.fieldErrors.date}>
            <input type="date" value={date} onChange={(e) => setDate(e.target.value)} data-testid="holiday-date" />
          </Field>
          <Field label="Name" name="name" error={submit.fieldErrors.name}>
            <input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Thanksgiving" data-testid="holiday-name" />
          </Field>
          <ReasonField value={reason} onChange={setReason} required={false} error={submit.fieldErrors.reason} testId="holiday-reason" />
          <button type="submit" className="button button-primary" disabled={submit.busy} data-testid="holiday-add">
            {submit.busy ? <span className="spinner spinner-small" aria-hidden="true" /> : null}
            Add holiday
          </button>
        </form>
      ) : null}
      {removing ? (
        <ReasonDialog
          title="Remove holiday?"
          confirmLabel="Remove holiday"
          optional
          onClose={() => setRemoving(null)}
          onConfirm={async (reason) => {
            await removeHoliday(removing.date, reason);
            toast.success(`${removing.name} removed; ${dayLabel(removing.date).long} follows the week's shifts again`);
            onChanged();
          }}
        >
          <p>
            Remove <strong>{removing.name}</strong> on {dayLabel(removing.date).long}? Shifts are planned on that day again.
          </p>
        </ReasonDialog>
      ) : null}
    </section>
  );
}
