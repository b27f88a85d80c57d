// The Gantt part of the board: a time axis in plant time, one lane per machine with its jobs as bars,
// non-working time shaded, a now-line. Pan by dragging the axis or an empty part of a lane, zoom with
// the wheel (or a trackpad / touch pinch) around the pointer.
//
// Drawn as positioned HTML rather than with a timeline library: the bars are React elements (large
// labels, progress, LATE and HELD marks, test ids), the axis is computed with Luxon in the plant's
// zone whatever the browser's zone is, and one pointer-event drag serves mouse, pen and touch for
// both the bars and the parking lot.
import { useEffect, useLayoutEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { DateTime } from 'luxon';
import type { Board, BoardBar, BoardLane } from '../../api/orders.js';
import type { MachineActuals } from '../../api/plan-actuals.js';
import { ACTUAL_STRIP_PX, ActualStrip, DriftBadge } from './actual-strip.js';
import { axisFor, type TimeWindow } from './time-scale.js';
import { useGestures } from './use-gestures.js';
import { formatDue, formatInstant, formatQuantity, progressOf, textColourOn } from '../work-orders/format.js';
import { sameOperation, type DropPlacement, type OperationRef } from './drop.js';

export interface LaneDropHint {
  machine: string;
  at: number;
  placement: DropPlacement;
  allowed: boolean;
}

export interface GanttProps {
  board: Board;
  view: TimeWindow;
  zone: string;
  now: number;
  onViewChange: (next: TimeWindow | ((current: TimeWindow) => TimeWindow)) => void;
  /** a bar was pressed: the board decides whether it becomes a drag */
  onBarPointerDown: (event: ReactPointerEvent<HTMLElement>, bar: BoardBar, machine: string) => void;
  onOpen: (bar: BoardBar) => void;
  /** the lane the dragged item is over, to draw where it would go */
  dropHint: LaneDropHint | null;
  /** an operation being moved (dimmed until the board has reloaded) */
  moving: OperationRef | null;
  selected: OperationRef | null;
  /** what actually ran per machine (the "Show actual" strip), when shown */
  actuals?: ReadonlyMap<string, MachineActuals> | null;
  /** a planned downtime block was pressed (to remove it); absent = read-only */
  onDowntime?: (machine: string, downtime: LaneDowntime) => void;
}

type LaneDowntime = BoardLane['downtime'][number];

export function Gantt({ board, view, zone, now, onViewChange, onBarPointerDown, onOpen, dropHint, moving, selected, actuals = null, onDowntime }: GanttProps) {
  const axisRef = useRef<HTMLDivElement>(null);
  const areaRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const remPx = useRemPx();

  useLayoutEffect(() => {
    const axis = axisRef.current;
    if (!axis) return;
    const measure = () => setWidth(axis.clientWidth);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(axis);
    return () => observer.disconnect();
  }, []);

  useGestures(areaRef, axisRef, view, onViewChange);

  const span = view.end - view.start;
  const x = (t: number) => ((t - view.start) / span) * width;
  const axis = width > 0 ? axisFor(view, width, zone) : { minor: [], major: [], unitLabel: '' };
  const nowX = x(now);
  const nowVisible = nowX >= 0 && nowX <= width;

  return (
    <div className="gantt" ref={areaRef} data-testid="gantt" style={{ ['--track-width' as string]: `${width}px` }}>
      <div className="gantt-header">
        <div className="gantt-corner">
          <span>Machine</span>
        </div>
        <div className="gantt-axis" ref={axisRef} data-testid="gantt-axis" title="Drag to move in time; wheel or pinch to zoom" aria-label={`Time axis in ${axis.unitLabel}`}>
          <div className="axis-major">
            {axis.major.map((tick, i) => {
              const left = Math.max(0, x(tick.at));
              const next = axis.major[i + 1];
              const right = next ? Math.min(width, x(next.at)) : width;
              if (right - left < 24) return null;
              return (
                <span key={tick.at} className="axis-major-label" style={{ left, maxWidth: right - left }}>
                  {tick.label}
                </span>
              );
            })}
            {axis.major.map((tick) => (x(tick.at) > 0 ? <span key={`l${tick.at}`} className="axis-major-line" style={{ left: x(tick.at) }} /> : null))}
          </div>
          <div className="axis-minor">
            {axis.minor.map((tick) => {
              const left = x(tick.at);
              if (left < -80 || left > width) return null;
              // the now pill sits on this row: a label it would cover is left out
              const covered = nowVisible && left + 56 > nowX - 34 && left < nowX + 34;
              return (
                <span key={tick.at} className="axis-minor-tick" style={{ left }}>
                  {covered ? null : <span className="axis-minor-label">{tick.label}</span>}
                </span>
              );
            })}
          </div>
          {nowVisible ? (
            <span className="axis-now" style={{ left: nowX }} data-testid="now-label">
              {DateTime.fromMillis(now, { zone }).toFormat('HH:mm')}
            </span>
          ) : null}
        </div>
      </div>
      <div className="gantt-lanes" data-testid="gantt-lanes">
        <div className="gantt-lanes-inner">
        <div className="gantt-overlay" aria-hidden="true">
          {board.nonWorking.map((gap) => {
            const left = Math.max(0, x(gap.start));
            const right = Math.min(width, x(gap.end));
            if (right - left < 0.5) return null;
            // narrow gaps (nights at month zoom) are a flat tone: stripes that thin read as noise
            return <span key={gap.start} className={`non-working${right - left < 14 ? ' non-working-thin' : ''}`} style={{ left, width: right - left }} />;
          })}
          {axis.minor.map((tick) => {
            const left = x(tick.at);
            return left > 0 && left < width ? <span key={tick.at} className="grid-line" style={{ left }} /> : null;
          })}
          {axis.major.map((tick) => {
            const left = x(tick.at);
            return left > 0 && left < width ? <span key={`m${tick.at}`} className="grid-line grid-line-major" style={{ left }} /> : null;
          })}
        </div>
        <div className="gantt-overlay gantt-overlay-top" aria-hidden="true">
          {nowVisible ? <span className="now-line" style={{ left: nowX }} data-testid="now-line" /> : null}
        </div>
        {board.lanes.map((lane) => (
          <Lane
            key={lane.machine}
            lane={lane}
            x={x}
            width={width}
            remPx={remPx}
            zone={zone}
            now={now}
            onBarPointerDown={onBarPointerDown}
            onOpen={onOpen}
            hint={dropHint?.machine === lane.machine ? dropHint : null}
            moving={moving}
            selected={selected}
            actual={actuals?.get(lane.machine) ?? null}
            onDowntime={onDowntime}
          />
        ))}
        </div>
      </div>
    </div>
  );
}

/** Rows so that overlapping bars (rare: a held job beside the next one) do not hide each other. */
function stackRows(bars: BoardBar[]): { rows: Map<BoardBar, number>; count: number } {
  const rows = new Map<BoardBar, number>();
  const rowEnds: number[] = [];
  for (const bar of [...bars].sort((a, b) => (a.start ?? 0) - (b.start ?? 0))) {
    if (bar.start === null || bar.end === null) continue;
    let row = rowEnds.findIndex((end) => end <= (bar.start as number));
    if (row === -1) {
      row = rowEnds.length;
      rowEnds.push(bar.end);
    } else rowEnds[row] = bar.end;
    rows.set(bar, row);
  }
  return { rows, count: Math.max(1, rowEnds.length) };
}

function Lane({ lane, x, width, remPx, zone, now, onBarPointerDown, onOpen, hint, moving, selected, actual, onDowntime }: {
  lane: BoardLane;
  onDowntime: GanttProps['onDowntime'];
  actual: MachineActuals | null;
  x: (t: number) => number;
  width: number;
  remPx: number;
  zone: string;
  now: number;
  onBarPointerDown: GanttProps['onBarPointerDown'];
  onOpen: GanttProps['onOpen'];
  hint: LaneDropHint | null;
  moving: OperationRef | null;
  selected: OperationRef | null;
}) {
  const planned = lane.bars.filter((b) => b.start !== null && b.end !== null);
  // held jobs (and jobs the calendar has no time for) have no forecast: shown as chips from now on
  const unplanned = lane.bars.filter((b) => b.start === null || b.end === null);
  const held = unplanned.filter((b) => b.state === 'held');
  const notInCalendar = unplanned.filter((b) => b.state !== 'held');
  const stacked = stackRows(planned);
  const chipLeft = Math.max(0, x(now));
  const showChips = unplanned.length > 0 && x(now) <= width - 40;
  const rowCount = stacked.count + (showChips ? 1 : 0);
  // the summary is the machine's whole queue (from the server), not the part the window shows
  const { jobs, busyUntil, late: lateCount } = lane.queue;

  return (
    <div className={`lane${lane.enabled ? '' : ' lane-disabled'}${hint ? (hint.allowed ? ' lane-drop' : ' lane-drop-refused') : ''}`} data-testid={`lane-${lane.machine}`}>
      <div className="lane-label">
        <span className="lane-name">{lane.name}</span>
        <span className="lane-meta">
          {lane.enabled ? (jobs === 0 ? 'idle' : `${jobs} job${jobs === 1 ? '' : 's'}`) : <span className="badge badge-muted">Disabled</span>}
        </span>
        {busyUntil !== null ? (
          <span className="lane-meta" title="When the last planned job of this machine's queue ends" data-testid={`lane-busy-${lane.machine}`}>
            <span className="lane-busy-word">busy </span>until {DateTime.fromMillis(busyUntil, { zone }).toFormat('ccc d HH:mm')}
          </span>
        ) : null}
        <span className="lane-flags">
          {lateCount > 0 ? <span className="badge badge-late">⚠ {lateCount} late</span> : null}
          {actual ? <DriftBadge machine={lane.machine} drift={actual.drift} /> : null}
          {held.length > 0 ? <span className="badge status-held">{held.length} held</span> : null}
          {notInCalendar.length > 0 ? (
            <span className="badge badge-warn" title={`No working time in the calendar for: ${notInCalendar.map((b) => b.lot).join(', ')}`}>
              {notInCalendar.length} unplanned
            </span>
          ) : null}
        </span>
      </div>
      <div
        className="lane-track"
        data-drop-lane={lane.machine}
        data-testid={`track-${lane.machine}`}
        style={actual ? { ['--actual-h' as string]: `${ACTUAL_STRIP_PX}px` } : undefined}
      >
        {width > 0 && actual ? <ActualStrip actual={actual} x={x} width={width} zone={zone} /> : null}
        {width > 0
          ? lane.downtime.map((down) => {
              const left = Math.max(0, x(down.start));
              const right = Math.min(width, x(down.end));
              if (right - left < 1) return null;
              const when = `${DateTime.fromMillis(down.start, { zone }).toFormat('ccc d LLL HH:mm')} → ${DateTime.fromMillis(down.end, { zone }).toFormat('ccc d LLL HH:mm')}`;
              return (
                <button
                  key={down.id}
                  type="button"
                  className="lane-downtime"
                  style={{ left, width: right - left }}
                  title={`${lane.name} down ${when}: ${down.reason}${onDowntime ? ' (click to remove)' : ''}`}
                  disabled={!onDowntime}
                  onClick={() => onDowntime?.(lane.machine, down)}
                  data-testid={`downtime-${lane.machine}-${down.id}`}
                >
                  {right - left > 70 ? <span className="lane-downtime-label">Down · {down.reason}</span> : null}
                </button>
              );
            })
          : null}
        {width > 0
          ? planned.map((bar) => (
              <Bar
                key={`${bar.lot}/${bar.step}`}
                bar={bar}
                machine={lane.machine}
                x1={x(bar.start as number)}
                x2={x(bar.end as number)}
                leadInX={bar.changeoverMinutes > 0 && bar.changeoverEnd !== null ? x(bar.changeoverEnd) : null}
                width={width}
                remPx={remPx}
                zone={zone}
                row={stacked.rows.get(bar) ?? 0}
                rowCount={rowCount}
                onPointerDown={onBarPointerDown}
                onOpen={onOpen}
                moving={moving !== null && sameOperation(moving, bar)}
                selected={selected !== null && sameOperation(selected, bar)}
              />
            ))
          : null}
        {width > 0 && showChips
          ? unplanned.map((bar, index) => (
              <Bar
                key={`${bar.lot}/${bar.step}`}
                bar={bar}
                machine={lane.machine}
                x1={chipLeft + 6 + index * UNPLANNED_CHIP_PX}
                x2={chipLeft + (index + 1) * UNPLANNED_CHIP_PX}
                width={width}
                remPx={remPx}
                zone={zone}
                row={stacked.count}
                rowCount={rowCount}
                unplanned
                onPointerDown={onBarPointerDown}
                onOpen={onOpen}
                moving={moving !== null && sameOperation(moving, bar)}
                selected={selected !== null && sameOperation(selected, bar)}
              />
            ))
          : null}
        {width > 0
          ? planned
              .filter((bar) => bar.late && bar.due !== null && x(bar.due) >= 0 && x(bar.due) <= width)
              .map((bar) => {
                const at = x(bar.due as number);
                // near the right edge the flag hangs to the left of its line, so it is never cut off
                const flagLeft = at > width - 190;
                return (
                  <span key={`due-${bar.lot}/${bar.step}`} className="due-marker" style={{ left: at }} title={`Lot ${bar.lot} is due ${formatDue(bar.due, zone, now)}`} data-testid={`due-${bar.lot}`}>
                    <span className={`due-flag${flagLeft ? ' due-flag-left' : ''}`}>
                      Due {bar.lot} · {formatDue(bar.due, zone, now)}
                    </span>
                  </span>
                );
              })
          : null}
        {hint ? <DropMarker hint={hint} x={x} width={width} /> : null}
      </div>
    </div>
  );
}

function DropMarker({ hint, x, width }: { hint: LaneDropHint; x: (t: number) => number; width: number }) {
  const { placement } = hint;
  const at = placement.next?.start ?? placement.previous?.end ?? hint.at;
  const left = Math.min(width - 2, Math.max(0, x(at)));
  let text: string;
  if (!hint.allowed) text = 'Machine disabled';
  else if (placement.mode === 'append') text = 'At the end of the queue';
  else if (placement.next && placement.previous) text = `Between ${placement.previous.lot} and ${placement.next.lot}`;
  else if (placement.next?.state === 'running' && placement.position === 0) text = `${placement.next.lot} is running: goes right after it`;
  else if (placement.next) text = placement.position === 0 ? `Run first, before ${placement.next.lot}` : `Before ${placement.next.lot}`;
  else if (placement.previous) text = `After ${placement.previous.lot}`;
  else text = 'Run first';
  return (
    <span className={`drop-marker${hint.allowed ? '' : ' drop-marker-refused'}`} style={{ left }} data-testid="drop-marker">
      <span className={`drop-marker-label${left > width - 240 ? ' drop-marker-label-left' : ''}`}>{text}</span>
    </span>
  );
}

const UNPLANNED_CHIP_PX = 160;
const BAR_GAP_PX = 3;

/**
 * How large the lot number can be drawn in a bar this wide: a lot cut to "160" reads as another
 * lot, so it is drawn whole in the large size, whole in the small size, or not at all (the colour
 * and the tooltip remain). Widths are estimated from the label's length (bold tabular digits, ~0.68 em).
 */
function lotLabelSize(lot: string, withIcon: boolean, widthPx: number, remPx: number): 'large' | 'small' | 'none' {
  const large = (lot.length * 0.68 * 1.45 + (withIcon ? 1.3 : 0) + 1.7) * remPx;
  const small = (lot.length * 0.68 + 1.1) * remPx;
  return widthPx >= large ? 'large' : widthPx >= small ? 'small' : 'none';
}

/** The root font size in pixels (the stylesheet scales it with the screen). */
function useRemPx(): number {
  const [rem, setRem] = useState(17);
  useEffect(() => {
    const measure = () => setRem(parseFloat(getComputedStyle(document.documentElement).fontSize) || 17);
    measure();
    window.addEventListener('resize', measure);
    return () => window.removeEventListener('resize', measure);
  }, []);
  return rem;
}

function Bar({ bar, machine, x1, x2, leadInX = null, width, remPx, zone, row, rowCount, unplanned = false, onPointerDown, onOpen, moving, selected }: {
  bar: BoardBar;
  machine: string;
  /** where the bar starts and ends on the track, in pixels (may lie outside 0..width) */
  x1: number;
  x2: number;
  /** where its family changeover (the hatched lead-in) ends on the track; null without one */
  leadInX?: number | null;
  width: number;
  remPx: number;
  zone: string;
  row: number;
  rowCount: number;
  /** no forecast (held, or no working time): drawn as a chip, not on the time scale */
  unplanned?: boolean;
  onPointerDown: GanttProps['onBarPointerDown'];
  onOpen: GanttProps['onOpen'];
  moving: boolean;
  selected: boolean;
}) {
  const left = Math.max(x1, 0);
  const right = Math.min(x2, width);
  if (right <= left && !(x1 >= 0 && x1 <= width)) return null;
  // a hair of space before the next job, so two bars never read as one and outlines do not overlap it
  const visibleWidth = Math.max(4, right - left - (x2 <= width ? BAR_GAP_PX : 0));
  const progress = progressOf(bar.produced, bar.quantity);
  const fillWidth = Math.min(visibleWidth, Math.max(0, x1 + progress * (x2 - x1) - left));
  const text = textColourOn(bar.color);
  const running = bar.state === 'running';
  const held = bar.state === 'held';
  const labelSize = lotLabelSize(bar.lot, running || held, visibleWidth, remPx);
  const classes = [
    'bar',
    running ? 'bar-running' : '',
    held ? 'bar-held' : '',
    bar.pinned ? 'bar-pinned' : '',
    bar.late ? 'bar-late' : '',
    x1 < 0 ? 'bar-cut-left' : '',
    x2 > width ? 'bar-cut-right' : '',
    labelSize === 'small' ? 'bar-narrow' : '',
    labelSize === 'none' ? 'bar-tiny' : '',
    moving ? 'bar-moving' : '',
    unplanned ? 'bar-unplanned' : '',
    rowCount > 1 ? 'bar-compact' : '',
    selected ? 'bar-selected' : '',
    text === '#ffffff' ? 'bar-on-dark' : 'bar-on-light',
  ]
    .filter(Boolean)
    .join(' ');
  // the lead-in as far as the bar shows it: from the bar's visible start to the changeover's end
  const leadInWidth = leadInX === null ? 0 : Math.min(visibleWidth, Math.max(0, Math.min(leadInX, right) - left));
  const heightPct = 100 / rowCount;
  const description = [
    `Lot ${bar.lot} · ${bar.shortName}`,
    `${formatQuantity(bar.produced)} of ${formatQuantity(bar.quantity)} produced`,
    `${bar.state}${bar.pinned ? ' · pinned' : ''}${bar.late ? ' · LATE' : ''}`,
    unplanned ? (held ? 'held: not planned until released' : 'not planned: no working time in the calendar') : `${formatInstant(bar.start, zone)} → ${formatInstant(bar.end, zone)}`,
    ...(bar.changeoverMinutes > 0 && !unplanned ? [`changeover ${formatMinutes(bar.changeoverMinutes)} (until ${formatInstant(bar.changeoverEnd, zone)})`] : []),
    bar.due !== null ? `due ${formatDue(bar.due, zone)}` : 'no due date',
  ].join('\n');
  return (
    <div
      className={classes}
      role="button"
      tabIndex={0}
      aria-label={description.replace(/\n/g, ', ')}
      title={description}
      data-testid={`bar-${bar.lot}-${bar.step}`}
      data-lot={bar.lot}
      data-machine={machine}
      data-position={bar.position ?? ''}
      data-changeover-minutes={bar.changeoverMinutes}
      data-pinned={bar.pinned ? 'true' : undefined}
      style={{ left, width: visibleWidth, top: `calc((100% - var(--actual-h, 0px)) * ${row / rowCount} + 6px)`, height: `calc((100% - var(--actual-h, 0px)) * ${heightPct / 100} - 12px)`, background: bar.color, color: text }}
      onPointerDown={(event) => onPointerDown(event, bar, machine)}
      onClick={() => onOpen(bar)}
      onKeyDown={(event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          onOpen(bar);
        }
      }}
    >
      {leadInWidth > 0 ? (
        <span className="bar-changeover" style={{ width: leadInWidth }} aria-hidden="true" data-testid={`changeover-${bar.lot}-${bar.step}`} />
      ) : null}
      <span className="bar-content">
        <span className="bar-line">
          <span className="bar-lot">
            {running ? (
              <span className="bar-icon" aria-hidden="true">
                ▶{' '}
              </span>
            ) : null}
            {held ? (
              <span className="bar-icon" aria-hidden="true">
                ❚❚{' '}
              </span>
            ) : null}
            {bar.lot}
          </span>
          {bar.late ? <span className="bar-badge bar-badge-late">⚠ LATE</span> : null}
          {held ? <span className="bar-badge bar-badge-held">HELD</span> : null}
        </span>
        <span className="bar-line bar-detail">
          <span>{bar.shortName}</span>
          <span className="bar-qty">
            {formatQuantity(bar.produced)} / {formatQuantity(bar.quantity)}
          </span>
        </span>
      </span>
      <span className="bar-progress" aria-hidden="true">
        <span className="bar-progress-fill" style={{ width: fillWidth }} />
      </span>
    </div>
  );
}

/** 90 → "90 min", 150 → "2 h 30 min" */
function formatMinutes(minutes: number): string {
  const rounded = Math.round(minutes);
  if (rounded < 60) return `${rounded} min`;
  const hours = Math.floor(rounded / 60);
  const rest = rounded % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
