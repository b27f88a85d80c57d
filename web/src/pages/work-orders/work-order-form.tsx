// Create or edit a work order. Checked with the shared zod schemas before it is sent; the server's
// field errors land on the fields; a stale edit (someone saved meanwhile) says so and offers the
// latest version.
import { useState } from 'react';
import type { Product } from '../../../../src/features/plant/schemas.js';
import { workOrderCreateSchema, workOrderUpdateSchema } from '../../../../src/features/orders/schemas.js';
import { ApiError } from '../../api/client.js';
import { createWorkOrder, getWorkOrder, updateWorkOrder, type WorkOrder } from '../../api/orders.js';
import { Modal } from '../../components/dialogs.js';
import { ErrorBanner } from '../../components/feedback.js';
import { Field, NumberField } from '../../components/field.js';
import { REASON_MISSING, ReasonField } from '../../components/reason-dialog.js';
import { NumberReader, numberProblem, textOf, useNumberLocale, useSubmit, validated } from '../../lib/forms.js';
import { plantDate } from './format.js';
import { PromiseHint } from './promise-hint.js';

interface Draft {
  lot: string;
  product: string;
  quantity: string;
  due: string;
  priority: string;
  rateMode: '' | 'standard' | 'observed' | 'recommended';
  notes: string;
  /** asked only when the order is a signed record (a signature or a released gate) */
  reason: string;
}

const SHOWN_FIELDS = new Set(['lot', 'product', 'quantity', 'due', 'priority', 'rateMode', 'notes', 'reason']);

function draftOf(wo: WorkOrder | undefined, zone: string, products: Product[], locale: string): Draft {
  if (!wo) return { lot: '', product: products[0]?.key ?? '', quantity: '', due: '', priority: '0', rateMode: '', notes: '', reason: '' };
  return {
    lot: wo.lot,
    product: wo.product,
    quantity: textOf(wo.quantity, locale),
    due: plantDate(wo.due, zone),
    priority: textOf(wo.priority, locale),
    rateMode: wo.rateMode ?? '',
    notes: wo.notes,
    reason: '',
  };
}

/** The quantity typed so far as a number for the promise, or null while it is not one yet. */
function promiseQuantity(text: string, locale: string): number | null {
  if (text.trim() === '' || numberProblem(text, locale, { integer: true })) return null;
  return new NumberReader(locale).read('quantity', text, { integer: true }) ?? null;
}

export function WorkOrderForm({ workOrder, products, zone, onClose, onSaved }: {
  /** the order to edit; none to create one */
  workOrder?: WorkOrder;
  products: Product[];
  zone: string;
  onClose: () => void;
  onSaved: (saved: WorkOrder, created: boolean) => void;
}) {
  const locale = useNumberLocale();
  const [base, setBase] = useState(workOrder);
  const [draft, setDraft] = useState<Draft>(() => draftOf(workOrder, zone, products, locale));
  const [stale, setStale] = useState(false);
  const submit = useSubmit((path) => SHOWN_FIELDS.has(path));
  const editing = base !== undefined;
  // a field's message goes as soon as the user changes that field
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    submit.setFieldError(key, undefined);
  };
  const fieldError = (key: keyof Draft) => (message: string | undefined) => submit.setFieldError(key, message);

  // checked before anything is sent (useSubmit clears field errors when its action succeeds)
  const save = () => {
    setStale(false);
    const numbers = new NumberReader(locale);
    const common = {
      product: draft.product,
      quantity: numbers.read('quantity', draft.quantity, { integer: true }),
      due: draft.due === '' ? null : draft.due,
      priority: numbers.read('priority', draft.priority, { integer: true }) ?? 0,
      notes: draft.notes,
      rateMode: draft.rateMode === '' ? null : draft.rateMode,
    };
    if (!base) {
      const input = validated(workOrderCreateSchema, { lot: draft.lot, ...common }, submit.setFieldErrors, numbers.errors);
      if (!input) return;
      void submit.run(async () => {
        try {
          onSaved(await createWorkOrder(input), true);
        } catch (error) {
          // "work order '159070' already exists" is about the lot the user typed: show it there
          if (error instanceof ApiError && error.isConflict && Object.keys(error.fields).length === 0) {
            throw new ApiError(error.message, error.status, error.code, { lot: `${error.message}; choose another lot number or edit that order` });
          }
          throw error;
        }
      });
      return;
    }
    // Every field is sent, not only the changed ones: the shared update schema fills omitted fields
    // with the create defaults (due null, notes ''), which would wipe them. An untouched due date
    // goes back as the stored instant, so "end of day" is not re-derived from the date shown.
    const original = draftOf(base, zone, products, locale);
    const reason = draft.reason.trim();
    const patch = { ...common, due: draft.due === original.due ? base.due : common.due, version: base.version, reason: reason === '' ? undefined : reason };
    const missingReason: Record<string, string> = base.signed && reason === '' ? { reason: REASON_MISSING } : {};
    const input = validated(workOrderUpdateSchema, patch, submit.setFieldErrors, { ...numbers.errors, ...missingReason });
    if (!input) return;
    void submit.run(async () => {
      try {
        onSaved(await updateWorkOrder(base.lot, input), false);
      } catch (error) {
        if (error instanceof ApiError && error.isStale) {
          setStale(true);
          return;
        }
        throw error;
      }
    });
  };

  const reloadLatest = async () => {
    if (!base) return;
    await submit.run(async () => {
      const latest = await getWorkOrder(base.lot);
      setBase(latest);
      setDraft(draftOf(latest, zone, products, locale));
      setStale(false);
    });
  };

  const errors = submit.fieldErrors;
  // a form with a message on one of its fields is not sent until that field is corrected
  const blocked = Object.keys(errors).some((path) => SHOWN_FIELDS.has(path));
  return (
    <Modal
      title={editing ? `Edit lot ${base.lot}` : 'New work order'}
      onClose={onClose}
      closeable={!submit.busy}
      wide
      testId="wo-form"
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={submit.busy}>
            Cancel
          </button>
          <button type="submit" form="wo-form" className="button button-primary" disabled={submit.busy || stale || blocked} data-testid="wo-save">
            {submit.busy ? <span className="spinner spinner-small" aria-hidden="true" /> : null}
            {editing ? 'Save changes' : 'Create work order'}
          </button>
        </>
      }
    >
      <form
        id="wo-form"
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        {stale ? (
          <ErrorBanner
            testId="wo-stale"
            message={`Someone else saved lot ${base?.lot} while you were editing. Load their version, then make your change again.`}
            action={
              <button type="button" className="button" onClick={() => void reloadLatest()} data-testid="wo-reload-latest">
                Load latest
              </button>
            }
          />
        ) : null}
        {submit.formError ? <ErrorBanner message={submit.formError.message} testId="wo-form-error" /> : null}
        <div className="form-grid">
          <Field label="Lot" name="lot" error={errors.lot} hint={editing ? 'The lot number cannot change.' : 'As printed on the traveller, e.g. 159070 (leading zeros are kept).'}>
            <input value={draft.lot} onChange={(e) => set('lot', e.target.value)} disabled={editing} autoFocus={!editing} data-testid="wo-lot" inputMode="text" autoComplete="off" />
          </Field>
          <Field label="Product" name="product" error={errors.product}>
            <select value={draft.product} onChange={(e) => set('product', e.target.value)} data-testid="wo-product">
              {products.length === 0 ? <option value="">No products yet</option> : null}
              {products.map((p) => (
                <option key={p.key} value={p.key}>
                  {p.name} ({p.itemNumber})
                </option>
              ))}
            </select>
          </Field>
          <NumberField
            label="Quantity"
            name="quantity"
            value={draft.quantity}
            onChange={(text) => set('quantity', text)}
            setError={fieldError('quantity')}
            error={errors.quantity}
            hint="Pieces to make."
            locale={locale}
            integer
            unit="pieces"
            testId="wo-quantity"
          />
          {editing ? null : <PromiseHint product={draft.product} quantity={promiseQuantity(draft.quantity, locale)} zone={zone} />}
          <Field label="Due" name="due" error={errors.due} hint="End of that day, plant time. Leave empty if there is none.">
            <input type="date" value={draft.due} onChange={(e) => set('due', e.target.value)} data-testid="wo-due" />
          </Field>
          <Field label="Priority" name="priority" error={errors.priority} hint="0 (normal) to 9 (most urgent).">
            <input
              value={draft.priority}
              onChange={(e) => set('priority', e.target.value)}
              onBlur={(e) => {
                const problem = numberProblem(e.target.value, locale, { integer: true });
                if (problem) submit.setFieldError('priority', problem);
              }}
              inputMode="numeric"
              data-testid="wo-priority"
            />
          </Field>
          <Field label="Forecast rate" name="rateMode" error={errors.rateMode} hint="Observed extrapolates from the last hours' counts.">
            <select value={draft.rateMode} onChange={(e) => set('rateMode', e.target.value as Draft['rateMode'])} data-testid="wo-rate-mode">
              <option value="">Site default</option>
              <option value="standard">Standard rate</option>
              <option value="observed">Observed rate</option>
              <option value="recommended">Recommended (learned) rate</option>
            </select>
          </Field>
          <Field label="Notes" name="notes" error={errors.notes} className="span-2">
            <textarea value={draft.notes} onChange={(e) => set('notes', e.target.value)} rows={3} data-testid="wo-notes" />
          </Field>
          {base?.signed ? (
            <div className="span-2">
              <ReasonField
                value={draft.reason}
                onChange={(text) => set('reason', text)}
                required
                error={errors.reason}
                hint="This order is signed or released: say why it changes. Kept in the audit trail."
                testId="wo-reason"
              />
            </div>
          ) : null}
        </div>
      </form>
    </Modal>
  );
}
