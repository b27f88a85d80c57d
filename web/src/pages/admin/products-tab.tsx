// Products and their routings: the ordered steps a work order goes through, each on a process group
// at a standard rate with a setup time, optionally followed by a gate someone has to sign.
import { useRef, type FormEvent } from 'react';
import {
  productCreateSchema, productUpdateSchema, type ProcessGroup, type Product, type Role,
} from '../../../../src/features/plant/schemas.js';
import { ROLES } from '../../../../src/core/permissions.js';
import { createProduct, deleteProduct, getProduct, listProcessGroups, listProducts, updateProduct } from '../../api/plant.js';
import { useResource } from '../../hooks/use-resource.js';
import { Field, NumberField } from '../../components/field.js';
import { NumberReader, textOf, useNumberLocale, validated } from '../../lib/forms.js';
import { CrudTab, FormPanel, savedMessage, useDraftForm, type FormProps } from './crud-kit.js';

interface StepDraft {
  /** stable identity for React while steps move around */
  id: number;
  group: string;
  ratePerHour: string;
  setupMinutes: string;
  hasGate: boolean;
  gateName: string;
  gateHours: string;
  gateRole: Role;
}

interface Draft {
  key: string;
  name: string;
  shortName: string;
  itemNumber: string;
  color: string;
  /** changeover family; empty = the product is its own family */
  family: string;
  routing: StepDraft[];
}

const PRESET_COLOURS = ['#2f6fde', '#8e44ad', '#d35400', '#16a085', '#7a4b24', '#b7950b', '#2c3e50', '#e84393'];
const ROLE_LABELS: Record<Role, string> = {
  viewer: 'Viewer', operator: 'Operator', lead: 'Lead', planner: 'Planner', quality: 'Quality', manager: 'Manager', admin: 'Admin',
};

function draftOf(product: Product | undefined, groups: ProcessGroup[], nextId: () => number, locale: string): Draft {
  const steps: StepDraft[] = (product?.routing ?? []).map((step) => ({
    id: nextId(),
    group: step.group,
    ratePerHour: textOf(step.ratePerHour, locale),
    setupMinutes: textOf(step.setupMinutes, locale),
    hasGate: step.gate !== null,
    gateName: step.gate?.name ?? '',
    gateHours: textOf(step.gate?.hours, locale),
    gateRole: step.gate?.role ?? 'quality',
  }));
  return {
    key: product?.key ?? '',
    name: product?.name ?? '',
    shortName: product?.shortName ?? '',
    itemNumber: product?.itemNumber ?? '',
    color: product?.color ?? PRESET_COLOURS[0],
    family: product?.family ?? '',
    routing: steps.length ? steps : [newStep(groups, nextId())],
  };
}

function newStep(groups: ProcessGroup[], id: number): StepDraft {
  return { id, group: groups[0]?.key ?? '', ratePerHour: '', setupMinutes: '0', hasGate: false, gateName: 'QC release', gateHours: '24', gateRole: 'quality' };
}

function routingOf(draft: Draft, numbers: NumberReader) {
  return draft.routing.map((step, index) => ({
    group: step.group,
    ratePerHour: numbers.read(`routing.${index}.ratePerHour`, step.ratePerHour),
    setupMinutes: numbers.read(`routing.${index}.setupMinutes`, step.setupMinutes),
    gate: step.hasGate ? { name: step.gateName, hours: numbers.read(`routing.${index}.gate.hours`, step.gateHours), role: step.gateRole } : null,
  }));
}

/** the field path (under routing.N) of each draft key, so a change clears that field's message */
const STEP_FIELD: Record<Exclude<keyof StepDraft, 'id'>, string> = {
  group: 'group', ratePerHour: 'ratePerHour', setupMinutes: 'setupMinutes', hasGate: 'gate', gateName: 'gate.name', gateHours: 'gate.hours', gateRole: 'gate.role',
};

function RoutingEditor({ steps, groups, errors, setFieldError, locale, onChange, addStep }: {
  steps: StepDraft[];
  groups: ProcessGroup[];
  errors: Record<string, string>;
  setFieldError: (path: string, message: string | undefined) => void;
  locale: string;
  onChange: (steps: StepDraft[]) => void;
  addStep: () => void;
}) {
  const update = (index: number, patch: Partial<StepDraft>) => {
    onChange(steps.map((step, i) => (i === index ? { ...step, ...patch } : step)));
    for (const key of Object.keys(patch) as (keyof typeof STEP_FIELD)[]) setFieldError(`routing.${index}.${STEP_FIELD[key]}`, undefined);
  };
  const numberField = (index: number, key: 'ratePerHour' | 'setupMinutes' | 'gateHours', label: string, unit: string, testId: string) => (
    <NumberField
      label={label}
      name={`routing.${index}.${STEP_FIELD[key]}`}
      value={steps[index][key]}
      onChange={(text) => update(index, { [key]: text })}
      setError={(message) => setFieldError(`routing.${index}.${STEP_FIELD[key]}`, message)}
      error={errors[`routing.${index}.${STEP_FIELD[key]}`]}
      locale={locale}
      unit={unit}
      testId={`${testId}-${index}`}
    />
  );
  const move = (index: number, by: -1 | 1) => {
    const next = [...steps];
    const [step] = next.splice(index, 1);
    next.splice(index + by, 0, step);
    onChange(next);
  };
  const remove = (index: number) => onChange(steps.filter((_, i) => i !== index));
  const error = (index: number, field: string) => errors[`routing.${index}.${field}`];

  return (
    <fieldset className="routing" data-testid="routing-editor">
      <legend>Routing</legend>
      <p className="field-hint">Steps in the order a lot goes through them. A gate is a wait after the step until someone signs it off.</p>
      {errors.routing ? <p className="field-error" data-testid="field-error-routing">{errors.routing}</p> : null}
      <ol className="routing-steps">
        {steps.map((step, index) => (
          <li key={step.id} className="routing-step" data-testid={`step-${index}`}>
            <div className="step-head">
              <span className="step-number" aria-hidden="true">{index + 1}</span>
              <span className="step-title">Step {index + 1}</span>
              <div className="step-tools">
                <button type="button" className="icon-button" onClick={() => move(index, -1)} disabled={index === 0} aria-label={`Move step ${index + 1} up`} data-testid={`step-up-${index}`}>
                  ↑
                </button>
                <button type="button" className="icon-button" onClick={() => move(index, 1)} disabled={index === steps.length - 1} aria-label={`Move step ${index + 1} down`} data-testid={`step-down-${index}`}>
                  ↓
                </button>
                <button type="button" className="icon-button icon-danger" onClick={() => remove(index)} aria-label={`Remove step ${index + 1}`} data-testid={`step-remove-${index}`}>
                  ×
                </button>
              </div>
            </div>
            <div className="step-grid">
              <Field label="Process group" name={`routing.${index}.group`} error={error(index, 'group')} className="span-2">
                <select value={step.group} onChange={(e) => update(index, { group: e.target.value })} data-testid={`step-group-${index}`}>
                  {groups.map((group) => (
                    <option key={group.key} value={group.key}>
                      {group.name}
                    </option>
                  ))}
                </select>
              </Field>
              {numberField(index, 'ratePerHour', 'Rate (units/h)', 'units/h', 'step-rate')}
              {numberField(index, 'setupMinutes', 'Setup (min)', 'min', 'step-setup')}
            </div>
            <label className="toggle">
              <input type="checkbox" checked={step.hasGate} onChange={(e) => update(index, { hasGate: e.target.checked })} data-testid={`step-gate-${index}`} />
              <span>Gate after this step</span>
            </label>
            {step.hasGate ? (
              <div className="step-grid gate-grid">
                <Field label="Gate name" name={`routing.${index}.gate.name`} error={error(index, 'gate.name')} className="span-2">
                  <input value={step.gateName} onChange={(e) => update(index, { gateName: e.target.value })} data-testid={`step-gate-name-${index}`} />
                </Field>
                {numberField(index, 'gateHours', 'Hours', 'h', 'step-gate-hours')}
                <Field label="Signed by" name={`routing.${index}.gate.role`} error={error(index, 'gate.role')}>
                  <select value={step.gateRole} onChange={(e) => update(index, { gateRole: e.target.value as Role })} data-testid={`step-gate-role-${index}`}>
                    {ROLES.map((role) => (
                      <option key={role} value={role}>
                        {ROLE_LABELS[role]}
                      </option>
                    ))}
                  </select>
                </Field>
              </div>
            ) : null}
          </li>
        ))}
      </ol>
      <button type="button" className="button" onClick={addStep} disabled={steps.length >= 20 || groups.length === 0} data-testid="step-add">
        + Add step
      </button>
    </fieldset>
  );
}

function ProductForm({ existing, groups, onDone, onCancel }: FormProps<Product> & { groups: ProcessGroup[] }) {
  const stepIds = useRef(0);
  const nextId = () => ++stepIds.current;
  const locale = useNumberLocale();
  // a step's own fields clear their messages in the routing editor; adding or removing steps answers "add a step"
  const { draft, set, version, submit, reloadLatest } = useDraftForm({
    existing,
    draftOf: (product) => draftOf(product, groups, nextId, locale),
    isShownField: (path) => /^(key|name|shortName|itemNumber|color|family|routing)(\.|$)/.test(path),
    load: (product) => getProduct(product.key),
  });
  const done = (product: Product) => onDone(savedMessage('Product', product.name, !existing));

  const save = (event: FormEvent) => {
    event.preventDefault();
    const numbers = new NumberReader(locale);
    const fields = { name: draft.name, shortName: draft.shortName, itemNumber: draft.itemNumber.trim(), color: draft.color, family: draft.family.trim() === '' ? null : draft.family.trim(), routing: routingOf(draft, numbers) };
    if (existing) {
      const patch = validated(productUpdateSchema, { ...fields, version }, submit.setFieldErrors, numbers.errors);
      if (patch) void submit.run(async () => done(await updateProduct(existing.key, patch)));
    } else {
      const input = validated(productCreateSchema, { ...fields, key: draft.key }, submit.setFieldErrors, numbers.errors);
      if (input) void submit.run(async () => done(await createProduct(input)));
    }
  };

  const errors = submit.fieldErrors;
  return (
    <FormPanel
      formId="product-form"
      title={existing ? `Edit ${existing.name}` : 'New product'}
      entity="product"
      submitLabel={existing ? 'Save changes' : 'Create product'}
      busy={submit.busy}
      error={submit.formError}
      onReload={reloadLatest}
      onSubmit={save}
      onCancel={onCancel}
    >
      <div className="form-grid">
        <Field label="Key" name="key" error={errors.key} hint={existing ? 'The key cannot be changed.' : 'e.g. flu-ab'}>
          <input value={draft.key} onChange={(e) => set({ key: e.target.value })} disabled={Boolean(existing)} autoFocus={!existing} className="mono" data-testid="input-key" autoComplete="off" />
        </Field>
        <Field label="Item number" name="itemNumber" error={errors.itemNumber} hint="7 digits, as on the label">
          <input value={draft.itemNumber} onChange={(e) => set({ itemNumber: e.target.value })} inputMode="numeric" maxLength={7} className="mono" data-testid="input-itemNumber" />
        </Field>
        <Field label="Name" name="name" error={errors.name} className="span-2">
          <input value={draft.name} onChange={(e) => set({ name: e.target.value })} data-testid="input-name" />
        </Field>
        <Field label="Short name" name="shortName" error={errors.shortName} hint="Shown on the board's job blocks" className="span-2">
          <input value={draft.shortName} onChange={(e) => set({ shortName: e.target.value })} maxLength={40} data-testid="input-shortName" />
        </Field>
        <Field label="Family" name="family" error={errors.family} hint="Changeover family, e.g. flu; empty = its own family" className="span-2">
          <input value={draft.family} onChange={(e) => set({ family: e.target.value })} className="mono" placeholder={draft.key || 'own family'} data-testid="input-family" autoComplete="off" />
        </Field>
        <Field label="Colour" name="color" error={errors.color} hint="Colour of its jobs on the board" className="span-2">
          <div className="colour-picker">
            <input type="color" value={/^#[0-9a-fA-F]{6}$/.test(draft.color) ? draft.color : '#000000'} onChange={(e) => set({ color: e.target.value })} aria-label="Pick a colour" data-testid="input-color-picker" />
            <input value={draft.color} onChange={(e) => set({ color: e.target.value })} className="mono input-hex" aria-label="Colour as hex" data-testid="input-color" />
            <div className="swatches" role="group" aria-label="Preset colours">
              {PRESET_COLOURS.map((colour) => (
                <button key={colour} type="button" className={`swatch${draft.color.toLowerCase() === colour ? ' swatch-selected' : ''}`} style={{ background: colour }} onClick={() => set({ color: colour })} aria-label={`Use colour ${colour}`} />
              ))}
            </div>
          </div>
        </Field>
      </div>
      <RoutingEditor
        steps={draft.routing}
        groups={groups}
        errors={errors}
        setFieldError={submit.setFieldError}
        locale={locale}
        onChange={(routing) => set({ routing })}
        addStep={() => set({ routing: [...draft.routing, newStep(groups, nextId())] })}
      />
    </FormPanel>
  );
}

function RoutingSummary({ product, groupName }: { product: Product; groupName: (key: string) => string }) {
  return (
    <ol className="routing-summary">
      {product.routing.map((step, index) => (
        <li key={index}>
          <span className="chip">
            {groupName(step.group)} <span className="chip-detail">{step.ratePerHour.toLocaleString('en-US')}/h</span>
          </span>
          {step.gate ? <span className="chip chip-gate">{step.gate.name} · {step.gate.hours} h</span> : null}
        </li>
      ))}
    </ol>
  );
}

async function loadProductsAndGroups() {
  const [products, groups] = await Promise.all([listProducts(), listProcessGroups()]);
  return { products, groups };
}

export function ProductsTab() {
  const plant = useResource(loadProductsAndGroups, [], ['plant']);
  const groupName = (key: string) => plant.data?.groups.find((g) => g.key === key)?.name ?? key;
  return (
    <CrudTab<Product>
      testId="admin-products"
      noun="product"
      resource={plant}
      rows={plant.data?.products}
      rowKey={(product) => product.key}
      rowTestId={(product) => `row-${product.key}`}
      create={{ label: 'New product', testId: 'create-product', disabled: !plant.data || plant.data.groups.length === 0 }}
      empty={{ title: 'No products yet', body: <p>Add products with their item number, colour and routing.</p> }}
      columns={[
        {
          header: 'Product',
          cell: (product) => (
            <div className="product-cell">
              <span className="colour-dot" style={{ background: product.color }} aria-hidden="true" />
              <div>
                <div className="strong">{product.name}</div>
                <div className="muted small">{product.shortName}</div>
              </div>
            </div>
          ),
        },
        { header: 'Key', className: 'mono', cell: (product) => product.key },
        { header: 'Item number', className: 'mono', cell: (product) => product.itemNumber },
        { header: 'Family', className: 'mono', cell: (product) => product.family ?? <span className="muted">{product.key}</span> },
        { header: 'Routing', cell: (product) => <RoutingSummary product={product} groupName={groupName} /> },
      ]}
      form={(props) => (plant.data ? <ProductForm {...props} groups={plant.data.groups} /> : null)}
      remove={{
        title: 'Delete product?',
        confirmLabel: 'Delete product',
        run: (product, reason) => deleteProduct(product.key, product.version, reason),
        done: (product) => `Product ${product.name} deleted`,
        question: (product) => (
          <>
            Delete <strong>{product.name}</strong> (<span className="mono">{product.key}</span>, item {product.itemNumber})? This cannot be undone.
          </>
        ),
      }}
    />
  );
}
