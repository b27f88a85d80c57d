// The Trace page (/trace/:lot): for a recall, where a lot went (forward: every kit lot containing it,
// at every depth) or what is in it (backward: every consumed lot with quantity, machine, dates and
// QC release), with .xlsx / CSV / JSON exports. Reached from a work order's panel, from the audit
// page and by lot search here — not from the header (it is full).
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { getTrace, traceExportUrl, tracePage, workOrderPage, type Trace, type TraceDirection, type TraceNode } from '../../api/genealogy.js';
import { ApiError } from '../../api/client.js';
import { EmptyState, ErrorBanner, LoadFailed, Spinner } from '../../components/feedback.js';
import { useResource } from '../../hooks/use-resource.js';
import { formatQuantity } from '../work-orders/format.js';
import './genealogy.css';

const DIRECTIONS: { key: TraceDirection; label: string; question: (lot: string) => string }[] = [
  { key: 'forward', label: 'Forward', question: (lot) => `Which kit lots contain lot ${lot}?` },
  { key: 'backward', label: 'Backward', question: (lot) => `Which lots are in lot ${lot}?` },
];

/** "2026-12-01 14:03 −08:00": plant time with its offset, as the exports write it. */
const when = (iso: string | null) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} ${iso.slice(19)}` : '—');

export function TracePage() {
  const { lot = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const direction: TraceDirection = params.get('direction') === 'backward' ? 'backward' : 'forward';
  const navigate = useNavigate();
  const [search, setSearch] = useState(lot);
  useEffect(() => setSearch(lot), [lot]);
  const go = (e: FormEvent) => {
    e.preventDefault();
    const wanted = search.trim();
    if (wanted) navigate(tracePage(wanted, direction));
  };

  return (
    <section className="page gn-page" data-testid="page-trace">
      <div className="page-header">
        <h1>Trace{lot ? ` · lot ${lot}` : ''}</h1>
        {lot ? (
          <div className="page-actions">
            {(['xlsx', 'csv', 'json'] as const).map((format) => (
              <a key={format} className="button" href={traceExportUrl(lot, direction, format)} download data-testid={`gn-export-${format}`}>
                Export {format === 'xlsx' ? '.xlsx' : format.toUpperCase()}
              </a>
            ))}
          </div>
        ) : null}
      </div>
      <form className="gn-search" onSubmit={go} role="search">
        <label htmlFor="gn-search-lot">Lot</label>
        <input id="gn-search-lot" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="e.g. 159070" data-testid="gn-search" />
        <button type="submit" className="button button-primary" data-testid="gn-search-go">
          Trace
        </button>
        <div className="gn-directions" role="group" aria-label="Direction">
          {DIRECTIONS.map((d) => (
            <button
              key={d.key}
              type="button"
              className={`button${d.key === direction ? ' button-primary' : ''}`}
              aria-pressed={d.key === direction}
              onClick={() => setParams({ direction: d.key }, { replace: true })}
              data-testid={`gn-direction-${d.key}`}
            >
              {d.label}
            </button>
          ))}
        </div>
      </form>
      {lot ? <TraceResult lot={lot} direction={direction} /> : <EmptyState title="Trace a lot">Enter a pouch lot to see every kit lot that contains it, or a kit lot to see what went into it.</EmptyState>}
    </section>
  );
}

function TraceResult({ lot, direction }: { lot: string; direction: TraceDirection }) {
  const trace = useResource(() => getTrace(lot, direction), [lot, direction], ['schedule']);
  const current = trace.data && trace.data.lots[0] === lot && trace.data.direction === direction ? trace.data : undefined;
  const question = DIRECTIONS.find((d) => d.key === direction)!.question(lot);
  if (trace.error instanceof ApiError && trace.error.status === 404) return <ErrorBanner message={`There is no lot ${lot}: check the number (leading zeros count).`} testId="gn-not-found" />;
  if (trace.error && !current) return <LoadFailed error={trace.error} onRetry={trace.reload} />;
  if (!current) return <Spinner label={`Tracing lot ${lot}…`} />;
  return (
    <>
      <p className="gn-question">
        <strong>{question}</strong>{' '}
        <span className="muted" data-testid="gn-summary">
          {summary(current)} · <Link to={workOrderPage(lot)} data-testid="gn-work-order">work order {lot}</Link>
        </span>
      </p>
      {current.links.length === 0 ? (
        <EmptyState title={direction === 'forward' ? 'No kit lot contains this lot yet' : 'This lot consumed no other lot'} testId="gn-empty" />
      ) : (
        <TraceTable trace={current} />
      )}
    </>
  );
}

function summary(trace: Trace): string {
  const far = trace.direction === 'forward' ? new Set(trace.links.map((l) => l.kitLot)) : new Set(trace.links.map((l) => l.consumedLot));
  const depth = Math.max(0, ...trace.links.map((l) => l.depth));
  return `${far.size} lot${far.size === 1 ? '' : 's'}, ${depth} level${depth === 1 ? '' : 's'} · times in ${trace.zone}`;
}

function TraceTable({ trace }: { trace: Trace }) {
  const node = (lot: string, step: number): TraceNode | undefined => trace.nodes.find((n) => n.lot === lot && n.step === step);
  const forward = trace.direction === 'forward';
  return (
    <div className="table-wrap">
      <table className="table gn-table" data-testid="gn-table">
        <thead>
          <tr>
            <th>Level</th>
            <th>{forward ? 'Kit lot' : 'Consumed lot'}</th>
            <th>Product</th>
            <th className="num">Quantity</th>
            <th>{forward ? 'From lot' : 'Into lot'}</th>
            <th>Machine</th>
            <th>Ran (start – end)</th>
            <th>QC release of the consumed lot</th>
            <th>Link</th>
          </tr>
        </thead>
        <tbody>
          {trace.links.map((link, i) => {
            const far = forward ? node(link.kitLot, link.kitStep) : node(link.consumedLot, link.consumedStep);
            const farLot = forward ? link.kitLot : link.consumedLot;
            const nearLot = forward ? link.consumedLot : link.kitLot;
            const release = node(link.consumedLot, link.consumedStep)?.release;
            return (
              <tr key={i} data-testid={`gn-row-${farLot}`}>
                <td>
                  <span className="gn-depth" style={{ paddingLeft: `${(link.depth - 1) * 1.1}rem` }}>
                    {link.depth}
                  </span>
                </td>
                <td className="mono">
                  <Link to={tracePage(farLot, trace.direction)} data-testid={`gn-row-${farLot}-trace`}>
                    {farLot}
                  </Link>
                  {link.kitLot === link.consumedLot ? <div className="muted small gn-own">its own kitting</div> : null}
                </td>
                <td>{far?.productName ?? <span className="muted">no such work order</span>}</td>
                <td className="num mono">{formatQuantity(link.quantity)}</td>
                <td className="mono">{nearLot}</td>
                <td>{far?.machineName ?? '—'}</td>
                <td className="small">
                  {when(far?.start ?? null)} – {when(far?.end ?? null)}
                </td>
                <td className="small">{release ? `${release.signedBy}, ${when(release.signedAt)}` : <span className="muted">not signed</span>}</td>
                <td>
                  {link.derived ? <span className="badge badge-muted">derived from routing</span> : <span className="badge badge-ok">entered{link.enteredBy ? ` by ${link.enteredBy}` : ''}</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
