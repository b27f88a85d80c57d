// Plan exceptions: what needs a planner, from the live plan — grouped by kind, most severe and most
// urgent first, each with a link to the board (its process group, centred on the operation once the
// board reads `lot`/`at`) and to the work order. Large type and colour + word for severity, so a TV
// across the room reads it at a glance. Refetches on any plan change and every minute (time moves).
import { useEffect } from 'react';
import { Link } from 'react-router-dom';
import { EXCEPTION_KINDS, getPlanExceptions, type ExceptionKind, type PlanException } from '../../api/exceptions.js';
import { EmptyState, LoadFailed, Spinner } from '../../components/feedback.js';
import { useResource } from '../../hooks/use-resource.js';
import { useSite } from '../../hooks/site.js';
import './exceptions.css';

const LIVE_TOPICS = ['schedule', 'plant', 'calendar', 'production'];
const REFRESH_MS = 60_000;

const KIND_TITLES: Record<ExceptionKind, { title: string; hint: string }> = {
  'late-work-order': { title: 'Late work orders', hint: 'planned to finish after their due date, with the cause' },
  'machine-overload': { title: 'Overloaded machines', hint: 'per ISO week: planned work plus work due that week but planned later' },
  'due-date-at-risk': { title: 'Parked orders at risk', hint: 'even loaded now on the best machine they would finish late or just in time' },
  'gate-without-signer': { title: 'Gates without a signer', hint: 'nobody active holds the role, or the gate is waiting longer than planned' },
  'calendar-conflict': { title: 'Calendar conflicts', hint: 'jobs on a disabled machine, or under way with no shift in the next 24 h' },
};

/** The board at the operation's process group; `lot` and `at` say where to centre it. */
export function boardLink(item: PlanException): string | null {
  if (!item.group) return null;
  const params = new URLSearchParams({ group: item.group });
  if (item.lot) params.set('lot', item.lot);
  if (item.at !== null) params.set('at', String(item.at));
  return `/board?${params.toString()}`;
}

function ExceptionRow({ item }: { item: PlanException }) {
  const board = boardLink(item);
  return (
    <li className={`exception exception-${item.severity}`} data-testid={`exception-${item.id}`} data-kind={item.kind} data-severity={item.severity}>
      <span className={`exception-severity severity-${item.severity}`}>{item.severity === 'critical' ? 'Critical' : 'Warning'}</span>
      <p className="exception-message">{item.message}</p>
      <div className="exception-links">
        {board ? (
          <Link className="button" to={board} data-testid="exception-board-link">
            Board
          </Link>
        ) : null}
        {item.lot ? (
          <Link className="button" to={`/work-orders?search=${encodeURIComponent(item.lot)}`} data-testid="exception-order-link">
            Work order {item.lot}
          </Link>
        ) : null}
      </div>
    </li>
  );
}

export function ExceptionsPage() {
  const report = useResource(getPlanExceptions, [], LIVE_TOPICS);
  const zone = useSite().data?.timezone;
  const { reload } = report;
  useEffect(() => {
    const timer = setInterval(() => void reload(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);

  const data = report.data;
  const critical = data?.items.filter((item) => item.severity === 'critical').length ?? 0;
  return (
    <div className="page exceptions-page" data-testid="page-exceptions">
      <div className="page-header">
        <h1>Exceptions</h1>
        <p className="page-subtitle">What needs a planner in the live plan, most severe first.</p>
      </div>
      {report.error && !data ? <LoadFailed error={report.error} onRetry={() => void reload()} /> : null}
      {report.loading && !data ? <Spinner label="Checking the plan…" /> : null}
      {data ? (
        <>
          <nav className="exception-summary" aria-label="Exceptions by kind" data-testid="exception-summary">
            {EXCEPTION_KINDS.map((kind) => (
              <a key={kind} href={`#exceptions-${kind}`} className={`exception-count${data.counts[kind] > 0 ? ' has-items' : ''}`} data-testid={`exception-count-${kind}`}>
                <span className="exception-count-number">{data.counts[kind]}</span>
                <span className="exception-count-label">{KIND_TITLES[kind].title}</span>
              </a>
            ))}
          </nav>
          <p className="muted exception-generated" data-testid="exception-generated">
            {critical} critical · as of {new Date(data.generatedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', timeZone: zone })}
          </p>
          {data.items.length === 0 ? (
            <EmptyState title="Nothing needs a planner" testId="exceptions-empty">
              <p>No late or at-risk orders, no overloaded machine, every gate has a signer.</p>
            </EmptyState>
          ) : (
            EXCEPTION_KINDS.filter((kind) => data.counts[kind] > 0).map((kind) => (
              <section key={kind} id={`exceptions-${kind}`} className="exception-group" data-testid={`exception-group-${kind}`} aria-labelledby={`exceptions-${kind}-title`}>
                <h2 id={`exceptions-${kind}-title`}>
                  {KIND_TITLES[kind].title} <span className="exception-group-count">{data.counts[kind]}</span>
                </h2>
                <p className="muted">{KIND_TITLES[kind].hint}</p>
                <ul className="exception-list">
                  {data.items.filter((item) => item.kind === kind).map((item) => (
                    <ExceptionRow key={item.id} item={item} />
                  ))}
                </ul>
              </section>
            ))
          )}
        </>
      ) : null}
    </div>
  );
}
