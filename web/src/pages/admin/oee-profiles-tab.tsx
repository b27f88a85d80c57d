// OEE profiles: the parameters OEE is computed with. Built-in profiles are read-only; creating or
// changing one is a regulated change (every OEE figure computed with it changes), saved only with
// the user's electronic signature. Each change is a new version; results name the version.
import { useState, type FormEvent } from 'react';
import { profileSchema, type ProfileView } from '../../../../src/features/oee/schemas.js';
import type { SignatureInput } from '../../../../src/features/auth/schemas.js';
import { ApiError, requestJson } from '../../api/client.js';
import { listProfiles } from '../../api/analytics.js';
import { useCan } from '../../auth/auth.js';
import { SignatureDialog } from '../../auth/signature-dialog.js';
import { Field, NumberField } from '../../components/field.js';
import { NumberReader, formatNumber, numberConventions, textOf, useNumberLocale } from '../../lib/forms.js';
import { useResource } from '../../hooks/use-resource.js';
import { CrudTab, FormPanel, useDraftForm, type FormProps } from './crud-kit.js';

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

function ProfileForm({ existing, onDone, onCancel }: FormProps<ProfileView>) {
  const locale = useNumberLocale();
  const { draft, set, submit } = useDraftForm({ existing, draftOf: (profile) => draftOf(locale, profile) });
  const [signing, setSigning] = useState(false);
  const fieldErrors = submit.fieldErrors;
  const numberField = (key: 'maxCycleSeconds' | 'availabilityLossSeconds' | 'idealRatePerMinute', label: string, unit: string, hint?: string) => (
    <NumberField
      label={label}
      name={key}
      value={draft[key]}
      onChange={(text) => set({ [key]: text })}
      setError={(message) => submit.setFieldError(key, message)}
      error={fieldErrors[key]}
      hint={hint}
      locale={locale}
      unit={unit}
      testId={`input-${key}`}
    />
  );

  /** Saves with the signature; a refused signature stays in the signature dialog, anything else lands on the form. */
  const sign = async (signature: SignatureInput, reason: string) => {
    const body = { ...paramsOf(draft, locale).params, signature, reason };
    const outcome: { saved?: ProfileView; refused?: ApiError } = {};
    await submit.run(async () => {
      try {
        outcome.saved = existing
          ? await requestJson('PUT', `/api/oee/profiles/${encodeURIComponent(existing.name)}`, profileSchema, { ...body, version: existing.version })
          : await requestJson('POST', '/api/oee/profiles', profileSchema, { ...body, name: draft.name });
      } catch (error) {
        if (error instanceof ApiError && (error.code === 'signature_rejected' || error.code === 'account_locked')) outcome.refused = error;
        else throw error;
      }
    });
    if (outcome.refused) throw outcome.refused;
    setSigning(false);
    if (outcome.saved) onDone(`OEE profile ${outcome.saved.label} saved and signed`);
  };
  return (
    <FormPanel
      formId="oee-profile-form"
      title={existing ? `Change ${existing.name} (now v${existing.version})` : 'New OEE profile'}
      entity="OEE profile"
      submitLabel="Sign and save…"
      busy={signing}
      error={submit.formError}
      onCancel={onCancel}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        submit.clearFormError();
        // nothing to sign while a number cannot be read
        const { errors } = paramsOf(draft, locale);
        submit.setFieldErrors(errors);
        if (Object.keys(errors).length === 0) setSigning(true);
      }}
      after={
        signing ? (
          <SignatureDialog
            title={existing ? `Sign the change of ${existing.name}` : `Sign the new profile ${draft.name}`}
            what={<>Every OEE result computed with this profile changes; the results name the new version.</>}
            onSign={sign}
            onClose={() => setSigning(false)}
          />
        ) : null
      }
    >
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
    </FormPanel>
  );
}

export function OeeProfilesTab() {
  const profiles = useResource(listProfiles, [], ['plant']);
  const canWrite = useCan('oee:write');
  return (
    <CrudTab<ProfileView>
      testId="admin-oee-profiles"
      noun="OEE profile"
      resource={profiles}
      rows={profiles.data}
      rowKey={(p) => p.name}
      rowTestId={(p) => `row-profile-${p.name}`}
      create={{ label: 'New OEE profile', testId: 'create-oee-profile', permission: 'oee:write' }}
      empty={{ title: 'No OEE profiles' }}
      columns={[
        {
          header: 'Profile',
          className: 'strong',
          cell: (p) => (
            <>
              {p.label}
              {p.builtin ? <span className="badge badge-muted">built-in</span> : null}
            </>
          ),
        },
        { header: 'Max cycle (s)', num: true, title: 'Longest gap between two parts that still counts as running, in seconds; a longer gap is a stop', cell: (p) => p.maxCycleSeconds },
        { header: 'Stop classes (s)', title: 'Upper limits of the stop duration classes, in seconds', cell: (p) => p.stopBinsSeconds.join(', ') },
        { header: 'Availability loss (s)', num: true, title: 'Stops at least this long (in seconds) count against availability; shorter ones against performance', cell: (p) => p.availabilityLossSeconds },
        {
          header: 'Loading time',
          title: 'What the OEE figures are measured against: the planned shifts of the calendar, or the time from the first to the last part',
          cell: (p) => (p.basis === 'calendar' ? 'calendar' : 'first to last part'),
        },
        { header: 'Ideal rate (/min)', num: true, title: 'Parts per minute the machine makes at full speed', cell: (p) => p.idealRatePerMinute },
      ]}
      // built-in profiles are read-only; a change is signed, so there is no delete
      actions={(p, { edit }) =>
        canWrite && !p.builtin ? (
          <button type="button" className="button button-small" onClick={edit} data-testid={`edit-profile-${p.name}`}>
            Change…
          </button>
        ) : null
      }
      form={(props) => <ProfileForm {...props} />}
    />
  );
}
