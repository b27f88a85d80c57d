// OEE profiles: the parameters OEE is computed with. Built-in profiles are read-only; creating or
// changing one is a regulated change (every OEE figure computed with it changes), saved only with
// the user's electronic signature. Each change is a new version; results name the version.
import { useState, type FormEvent } from 'react';
import { profileSchema, type ProfileView } from '../../../../src/features/oee/schemas.js';
import type { SignatureInput } from '../../../../src/features/auth/schemas.js';
import { ApiError, requestJson } from '../../api/client.js';
import { listProfiles } from '../../api/analytics.js';
import { Can, useCan } from '../../auth/auth.js';
import { SignatureDialog } from '../../auth/signature-dialog.js';
import { SidePanel } from '../../components/dialogs.js';
import { Field, NumberField } from '../../components/field.js';
import { NumberReader, formatNumber, numberConventions, textOf, useNumberLocale } from '../../lib/forms.js';
import { EmptyState, LoadFailed, Spinner } from '../../components/feedback.js';
import { useToast } from '../../components/toasts.js';
import { useResource } from '../../hooks/use-resource.js';
import { FormFooter, TableToolbar } from './shared.js';

interface Draft {
  name: string;
  maxCycleSeconds: string;
  stopBinsSeconds: string;
  availabilityLossSeconds: string;
  basis: 'calendar' | 'firstToLastPart';
  idealRatePerMinute: string;
}

/** The stop classes are a list: comma-separated, or semicolon-separated where the comma is the decimal mark. */
const listSeparator = (locale: string) => (numberConventions(locale).decimal === ',' ? ';' : ',');

const draftOf = (locale: string, p?: ProfileView): Draft => ({
  name: p?.name ?? '',
  maxCycleSeconds: textOf(p?.maxCycleSeconds ?? 1.1, locale),
  stopBinsSeconds: (p?.stopBinsSeconds ?? [1.1, 12, 60, 300]).map((n) => textOf(n, locale)).join(`${listSeparator(locale)} `),
  availabilityLossSeconds: textOf(p?.availabilityLossSeconds ?? 60, locale),
  basis: p?.basis ?? 'calendar',
  idealRatePerMinute: textOf(p?.idealRatePerMinute ?? 140, locale),
});

/** The profile's parameters, or the messages of the fields that cannot be read. */
function paramsOf(d: Draft, locale: string) {
  const numbers = new NumberReader(locale);
  const items = d.stopBinsSeconds.split(listSeparator(locale)).filter((item) => item.trim() !== '');
  const bins = items.map((item) => numbers.read('stopBinsSeconds', item));
  const params = {
    maxCycleSeconds: numbers.read('maxCycleSeconds', d.maxCycleSeconds),
    stopBinsSeconds: bins.filter((n): n is number => n !== undefined),
    availabilityLossSeconds: numbers.read('availabilityLossSeconds', d.availabilityLossSeconds),
    basis: d.basis,
    idealRatePerMinute: numbers.read('idealRatePerMinute', d.idealRatePerMinute),
  };
  for (const key of ['maxCycleSeconds', 'availabilityLossSeconds', 'idealRatePerMinute'] as const) {
    if (params[key] === undefined && !numbers.errors[key]) numbers.errors[key] = 'required';
  }
  if (items.length === 0) numbers.errors.stopBinsSeconds = 'required';
  return { params, errors: numbers.errors };
}

function ProfileForm({ existing, onDone, onCancel }: { existing?: ProfileView; onDone: (p: ProfileView) => void; onCancel: () => void }) {
  const locale = useNumberLocale();
  const [draft, setDraft] = useState<Draft>(() => draftOf(locale, existing));
  const [signing, setSigning] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const setFieldError = (path: string, message: string | undefined) =>
    setFieldErrors((errors) => {
      const next = { ...errors };
      if (message === undefined) delete next[path];
      else next[path] = message;
      return next;
    });
  const set = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    for (const key of Object.keys(patch)) setFieldError(key, undefined);
  };
  const numberField = (key: 'maxCycleSeconds' | 'availabilityLossSeconds' | 'idealRatePerMinute', label: string, unit: string, hint?: string) => (
    <NumberField
      label={label}
      name={key}
      value={draft[key]}
      onChange={(text) => set({ [key]: text })}
      setError={(message) => setFieldError(key, message)}
      error={fieldErrors[key]}
      hint={hint}
      locale={locale}
      unit={unit}
      testId={`input-${key}`}
    />
  );

  const sign = async (signature: SignatureInput, reason: string) => {
    const body = { ...paramsOf(draft, locale).params, signature, reason };
    try {
      const saved = existing
        ? await requestJson('PUT', `/api/oee/profiles/${encodeURIComponent(existing.name)}`, profileSchema, { ...body, version: existing.version })
        : await requestJson('POST', '/api/oee/profiles', profileSchema, { ...body, name: draft.name });
      setSigning(false);
      onDone(saved);
    } catch (error) {
      if (error instanceof ApiError && (error.code === 'signature_rejected' || error.code === 'account_locked')) throw error;
      setSigning(false);
      if (error instanceof ApiError && Object.keys(error.fields).length) setFieldErrors(error.fields);
      else setFormError(error instanceof Error ? error.message : String(error));
    }
  };
  const formId = 'oee-profile-form';
  return (
    <SidePanel
      title={existing ? `Change ${existing.name} (now v${existing.version})` : 'New OEE profile'}
      onClose={onCancel}
      testId="oee-profile-form"
      footer={<FormFooter busy={signing} onCancel={onCancel} submitLabel="Sign and save…" formId={formId} />}
    >
      <form
        id={formId}
        className="form"
        noValidate
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          setFormError(null);
          // nothing to sign while a number cannot be read
          const { errors } = paramsOf(draft, locale);
          setFieldErrors(errors);
          if (Object.keys(errors).length === 0) setSigning(true);
        }}
      >
        {formError ? <p className="banner banner-error" role="alert" data-testid="form-error">{formError}</p> : null}
        <Field label="Name" name="name" error={fieldErrors.name} hint={existing ? 'The name cannot be changed.' : 'e.g. line-tight'}>
          <input value={draft.name} onChange={(e) => set({ name: e.target.value })} disabled={Boolean(existing)} className="mono" data-testid="input-profile-name" />
        </Field>
        {numberField('maxCycleSeconds', 'Maximum cycle time (s)', 's', 'A longer gap between two cycles is a stop.')}
        <Field
          label="Stop classes from (s)"
          name="stopBinsSeconds"
          error={fieldErrors.stopBinsSeconds}
          hint={`Ascending, separated by '${listSeparator(locale)}', e.g. ${[1.1, 12, 60, 300].map((n) => formatNumber(n, locale)).join(`${listSeparator(locale)} `)}.`}
        >
          <input value={draft.stopBinsSeconds} onChange={(e) => set({ stopBinsSeconds: e.target.value })} data-testid="input-stopBinsSeconds" />
        </Field>
        {numberField('availabilityLossSeconds', 'Availability loss from (s)', 's', 'Shorter stops are speed losses.')}
        <Field label="Loading time" name="basis" error={fieldErrors.basis}>
          <select value={draft.basis} onChange={(e) => set({ basis: e.target.value as Draft['basis'] })} data-testid="input-basis">
            <option value="calendar">Planned production time (calendar, ISO 22400)</option>
            <option value="firstToLastPart">First to last part</option>
          </select>
        </Field>
        {numberField('idealRatePerMinute', 'Ideal rate (parts/min)', 'parts/min')}
      </form>
      {signing ? (
        <SignatureDialog
          title={existing ? `Sign the change of ${existing.name}` : `Sign the new profile ${draft.name}`}
          what={<>Every OEE result computed with this profile changes; the results name the new version.</>}
          onSign={sign}
          onClose={() => setSigning(false)}
        />
      ) : null}
    </SidePanel>
  );
}

export function OeeProfilesTab() {
  const profiles = useResource(listProfiles, [], ['plant']);
  const toast = useToast();
  const canWrite = useCan('oee:write');
  const [editing, setEditing] = useState<ProfileView | 'new' | null>(null);
  return (
    <section data-testid="admin-oee-profiles">
      <TableToolbar count={profiles.data?.length} noun="OEE profile">
        <Can permission="oee:write">
          <button type="button" className="button button-primary" onClick={() => setEditing('new')} data-testid="create-oee-profile">
            New OEE profile
          </button>
        </Can>
      </TableToolbar>
      {profiles.error ? <LoadFailed error={profiles.error} onRetry={profiles.reload} /> : null}
      {profiles.loading && !profiles.data ? <Spinner /> : null}
      {profiles.data?.length === 0 ? <EmptyState title="No OEE profiles" /> : null}
      {profiles.data?.length ? (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>Profile</th>
                <th className="num" title="Longest gap between two parts that still counts as running, in seconds; a longer gap is a stop">
                  Max cycle (s)
                </th>
                <th title="Upper limits of the stop duration classes, in seconds">Stop classes (s)</th>
                <th className="num" title="Stops at least this long (in seconds) count against availability; shorter ones against performance">
                  Availability loss (s)
                </th>
                <th title="What the OEE figures are measured against: the planned shifts of the calendar, or the time from the first to the last part">Loading time</th>
                <th className="num" title="Parts per minute the machine makes at full speed">
                  Ideal rate (/min)
                </th>
                <th className="actions-col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {profiles.data.map((p) => (
                <tr key={p.name} data-testid={`row-profile-${p.name}`}>
                  <td className="strong">
                    {p.label}
                    {p.builtin ? <span className="badge badge-muted">built-in</span> : null}
                  </td>
                  <td className="num">{p.maxCycleSeconds}</td>
                  <td>{p.stopBinsSeconds.join(', ')}</td>
                  <td className="num">{p.availabilityLossSeconds}</td>
                  <td>{p.basis === 'calendar' ? 'calendar' : 'first to last part'}</td>
                  <td className="num">{p.idealRatePerMinute}</td>
                  <td>
                    {canWrite && !p.builtin ? (
                      <button type="button" className="button button-small" onClick={() => setEditing(p)} data-testid={`edit-profile-${p.name}`}>
                        Change…
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {editing ? (
        <ProfileForm
          existing={editing === 'new' ? undefined : editing}
          onCancel={() => setEditing(null)}
          onDone={(p) => {
            setEditing(null);
            toast.success(`OEE profile ${p.label} saved and signed`);
            void profiles.reload();
          }}
        />
      ) : null}
    </section>
  );
}
