// The planning board: a tab per process group, a lane per machine with its queue on a time axis, the
// group's parking lot, drag and drop to plan, and a work-order panel. Live: a change anywhere
// (another planner, production counts, the calendar) re-plans on the server and refetches here.
import { useCallback, useEffect, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { createPortal } from 'react-dom';
import { Link, useSearchParams } from 'react-router-dom';
import { ApiError, errorMessage } from '../../api/client.js';
import { listProcessGroups } from '../../api/plant.js';
import { getBoard, loadOperation, operationAction, replanPlant, type BoardBar } from '../../api/orders.js';
import { EmptyState, LoadFailed, Spinner } from '../../components/feedback.js';
import { BoardIcon } from '../../components/icons.js';
import { useToast } from '../../components/toasts.js';
import { useResource } from '../../hooks/use-resource.js';
import { useLiveTopics } from '../../hooks/live-events.js';
import { useSite } from '../../hooks/site.js';
import { WorkOrderPanel } from '../work-orders/work-order-panel.js';
import { formatQuantity, textColourOn } from '../work-orders/format.js';
import { Gantt, type LaneDropHint } from './gantt.js';
import { ParkingLot } from './parking-lot.js';
import { dropPlacement, isNoMove, sameOperation, type OperationRef } from './drop.js';
import {
  ZOOM_PRESETS, fetchCovers, fetchWindowFor, panWindow, presetByKey, presetOf, windowAround, windowLabel, zoomToSpan, type TimeWindow,
} from './time-scale.js';
import './board.css';
import { useCan } from '../../auth/auth.js';

const LIVE_TOPICS = ['schedule', 'plant', 'calendar', 'production'];
const DEFAULT_ZOOM = 'day';
const DRAG_THRESHOLD_PX = 6;
const LIVE_COALESCE_MS = 150;

export function BoardPage() {
  const site = useSite();
  const groups = useResource(listProcessGroups, [], ['plant']);
  const [params, setParams] = useSearchParams();
  const zone = site.data?.timezone;

  const sortedGroups = useMemo(() => [...(groups.data ?? [])].sort((a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name)), [groups.data]);
  const requested = params.get('group');
  const group = sortedGroups.find((g) => g.key === requested) ?? sortedGroups[0];

  const failure = site.error ?? (groups.data ? undefined : groups.error);
  if (failure) {
    return (
      <div className="page" data-testid="page-board">
        <LoadFailed error={failure} onRetry={() => void Promise.all([site.reload(), groups.reload()])} />
      </div>
    );
  }
  if (!zone || !groups.data) {
    return (
      <div className="page" data-testid="page-board">
        <Spinner label="Loading the board…" />
      </div>
    );
  }
  if (!group) {
    return (
      <div className="page" data-testid="page-board">
        <EmptyState title="No process groups yet" icon={<BoardIcon />} testId="board-empty">
          <p>The board shows one tab per process group, with a lane per machine. Create the groups and their machines first.</p>
          <div className="button-row">
            <Link className="button button-primary" to="/admin/process-groups">
              Process groups
            </Link>
          </div>
        </EmptyState>
      </div>
    );
  }

  const tabSearch = (key: string) => {
    const next = new URLSearchParams(params);
    next.set('group', key);
    return `?${next.toString()}`;
  };

  return (
    <div className="page board-page" data-testid="page-board">
      <nav className="tabs board-tabs" aria-label="Process groups">
        {sortedGroups.map((g) => (
          <Link
            key={g.key}
            to={{ search: tabSearch(g.key) }}
            className={`tab${g.key === group.key ? ' active' : ''}`}
            aria-current={g.key === group.key ? 'page' : undefined}
            data-testid={`group-tab-${g.key}`}
          >
            {g.name}
          </Link>
        ))}
      </nav>
      <BoardScreen
        group={group.key}
        groupName={group.name}
        zone={zone}
        zoomKey={params.get('zoom')}
        onZoomKey={(key) => {
          const next = new URLSearchParams(params);
          next.set('group', group.key);
          next.set('zoom', key);
          setParams(next, { replace: true });
        }}
      />
    </div>
  );
}

/** The current time, ticking so the now-line moves on a screen left open. */
function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/**
 * Refetches on live events, but once per burst: production counts from many machines arrive close
 * together, and one board request a little later (well within a second) shows them all.
 */
function useCoalescedLiveReload(topics: readonly string[], reload: () => Promise<void>): void {
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useLiveTopics(topics, () => {
    if (pending.current !== null) return;
    pending.current = setTimeout(() => {
      pending.current = null;
      void reload();
    }, LIVE_COALESCE_MS);
  });
  useEffect(
    () => () => {
      if (pending.current !== null) clearTimeout(pending.current);
    },
    [],
  );
}

type DragSource = { bar: BoardBar; from: 'parking' } | { bar: BoardBar; from: 'lane'; machine: string };
type DropTarget = ({ kind: 'lane' } & LaneDropHint) | { kind: 'parking' };
interface DragState {
  source: DragSource;
  x: number;
  y: number;
  target: DropTarget | null;
}

function BoardScreen({ group, groupName, zone, zoomKey, onZoomKey }: {
  group: string;
  groupName: string;
  zone: string;
  zoomKey: string | null;
  onZoomKey: (key: string) => void;
}) {
  const toast = useToast();
  const now = useNow(20_000);
  const [view, setView] = useState<TimeWindow>(() => windowAround(Date.now(), presetByKey(zoomKey) ?? (presetByKey(DEFAULT_ZOOM) as (typeof ZOOM_PRESETS)[number])));
  const [fetchWindow, setFetchWindow] = useState<TimeWindow>(() => fetchWindowFor(view));

  // a pan or zoom past what was fetched asks for the new range once the gesture settles
  useEffect(() => {
    if (fetchCovers(fetchWindow, view)) return;
    const timer = setTimeout(() => setFetchWindow(fetchWindowFor(view)), 200);
    return () => clearTimeout(timer);
  }, [view, fetchWindow]);

  const board = useResource(() => getBoard(group, fetchWindow.start, fetchWindow.end), [group, fetchWindow.start, fetchWindow.end]);
  useCoalescedLiveReload(LIVE_TOPICS, board.reload);
  // an answer for another group (the tab just changed) is not shown under this group's name
  const data = board.data?.group.key === group ? board.data : undefined;

  const [open, setOpen] = useState<OperationRef | null>(null);
  const [drag, setDrag] = useState<DragState | null>(null);
  const [moving, setMoving] = useState<{ op: OperationRef; hint: LaneDropHint | null } | null>(null);

  const latest = useRef({ data, view });
  latest.current = { data, view };
  const suppressClick = useRef(false);

  const commitDrop = useCallback(
    async (source: DragSource, target: DropTarget) => {
      const { bar } = source;
      const op = { lot: bar.lot, step: bar.step };
      const current = latest.current.data;
      try {
        if (target.kind === 'parking') {
          if (source.from === 'parking') return;
          setMoving({ op, hint: null });
          await operationAction(bar.lot, bar.step, 'park', { version: bar.version });
          await board.reload();
          toast.success(`Lot ${bar.lot} moved to the parking lot`);
          return;
        }
        const lane = current?.lanes.find((l) => l.machine === target.machine);
        if (!lane) return;
        if (!target.allowed) {
          toast.error(`${lane.name} is disabled; enable it under Machines to plan on it`);
          return;
        }
        // a running job stays first (the server's rule): a drop in front of it lands right after it
        const head = lane.bars.find((b) => b.position === 0);
        const behindRunning = target.placement.mode === 'position' && target.placement.position === 0 && head?.state === 'running' && !sameOperation(head, op);
        const placement = behindRunning && target.placement.mode === 'position' ? { ...target.placement, position: 1 } : target.placement;
        if (isNoMove(lane, op, placement)) {
          toast.info(behindRunning ? `A running job stays first: lot ${bar.lot} is already right after ${head?.lot}. No change.` : `No change: lot ${bar.lot} is already at that place in the queue of ${lane.name}.`);
          return;
        }
        setMoving({ op, hint: target });
        const request =
          placement.mode === 'append'
            ? { machine: lane.machine, mode: 'append' as const, version: bar.version }
            : { machine: lane.machine, mode: 'position' as const, position: placement.position, version: bar.version };
        await loadOperation(bar.lot, bar.step, request);
        await board.reload();
        toast.success(
          behindRunning
            ? `A running job stays first: lot ${bar.lot} dropped right after ${head?.lot} on ${lane.name}`
            : `Lot ${bar.lot} planned on ${lane.name}${placement.mode === 'position' ? `, queue position ${placement.position + 1}` : ', at the end'}`,
        );
      } catch (error) {
        if (error instanceof ApiError && error.isStale) toast.error(`Lot ${bar.lot} was changed by someone else meanwhile; the board shows the latest plan now. Try again.`);
        else toast.error(`Lot ${bar.lot} was not moved: ${errorMessage(error)}`);
        await board.reload();
      } finally {
        setMoving(null);
      }
    },
    [board, toast],
  );

  /** Where the pointer is: a lane track at an instant, the parking lot, or nowhere. */
  const hitTest = useCallback((clientX: number, clientY: number, bar: BoardBar): DropTarget | null => {
    const element = document.elementFromPoint(clientX, clientY);
    if (!element) return null;
    if (element.closest('[data-drop-parking]')) return { kind: 'parking' };
    const track = element.closest<HTMLElement>('[data-drop-lane]');
    const current = latest.current.data;
    if (!track || !current) return null;
    const lane = current.lanes.find((l) => l.machine === track.dataset.dropLane);
    if (!lane) return null;
    const box = track.getBoundingClientRect();
    const { view } = latest.current;
    const at = view.start + ((clientX - box.left) / box.width) * (view.end - view.start);
    return { kind: 'lane', machine: lane.machine, at, placement: dropPlacement(lane, bar, at), allowed: lane.enabled };
  }, []);

  /** A press on a bar or a parked item: past a few pixels of movement it becomes a drag. */
  // only roles that may plan drag jobs; everyone can open a job's panel
  const canPlan = useCan('orders:write');
  const startPress = useCallback(
    (event: ReactPointerEvent<HTMLElement>, source: DragSource) => {
      if (event.pointerType === 'mouse' && event.button !== 0) return;
      if (moving) return;
      event.stopPropagation();
      const startX = event.clientX;
      const startY = event.clientY;
      const pointerId = event.pointerId;
      let dragging = false;
      let lastTarget: DropTarget | null = null;

      const onMove = (e: PointerEvent) => {
        if (e.pointerId !== pointerId) return;
        if (!dragging) {
          if (Math.hypot(e.clientX - startX, e.clientY - startY) < DRAG_THRESHOLD_PX) return;
          dragging = true;
          document.body.classList.add('board-dragging');
        }
        e.preventDefault();
        lastTarget = hitTest(e.clientX, e.clientY, source.bar);
        setDrag({ source, x: e.clientX, y: e.clientY, target: lastTarget });
      };
      const finish = (e: PointerEvent, cancelled: boolean) => {
        if (e.pointerId !== pointerId) return;
        cleanup();
        if (!dragging) return;
        // the click that follows the release must not open the panel
        suppressClick.current = true;
        setTimeout(() => (suppressClick.current = false), 0);
        setDrag(null);
        if (!cancelled) {
          const target = hitTest(e.clientX, e.clientY, source.bar) ?? lastTarget;
          if (target) void commitDrop(source, target);
        }
      };
      const onUp = (e: PointerEvent) => finish(e, false);
      const onCancel = (e: PointerEvent) => finish(e, true);
      const onKey = (e: KeyboardEvent) => {
        if (e.key !== 'Escape') return;
        cleanup();
        setDrag(null);
      };
      const cleanup = () => {
        window.removeEventListener('pointermove', onMove);
        window.removeEventListener('pointerup', onUp);
        window.removeEventListener('pointercancel', onCancel);
        window.removeEventListener('keydown', onKey);
        document.body.classList.remove('board-dragging');
      };
      window.addEventListener('pointermove', onMove);
      window.addEventListener('pointerup', onUp);
      window.addEventListener('pointercancel', onCancel);
      window.addEventListener('keydown', onKey);
    },
    [commitDrop, hitTest, moving],
  );

  const openBar = useCallback((bar: BoardBar) => {
    if (suppressClick.current) return;
    setOpen({ lot: bar.lot, step: bar.step });
  }, []);

  const choosePreset = (key: string) => {
    const preset = presetByKey(key);
    if (!preset) return;
    // from far away (another month), a preset comes back to now; nearby it keeps the user's place
    setView((current) => {
      const centre = (current.start + current.end) / 2;
      return Math.abs(centre - Date.now()) > preset.span ? windowAround(Date.now(), preset) : zoomToSpan(current, preset.span);
    });
    onZoomKey(key);
  };
  const activePreset = presetOf(view);
  const span = view.end - view.start;

  const [replanning, setReplanning] = useState(false);
  const replanNow = async () => {
    setReplanning(true);
    try {
      const { changed } = await replanPlant();
      await board.reload();
      toast.success(changed === 0 ? 'Re-planned: every forecast was already up to date' : `Re-planned ${changed} operation${changed === 1 ? '' : 's'}`);
    } catch (error) {
      toast.error(`The plan was not recalculated: ${errorMessage(error)}`);
    } finally {
      setReplanning(false);
    }
  };

  const laneHint: LaneDropHint | null = drag?.target?.kind === 'lane' ? drag.target : (moving?.hint ?? null);

  return (
    <div className="board" data-testid="board" data-view-start={Math.round(view.start)} data-view-end={Math.round(view.end)}>
      <div className="board-toolbar">
        <div className="segmented zoom-buttons" role="group" aria-label="Zoom">
          {ZOOM_PRESETS.map((preset) => (
            <button
              key={preset.key}
              type="button"
              className={`segment${activePreset?.key === preset.key ? ' segment-on' : ''}`}
              aria-pressed={activePreset?.key === preset.key}
              onClick={() => choosePreset(preset.key)}
              data-testid={`zoom-${preset.key}`}
            >
              {preset.label}
            </button>
          ))}
        </div>
        <div className="board-nav" role="group" aria-label="Move in time">
          <button type="button" className="button" aria-label="Earlier" onClick={() => setView((v) => panWindow(v, -span / 2))} data-testid="pan-earlier">
            ‹
          </button>
          <button
            type="button"
            className="button"
            onClick={() => setView((v) => windowAround(Date.now(), presetOf(v) ?? { key: '', label: '', span: v.end - v.start, nowAt: 0.15 }))}
            data-testid="pan-now"
          >
            Now
          </button>
          <button type="button" className="button" aria-label="Later" onClick={() => setView((v) => panWindow(v, span / 2))} data-testid="pan-later">
            ›
          </button>
        </div>
        <h2 className="board-window" data-testid="board-window">
          {windowLabel(view, zone)}
        </h2>
        <div className="board-status">
          {board.loading && data ? <span className="spinner spinner-tiny" role="status" aria-label="Updating" data-testid="board-updating" /> : null}
          {canPlan ? (
            <button
              type="button"
              className="button"
              onClick={() => void replanNow()}
              disabled={replanning}
              data-testid="replan-now"
              title="Recalculate every forecast now from the queues, the calendar and the latest production counts"
            >
              {replanning ? 'Re-planning…' : 'Re-plan now'}
            </button>
          ) : null}
        </div>
      </div>
      {board.error ? <LoadFailed error={board.error} onRetry={board.reload} /> : null}
      {!data ? (
        board.error ? null : <Spinner label={`Loading ${groupName}…`} />
      ) : (
        <div className="board-layout">
          {data.lanes.length === 0 ? (
            <EmptyState title={`No machines in ${groupName}`} testId="board-no-machines">
              <p>Add machines to this process group to plan on them.</p>
              <Link className="button button-primary" to="/admin/machines">
                Machines
              </Link>
            </EmptyState>
          ) : (
            <Gantt
              board={data}
              view={view}
              zone={zone}
              now={now}
              onViewChange={setView}
              onBarPointerDown={(event, bar, machine) => canPlan && startPress(event, { bar, from: 'lane', machine })}
              onOpen={openBar}
              dropHint={laneHint}
              moving={moving?.op ?? null}
              selected={open}
            />
          )}
          <ParkingLot
            groupName={groupName}
            parked={data.parked}
            zone={zone}
            now={now}
            onPointerDown={(event, bar) => canPlan && startPress(event, { bar, from: 'parking' })}
            onOpen={openBar}
            dropArmed={drag?.source.from === 'lane'}
            dropActive={drag?.source.from === 'lane' && drag.target?.kind === 'parking'}
            moving={moving?.op ?? null}
            selected={open}
          >
            <Legend />
          </ParkingLot>
        </div>
      )}
      {drag ? <DragGhost bar={drag.source.bar} x={drag.x} y={drag.y} target={drag.target} /> : null}
      {open ? <WorkOrderPanel lot={open.lot} step={open.step} zone={zone} onClose={() => setOpen(null)} onChanged={() => void board.reload()} /> : null}
    </div>
  );
}

function DragGhost({ bar, x, y, target }: { bar: BoardBar; x: number; y: number; target: DropTarget | null }) {
  const refused = target?.kind === 'lane' && !target.allowed;
  return createPortal(
    <div
      className={`drag-ghost${target ? '' : ' drag-ghost-nowhere'}${refused ? ' drag-ghost-refused' : ''}`}
      style={{ left: x + 14, top: y + 14, background: bar.color, color: textColourOn(bar.color) }}
      data-testid="drag-ghost"
      aria-hidden="true"
    >
      <strong>{bar.lot}</strong>
      <span>
        {bar.shortName} · {formatQuantity(bar.quantity)}
      </span>
      {target?.kind === 'parking' ? <span className="drag-ghost-hint">Park</span> : null}
    </div>,
    document.body,
  );
}

function Legend() {
  return (
    <ul className="board-legend" aria-label="Legend">
      <li>
        <span className="legend-bar legend-running" /> running
      </li>
      <li>
        <span className="legend-bar legend-held" /> held
      </li>
      <li>
        <span className="legend-bar legend-late" /> ⚠ late
      </li>
      <li>
        <span className="legend-bar legend-at-risk" /> ⚠ at risk (estimate)
      </li>
      <li>
        <span className="legend-bar legend-off" /> not working
      </li>
    </ul>
  );
}

