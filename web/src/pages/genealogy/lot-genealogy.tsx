// The genealogy of one lot in its work-order panel: which lots its kitting consumed (entered, or
// derived from the routing — marked as such) and which kit lots its output went into; operators
// (own lines) and leads record what a kit lot consumed. Links lead to the Trace page.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ApiError, errorMessage, type FieldErrors } from '../../api/client.js';
import { clearConsumption, getConsumption, recordConsumption, tracePage, type Consumption, type TraceLink, type TraceNode } from '../../api/genealogy.js';
import { useAuth } from '../../auth/auth.js';
import { ErrorBanner, LoadFailed, Spinner } from '../../components/feedback.js';
import { useToast } from '../../components/toasts.js';
import { useResource } from '../../hooks/use-resource.js';
import { formatQuantity } from '../work-orders/format.js';
import './genealogy.css';

const nodeOf = (nodes: readonly TraceNode[], lot: string, step: number) => nodes.find((n) => n.lot === lot && n.step === step);

function LinkLine({ link, other, nodes, testId }: { link: TraceLink; other: 'consumed' | 'kit'; nodes: readonly TraceNode[]; testId: string }) {
  const lot = other === 'consumed' ? link.consumedLot : link.kitLot;
  const node = nodeOf(nodes, lot, other === 'consumed' ? link.consumedStep : link.kitStep);
  return (
    <li className="gn-link" data-testid={testId}>
      <Link to={tracePage(lot, other === 'consumed' ? 'forward' : 'backward')} className="gn-lot mono" data-testid={`${testId}-trace`}>
        {lot}
      </Link>
      <span className="gn-product">{node?.productName ?? 'no such work order'}</span>
      <span className="gn-qty mono">{formatQuantity(link.quantity)}</span>
      <span className="muted small">{node?.machineName ?? ''}</span>
      {link.derived ? (
        <span className="badge badge-muted gn-derived" title="From the routing: this lot's own pouching step feeds its kitting step (good count less what other kit lots took)">
          derived from routing
        </span>
      ) : (
        <span className="badge badge-ok">entered{link.enteredBy ? ` by ${link.enteredBy}` : ''}</span>
      )}
    </li>
  );
}

interface Row {
  lot: string;
  quantity: string;
}

export function LotGenealogy({ lot, version, onChanged }: { lot: string; version: number; onChanged: () => void }) {
  const auth = useAuth();
  const data = useResource(() => getConsumption(lot), [lot, version], ['schedule', 'production']);
  const [editing, setEditing] = useState<Row[] | null>(null);
  const current = data.data?.lot === lot ? data.data : undefined;

  return (
    <section aria-labelledby="gn-title" data-testid="gn-section" className="gn-section">
      <h3 id="gn-title" className="wo-section-title">
        Genealogy
      </h3>
      {data.error && !current ? <LoadFailed error={data.error} onRetry={data.reload} /> : null}
      {!current ? (
        data.error ? null : <Spinner inline />
      ) : (
        <>
          {current.kitStep !== null ? (
            <div className="gn-block">
              <div className="gn-block-head">
                <strong>Consumed lots</strong>
                <span className="muted small" data-testid="gn-source">
                  {current.entered ? `entered by ${current.updatedBy}` : current.derivable ? 'derived from the routing' : 'not recorded yet'}
                </span>
              </div>
              {editing ? (
                <ConsumptionForm lot={lot} current={current} rows={editing} setRows={setEditing} onSaved={() => { setEditing(null); void data.reload(); onChanged(); }} />
              ) : (
                <>
                  <Links links={current.backward.links.filter((l) => l.depth === 1)} other="consumed" nodes={current.backward.nodes} prefix="gn-in" empty="Nothing recorded yet." />
                  {auth.can('production:report') ? (
                    <div className="button-row">
                      <button
                        type="button"
                        className="button button-small"
                        data-testid="gn-edit"
                        onClick={() => setEditing(current.backward.links.filter((l) => l.depth === 1).map((l) => ({ lot: l.consumedLot, quantity: String(l.quantity) })))}
                      >
                        Record consumed lots
                      </button>
                      {current.entered && current.derivable ? <ClearButton lot={lot} version={current.version} onCleared={() => { void data.reload(); onChanged(); }} /> : null}
                    </div>
                  ) : null}
                </>
              )}
            </div>
          ) : null}
          <div className="gn-block">
            <div className="gn-block-head">
              <strong>Went into</strong>
            </div>
            <Links links={current.forward.links.filter((l) => l.depth === 1)} other="kit" nodes={current.forward.nodes} prefix="gn-out" empty="No kit lot contains this lot yet." />
          </div>
          <Link to={tracePage(lot, current.kitStep !== null && current.forward.links.length === 0 ? 'backward' : 'forward')} className="gn-open-trace" data-testid="gn-open-trace">
            Open the full trace of lot {lot} →
          </Link>
        </>
      )}
    </section>
  );
}

function Links({ links, other, nodes, prefix, empty }: { links: TraceLink[]; other: 'consumed' | 'kit'; nodes: readonly TraceNode[]; prefix: string; empty: string }) {
  if (links.length === 0) return <p className="muted small" data-testid={`${prefix}-none`}>{empty}</p>;
  return (
    <ul className="gn-links">
      {links.map((link) => {
        const lot = other === 'consumed' ? link.consumedLot : link.kitLot;
        return <LinkLine key={`${link.consumedLot}/${link.consumedStep}/${link.kitLot}`} link={link} other={other} nodes={nodes} testId={`${prefix}-${lot}`} />;
      })}
    </ul>
  );
}

function ClearButton({ lot, version, onCleared }: { lot: string; version: number; onCleared: () => void }) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className="button button-small"
      disabled={busy}
      data-testid="gn-clear"
      onClick={async () => {
        setBusy(true);
        try {
          await clearConsumption(lot, version);
          toast.success(`Lot ${lot}: back to the consumption derived from the routing`);
          onCleared();
        } catch (error) {
          toast.error(errorMessage(error));
        } finally {
          setBusy(false);
        }
      }}
    >
      Use the derived link
    </button>
  );
}

function ConsumptionForm({ lot, current, rows, setRows, onSaved }: { lot: string; current: Consumption; rows: Row[]; setRows: (rows: Row[] | null) => void; onSaved: () => void }) {
  const toast = useToast();
  const [fields, setFields] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const change = (index: number, patch: Partial<Row>) => setRows(rows.map((r, i) => (i === index ? { ...r, ...patch } : r)));

  const save = async () => {
    setSaving(true);
    setFields({});
    setProblem(null);
    try {
      await recordConsumption(lot, { version: current.version, lots: rows.map((r) => ({ lot: r.lot.trim(), quantity: Number(r.quantity.replace(/[ ,]/g, '')) })) });
      toast.success(`Lot ${lot}: consumed lots recorded`);
      onSaved();
    } catch (error) {
      if (error instanceof ApiError) {
        setFields(error.fields);
        setProblem(error.isStale ? 'Someone changed this lot’s consumption meanwhile: cancel and look at the latest before saving again.' : Object.keys(error.fields).length > 0 ? null : error.message);
      } else setProblem(errorMessage(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="gn-form" data-testid="gn-form" onSubmit={(e) => { e.preventDefault(); void save(); }}>
      {problem ? <ErrorBanner message={problem} testId="gn-form-error" /> : null}
      {fields.lots ? <p className="field-error" data-testid="field-error-lots">{fields.lots}</p> : null}
      {rows.map((row, i) => (
        <div className="gn-form-row" key={i}>
          <label>
            <span className="small muted">Lot</span>
            <input value={row.lot} onChange={(e) => change(i, { lot: e.target.value })} aria-invalid={fields[`lots.${i}.lot`] ? true : undefined} data-testid={`gn-row-lot-${i}`} />
            {fields[`lots.${i}.lot`] ? <span className="field-error" data-testid={`field-error-lots.${i}.lot`}>{fields[`lots.${i}.lot`]}</span> : null}
          </label>
          <label>
            <span className="small muted">Quantity</span>
            <input inputMode="numeric" value={row.quantity} onChange={(e) => change(i, { quantity: e.target.value })} aria-invalid={fields[`lots.${i}.quantity`] ? true : undefined} data-testid={`gn-row-quantity-${i}`} />
            {fields[`lots.${i}.quantity`] ? <span className="field-error" data-testid={`field-error-lots.${i}.quantity`}>{fields[`lots.${i}.quantity`]}</span> : null}
          </label>
          <button type="button" className="link-button" onClick={() => setRows(rows.filter((_, j) => j !== i))} aria-label={`Remove line ${i + 1}`} data-testid={`gn-row-remove-${i}`}>
            Remove
          </button>
        </div>
      ))}
      <div className="button-row">
        <button type="button" className="button button-small" onClick={() => setRows([...rows, { lot: '', quantity: '' }])} data-testid="gn-row-add">
          Add a lot
        </button>
        <button type="submit" className="button button-primary button-small" disabled={saving || rows.length === 0} data-testid="gn-save">
          Save
        </button>
        <button type="button" className="button button-small" onClick={() => setRows(null)} data-testid="gn-cancel">
          Cancel
        </button>
      </div>
    </form>
  );
}
