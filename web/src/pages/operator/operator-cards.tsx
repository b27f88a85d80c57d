// The read-at-a-glance cards of the operator screen: the lot on the line, the shift's counts, and
// the stops — those still needing a reason first, each opening the reason picker.
import { DateTime } from 'luxon';
import type { OperatorStop, OperatorView } from '../../api/operator.js';
import { formatNumber } from '../../lib/forms.js';
import { durationLabel } from './reason-tree.js';
import { orderStops } from './operator-format.js';

const clock = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toFormat('HH:mm');
const percent = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(1)} %`);

export function LotCard({ view, locale }: { view: OperatorView; locale: string }) {
  const job = view.current;
  const share = job && job.quantity > 0 ? Math.min(1, job.produced / job.quantity) : 0;
  return (
    <section className="op-card op-lot" aria-labelledby="op-lot-title" data-testid="op-lot">
      <h2 id="op-lot-title" className="op-card-title">
        Lot on the line
      </h2>
      {job ? (
        <>
          <p className="op-lot-main">
            <span className="op-big mono" data-testid="op-lot-number">
              {job.lot}
            </span>
            <span className="op-lot-product">{job.productName}</span>
          </p>
          <div className="op-progress" role="progressbar" aria-valuemin={0} aria-valuemax={job.quantity} aria-valuenow={job.produced} aria-label="Produced of the lot's quantity">
            <span className="op-progress-bar" style={{ width: `${(share * 100).toFixed(1)}%` }} />
          </div>
          <p className="op-lot-count" data-testid="op-lot-count">
            <strong>{formatNumber(job.produced, locale)}</strong> of {formatNumber(job.quantity, locale)} made
            {job.late ? <span className="badge badge-warn">Late</span> : null}
          </p>
        </>
      ) : (
        <p className="op-empty">No lot running on this line.</p>
      )}
      <p className="op-next" data-testid="op-next-job">
        Next: {view.next ? `${view.next.lot} · ${view.next.productName} · ${formatNumber(view.next.quantity, locale)}` : 'nothing planned'}
      </p>
    </section>
  );
}

export function CountsCard({ view, locale }: { view: OperatorView; locale: string }) {
  const { counts } = view;
  const tiles: { label: string; value: string; testId: string }[] = [
    { label: 'Parts', value: formatNumber(counts.parts, locale), testId: 'op-count-parts' },
    { label: 'Good', value: formatNumber(counts.good, locale), testId: 'op-count-good' },
    { label: 'Per minute', value: counts.ratePerMinute === null ? '—' : formatNumber(Math.round(counts.ratePerMinute * 10) / 10, locale), testId: 'op-count-rate' },
    { label: 'OEE', value: percent(counts.oee), testId: 'op-count-oee' },
  ];
  return (
    <section className="op-card op-counts" aria-labelledby="op-counts-title" data-testid="op-counts">
      <h2 id="op-counts-title" className="op-card-title">
        This shift so far
      </h2>
      <dl className="op-tiles">
        {tiles.map((tile) => (
          <div key={tile.label} className="op-tile">
            <dt>{tile.label}</dt>
            <dd data-testid={tile.testId}>{tile.value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export function StopsCard({ view, zone, locale, readOnly, onOpen }: { view: OperatorView; zone: string; locale: string; readOnly: boolean; onOpen: (stop: OperatorStop) => void }) {
  const stops = orderStops(view.stops);
  return (
    <section className="op-card op-stops" aria-labelledby="op-stops-title" data-testid="op-stops">
      <h2 id="op-stops-title" className="op-card-title">
        Stops
        {view.openStops > 0 ? (
          <span className="badge badge-warn badge-large" data-testid="op-open-stops">
            {view.openStops} need a reason
          </span>
        ) : view.stops.length > 0 ? (
          <span className="badge badge-ok">All have a reason</span>
        ) : null}
      </h2>
      {stops.length === 0 ? <p className="op-empty">No stops of {durationLabel(view.promptSeconds)} or longer in this shift.</p> : null}
      <ul className="op-stop-list">
        {stops.map((stop) => {
          const open = stop.segments.length === 0;
          return (
            <li key={stop.startMs}>
              {readOnly ? (
                <div className="op-stop op-stop-static" data-testid={`op-stop-${stop.startMs}`}>
                  <StopSummary stop={stop} zone={zone} />
                </div>
              ) : (
                <button type="button" className={`op-stop${open ? ' op-stop-open' : ''}`} onClick={() => onOpen(stop)} data-testid={`op-stop-${stop.startMs}`}>
                  <StopSummary stop={stop} zone={zone} />
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <p className="op-minor" data-testid="op-minor-stops">
        {formatNumber(view.minorStops.count, locale)} minor stops · {durationLabel(view.minorStops.seconds)} · automatic reason Minor stop
      </p>
    </section>
  );
}

function StopSummary({ stop, zone }: { stop: OperatorStop; zone: string }) {
  const open = stop.segments.length === 0;
  const reasons = stop.segments.map((s) => s.label ?? s.reason ?? '—');
  // the leaf reads at a glance; the whole path is in the tooltip and the picker
  const leaves = reasons.map((label) => label.split(' › ').pop() ?? label);
  return (
    <>
      <span className="op-stop-time">
        {clock(stop.startMs, zone)}
        <span className="op-stop-duration">{durationLabel(stop.seconds)}</span>
      </span>
      <span className="op-stop-class">{stop.classLabel}</span>
      <span className="op-stop-reason" title={reasons.join(' then ')} data-testid={`op-stop-reason-${stop.startMs}`}>
        {open ? (
          <span className="op-needs-reason">Needs a reason</span>
        ) : (
          <>
            {leaves.join(' then ')}
            {stop.segments.length > 1 ? <span className="badge badge-muted">split</span> : null}
          </>
        )}
      </span>
    </>
  );
}
