// The parking lot of a process group: operations on no machine yet, most urgent first. Items are
// dragged onto a lane (or opened for the action menu); bars dragged here are parked.
import type { PointerEvent as ReactPointerEvent, ReactNode } from 'react';
import type { BoardBar } from '../../api/orders.js';
import { dueRisk, formatDue, formatDuration, formatInstant, formatQuantity, textColourOn } from '../work-orders/format.js';
import { sameOperation, type OperationRef } from './drop.js';

export function ParkingLot({ groupName, parked, zone, now, onPointerDown, onOpen, dropActive, dropArmed, moving, selected, children }: {
  groupName: string;
  parked: BoardBar[];
  zone: string;
  now: number;
  onPointerDown: (event: ReactPointerEvent<HTMLElement>, bar: BoardBar) => void;
  onOpen: (bar: BoardBar) => void;
  /** a bar from a lane is being dragged: the lot is a drop target */
  dropArmed: boolean;
  /** …and it is over the lot right now */
  dropActive: boolean;
  moving: OperationRef | null;
  selected: OperationRef | null;
  /** shown under the list (the board's legend) */
  children?: ReactNode;
}) {
  return (
    <aside
      className={`parking${dropArmed ? ' parking-armed' : ''}${dropActive ? ' parking-drop' : ''}`}
      data-drop-parking="true"
      data-testid="parking-lot"
      aria-label={`Parking lot of ${groupName}`}
    >
      <header className="parking-header">
        <h2>Parking lot</h2>
        <span className="group-count" data-testid="parking-count">
          {parked.length}
        </span>
      </header>
      <p className="parking-hint muted small">{dropArmed ? 'Drop here to take the job off its machine.' : 'Drag onto a machine, or open one to load it.'}</p>
      {parked.length === 0 ? (
        <p className="parking-empty">Nothing waiting. Every job of {groupName} is on a machine.</p>
      ) : (
        <ul className="parking-list">
          {parked.map((bar) => {
            const risk = dueRisk(bar.due, bar.late, now, bar.lateRisk);
            const left = bar.due !== null ? bar.due - now : null;
            return (
              <li key={`${bar.lot}/${bar.step}`}>
                <div
                  role="button"
                  tabIndex={0}
                  className={`parked parked-risk-${risk}${moving && sameOperation(moving, bar) ? ' parked-moving' : ''}${selected && sameOperation(selected, bar) ? ' parked-selected' : ''}`}
                  data-testid={`parked-${bar.lot}-${bar.step}`}
                  data-lot={bar.lot}
                  onPointerDown={(event) => onPointerDown(event, bar)}
                  onClick={() => onOpen(bar)}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter' || event.key === ' ') {
                      event.preventDefault();
                      onOpen(bar);
                    }
                  }}
                  aria-label={`Lot ${bar.lot}, ${bar.shortName}, ${formatQuantity(bar.quantity)} pieces, due ${formatDue(bar.due, zone, now)}${
                    risk === 'late' ? ', late' : risk === 'at-risk' ? `, at risk: estimated to finish ${formatInstant(bar.estimatedEnd, zone, now)}` : ''
                  }`}
                >
                  <span className="parked-swatch" style={{ background: bar.color, color: textColourOn(bar.color) }} aria-hidden="true">
                    {bar.shortName.slice(0, 3)}
                  </span>
                  <span className="parked-main">
                    <span className="parked-lot">{bar.lot}</span>
                    <span className="parked-product">
                      {bar.shortName} · {formatQuantity(bar.quantity)}
                    </span>
                  </span>
                  <span className="parked-due">
                    <span className="parked-due-date" title={bar.due !== null ? `Due ${formatDue(bar.due, zone, now)}` : undefined}>
                      {bar.due !== null ? formatDue(bar.due, zone, now) : <span className="muted">no due date</span>}
                    </span>
                    {risk === 'late' ? (
                      <span className="risk risk-late" data-testid={`parked-risk-${bar.lot}`} title="The forecast ends after the due date">
                        ⚠ Late
                      </span>
                    ) : risk === 'at-risk' ? (
                      <span className="risk risk-at-risk" title="Estimated to finish after the due date">
                        ⚠ At risk
                      </span>
                    ) : risk === 'overdue' && left !== null ? (
                      <span className="risk risk-overdue" data-testid={`parked-risk-${bar.lot}`} title="The due date has passed">
                        {formatDuration(left)} overdue
                      </span>
                    ) : risk === 'soon' && left !== null ? (
                      <span className="risk risk-soon" data-testid={`parked-risk-${bar.lot}`} title="Due in less than two days">
                        {formatDuration(left)} left
                      </span>
                    ) : left !== null ? (
                      <span className="muted small">in {formatDuration(left)}</span>
                    ) : null}
                  </span>
                  {risk === 'at-risk' ? (
                    <span
                      className="parked-estimate"
                      data-testid={`parked-risk-${bar.lot}`}
                      title="The steps not planned yet, at their standard rate with the QC release and other waits, as if a machine were free"
                    >
                      ⚠ At risk: estimated to finish {formatInstant(bar.estimatedEnd, zone, now)}, after the due date
                    </span>
                  ) : null}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {children ? <footer className="parking-footer">{children}</footer> : null}
    </aside>
  );
}
