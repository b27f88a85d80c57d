// Alert rules: list, create, edit, delete (every change audited by the server).
import type { FormEvent } from 'react';
import { ALERT_KINDS, alertRuleInputSchema, type AlertKind } from '../../../../src/core/alerts/index.js';
import type { AlertRuleView } from '../../../../src/features/alerts/schemas.js';
import { createAlertRule, deleteAlertRule, getAlertRule, listAlertRules, updateAlertRule } from '../../api/alerts.js';
import { useResource } from '../../hooks/use-resource.js';
import { Field } from '../../components/field.js';
import { validated } from '../../lib/forms.js';
import { CrudTab, FormPanel, useDraftForm, type FormProps } from './crud-kit.js';

const KIND_LABELS: Record<AlertKind, string> = {
  stopped: 'Stopped longer than N min (working time)',
  'rate-below': 'Rate below X % of standard for N min',
  late: 'Recommended finish after the due date',
  'no-data': 'No data for N min (working time)',
  'gate-waiting': 'QC gate waiting for its signature longer than N h',
  spc: 'Control-chart rule broken on a measurement channel (held N min)',
  maintenance: 'Maintenance suggested by a drift in stops or a channel (held N min)',
};

const FIELDS = new Set(['kind', 'scope', 'scopeKey', 'minutes', 'hours', 'percent', 'clearMinutes', 'capPerHour', 'role']);

const draftOf = (rule?: AlertRuleView) => ({
  kind: (rule?.kind ?? 'stopped') as AlertKind,
  scope: rule?.scope ?? ('machine' as 'machine' | 'group'),
  scopeKey: rule?.scopeKey ?? '',
  minutes: rule ? String(rule.kind === 'gate-waiting' ? rule.minutes / 60 : rule.minutes) : '10',
  percent: rule?.percent === null || rule?.percent === undefined ? '' : String(rule.percent),
  clearMinutes: String(rule?.clearMinutes ?? 2),
  capPerHour: String(rule?.capPerHour ?? 4),
  role: rule?.role ?? '',
  enabled: rule?.enabled ?? true,
});

const num = (text: string) => (text.trim() === '' ? undefined : Number(text));

function RuleForm({ existing, onDone, onCancel }: FormProps<AlertRuleView>) {
  const { draft, set, version, submit, reloadLatest } = useDraftForm({ existing, draftOf, isShownField: (p) => FIELDS.has(p), load: (rule) => getAlertRule(rule.id) });
  const gate = draft.kind === 'gate-waiting';
  const save = (event: FormEvent) => {
    event.preventDefault();
    const input = validated(
      alertRuleInputSchema,
      {
        kind: draft.kind, scope: draft.scope, scopeKey: draft.scopeKey, ...(gate ? { hours: num(draft.minutes) } : { minutes: num(draft.minutes) }),
        percent: num(draft.percent), clearMinutes: num(draft.clearMinutes), capPerHour: num(draft.capPerHour), role: draft.role || null, enabled: draft.enabled,
      },
      submit.setFieldErrors,
    );
    if (!input) return;
    const done = (rule: AlertRuleView) => onDone(`Alert rule ${rule.id} ${existing ? 'saved' : 'created'}`);
    void submit.run(async () => done(existing ? await updateAlertRule(existing.id, input, version ?? existing.version) : await createAlertRule(input)));
  };
  return (
    <FormPanel formId="alert-rule-form" title={existing ? `Edit alert rule ${existing.id}` : 'New alert rule'} entity="alert rule" submitLabel={existing ? 'Save changes' : 'Create rule'}
      busy={submit.busy} error={submit.formError} onReload={reloadLatest} onSubmit={save} onCancel={onCancel}>
      <Field label="When" name="kind" error={submit.fieldErrors.kind}>
        <select value={draft.kind} onChange={(e) => set({ kind: e.target.value as AlertKind })} data-testid="input-kind">
          {ALERT_KINDS.map((k) => (
            <option key={k} value={k}>{KIND_LABELS[k]}</option>
          ))}
        </select>
      </Field>
      <Field label="For" name="scope" error={submit.fieldErrors.scope}>
        <select value={draft.scope} onChange={(e) => set({ scope: e.target.value as 'machine' | 'group' })} data-testid="input-scope">
          <option value="machine">A machine</option>
          <option value="group">A process group</option>
        </select>
      </Field>
      <Field label={draft.scope === 'machine' ? 'Machine key' : 'Process group key'} name="scopeKey" error={submit.fieldErrors.scopeKey}>
        <input value={draft.scopeKey} onChange={(e) => set({ scopeKey: e.target.value })} className="mono" data-testid="input-scopeKey" />
      </Field>
      {draft.kind !== 'late' ? (
        <Field label={gate ? 'Hours' : 'Minutes'} name={gate ? 'hours' : 'minutes'} error={gate ? submit.fieldErrors.hours : submit.fieldErrors.minutes}>
          <input value={draft.minutes} onChange={(e) => set({ minutes: e.target.value })} inputMode="decimal" className="input-short" data-testid="input-minutes" />
        </Field>
      ) : null}
      {draft.kind === 'rate-below' ? (
        <Field label="% of standard" name="percent" error={submit.fieldErrors.percent}>
          <input value={draft.percent} onChange={(e) => set({ percent: e.target.value })} inputMode="decimal" className="input-short" data-testid="input-percent" />
        </Field>
      ) : null}
      <Field label="Clear for (min) before resolved" name="clearMinutes" error={submit.fieldErrors.clearMinutes} hint="Hysteresis: a line that starts and stops again at once keeps one alert.">
        <input value={draft.clearMinutes} onChange={(e) => set({ clearMinutes: e.target.value })} inputMode="decimal" className="input-short" data-testid="input-clearMinutes" />
      </Field>
      <Field label="Mails per hour at most" name="capPerHour" error={submit.fieldErrors.capPerHour}>
        <input value={draft.capPerHour} onChange={(e) => set({ capPerHour: e.target.value })} inputMode="numeric" className="input-short" data-testid="input-capPerHour" />
      </Field>
      <Field label="Also mail users subscribed by role" name="role" error={submit.fieldErrors.role}>
        <input value={draft.role} onChange={(e) => set({ role: e.target.value })} placeholder="e.g. quality" data-testid="input-role" />
      </Field>
      <label className="checkbox">
        <input type="checkbox" checked={draft.enabled} onChange={(e) => set({ enabled: e.target.checked })} data-testid="input-enabled" /> Enabled
      </label>
    </FormPanel>
  );
}

export function AlertRulesTab() {
  const rules = useResource(listAlertRules, [], ['alerts']);
  return (
    <CrudTab<AlertRuleView>
      testId="admin-alert-rules"
      noun="alert rule"
      resource={rules}
      rows={rules.data}
      rowKey={(rule) => rule.id}
      rowTestId={(rule) => `row-rule-${rule.id}`}
      create={{ label: 'New alert rule', testId: 'create-alert-rule' }}
      empty={{ title: 'No alert rules yet', body: <p>A rule raises an alert when a machine stops, runs slow, has no data, a lot runs late or a QC gate waits.</p> }}
      columns={[
        { header: 'When', className: 'strong', cell: (rule) => KIND_LABELS[rule.kind] },
        { header: 'For', cell: (rule) => `${rule.scope} ${rule.scopeKey}` },
        { header: 'Threshold', num: true, cell: (rule) => (rule.kind === 'gate-waiting' ? `${rule.minutes / 60} h` : rule.kind === 'late' ? '–' : `${rule.minutes} min${rule.percent !== null ? ` < ${rule.percent} %` : ''}`) },
        { header: 'Cap / h', num: true, cell: (rule) => rule.capPerHour },
        { header: 'Enabled', cell: (rule) => (rule.enabled ? 'yes' : 'no') },
      ]}
      form={(props) => <RuleForm {...props} />}
      remove={{
        title: 'Delete alert rule?',
        confirmLabel: 'Delete rule',
        run: (rule) => deleteAlertRule(rule.id),
        done: (rule) => `Alert rule ${rule.id} deleted`,
        question: (rule) => <>Delete the rule “{KIND_LABELS[rule.kind]}” for {rule.scope} <span className="mono">{rule.scopeKey}</span>? Its past alerts stay in the history.</>,
      }}
    />
  );
}
