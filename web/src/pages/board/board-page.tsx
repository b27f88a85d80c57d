// The planning board: a tab per process group, a lane per machine with its queue on a time axis, the
// group's parking lot, drag and drop to plan, and a work-order panel. Live: a change anywhere
// (another planner, the calendar, the re-plan after production) refetches here; new production
// counts are applied to the bars in place meanwhile (live-refresh.ts).
import { DateTime } from 'luxon';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { Link, useSearchParams } from 'react-router-dom';
import { errorMessage } from '../../api/client.js';
import { listProcessGroups, removeDowntime } from '../../api/plant.js';
import { ConfirmDialog } from '../../components/dialogs.js';
import { getBoard, replanPlant, type BoardBar } from '../../api/orders.js';
import { getActuals, type MachineActuals } from '../../api/plan-actuals.js';
import { EmptyState, LoadFailed, Spinner } from '../../components/feedback.js';
import { BoardIcon } from '../../components/icons.js';
import { useToast } from '../../components/toasts.js';
import { useResource } from '../../hooks/use-resource.js';
import { useSite } from '../../hooks/site.js';
import { WorkOrderPanel } from '../work-orders/work-order-panel.js';
import { formatQuantity, textColourOn } from '../work-orders/format.js';
import { Gantt, type LaneDropHint } from './gantt.js';
import { ParkingLot } from './parking-lot.js';
import { SuggestionPanel } from './suggestion-panel.js';
import type { OperationRef } from './drop.js';
import { useDrag, type DropTarget } from './use-drag.js';
import { useMoves } from './use-moves.js';
import { applyProductionToBoard, useBoardRefresh } from './live-refresh.js';
import { productionDeltas } from '../../api/live.js';
import {
  ZOOM_PRESETS, fetchCovers, fetchWindowFor, panWindow, presetByKey, presetOf, windowAround, windowLabel, zoomToSpan, type TimeWindow,
} from './time-scale.js';
import { useCan } from '../../auth/auth.js';
import './board.css';

const ACTUAL_HOUR = 3_600_000;
const ACTUAL_MAX_SPAN = 92 * 24 * ACTUAL_HOUR;

/** besides 'schedule', whose echo of our own changes live-refresh.ts lets pass */
const OTHER_LIVE_TOPICS = ['plant', 'calendar', 'production'];
const DEFAULT_ZOOM = 'day';

export function BoardPage() {
  const site = useSite();
  const groups = useResource(listProcessGroups, [], ['plant']);
  const [params, setParams] = useSearchParams();
  const canPlanHere = useCan('orders:write');
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
        {canPlanHere ? (
          // what needs a planner lives with the board (the header's navigation has no room left at 1920 px)
          <Link className="tab board-tab-aside" to="/exceptions" data-testid="open-exceptions" title="Late orders with their cause, overloaded weeks, parked orders at risk, gates without a signer">
            ⚠ Exceptions
          </Link>
        ) : null}
        {canPlanHere ? (
          <Link className="tab" to="/scenarios" data-testid="open-scenarios" title="What-if scenarios: copy the live plan, change it, compare, publish">
            What-if
          </Link>
        ) : null}
      </nav>
      <BoardScreen
        group={group.key}
        groupName={group.name}
        zone={zone}
        zoomKey={params.get('zoom')}
        centreAt={instantParam(params.get('at'))}
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

/** `at` in the board's URL (epoch ms, as the exceptions list links it, or ISO): where to centre the view; null = now. */
function instantParam(text: string | null): number | null {
  if (!text) return null;
  const instant = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  return Number.isFinite(instant) ? instant : null;
}

function BoardScreen({ group, groupName, zone, zoomKey, centreAt, onZoomKey }: {
  group: string;
  groupName: string;
  zone: string;
  zoomKey: string | null;
  centreAt: number | null;
  onZoomKey: (key: string) => void;
}) {
  const toast = useToast();
  const now = useNow(20_000);
  const [view, setView] = useState<TimeWindow>(() => windowAround(centreAt ?? Date.now(), presetByKey(zoomKey) ?? (presetByKey(DEFAULT_ZOOM) as (typeof ZOOM_PRESETS)[number])));
  const [fetchWindow, setFetchWindow] = useState<TimeWindow>(() => fetchWindowFor(view));

  // a pan or zoom past what was fetched asks for the new range once the gesture settles
  useEffect(() => {
    if (fetchCovers(fetchWindow, view)) return;
    const timer = setTimeout(() => setFetchWindow(fetchWindowFor(view)), 200);
    return () => clearTimeout(timer);
  }, [view, fetchWindow]);

  const board = useResource(() => getBoard(group, fetchWindow.start, fetchWindow.end), [group, fetchWindow.start, fetchWindow.end]);
  // an answer for another group (the tab just changed) is not shown under this group's name
  const data = board.data?.group.key === group ? board.data : undefined;
  const shown = useRef(data);
  shown.current = data;
  const refresh = useBoardRefresh(board.reload, OTHER_LIVE_TOPICS, (event) => {
    const deltas = productionDeltas(event);
    const current = shown.current;
    if (!deltas || !current) return false;
    const next = applyProductionToBoard(current, deltas);
    if (!next) return false;
    if (next !== current) board.update(() => next);
    return true;
  });

  // what actually ran beneath the plan: on by default in Week and Month, where the past half tells the drift
  const [actualChoice, setActualChoice] = useState<boolean | null>(null);
  const presetKey = presetOf(view)?.key;
  const showActual = actualChoice ?? (presetKey === 'week' || presetKey === 'month');
  // only the past has actuals, the current shift's start plan reaches a day ahead; the server takes at most 92 days
  const actualTo = Math.min(fetchWindow.end, Math.ceil(now / ACTUAL_HOUR) * ACTUAL_HOUR + 24 * ACTUAL_HOUR);
  const actualFrom = Math.max(fetchWindow.start, actualTo - ACTUAL_MAX_SPAN);
  const wantActual = showActual && actualTo > actualFrom;
  const actuals = useResource(
    () => (wantActual ? getActuals(group, actualFrom, actualTo) : Promise.resolve(null)),
    [wantActual, group, actualFrom, actualTo],
  );
  const actualByMachine = useMemo(() => {
    const answer = actuals.data;
    if (!wantActual || !answer || answer.group.key !== group) return null;
    return new Map<string, MachineActuals>(answer.machines.map((m) => [m.machine, m]));
  }, [actuals.data, wantActual, group]);

  const [open, setOpen] = useState<OperationRef | null>(null);
  const latest = useRef({ data, view });
  latest.current = { data, view };

  const { moving, commitDrop } = useMoves({ latest, refresh, reload: board.reload, toast });
  const { drag, startPress, clickSuppressed } = useDrag({ latest, blocked: moving !== null, onDrop: (source, target) => void commitDrop(source, target) });
  // only roles that may plan drag jobs; everyone can open a job's panel
  const canPlan = useCan('orders:write');
  // planned downtime is a change of working time: who may change the calendar may remove it
  const canChangeTime = useCan('calendar:write');
  const [downtime, setDowntime] = useState<{ machine: string; id: number; start: number; end: number; reason: string } | null>(null);

  const openBar = useCallback(
    (bar: BoardBar) => {
      if (clickSuppressed()) return;
      setOpen({ lot: bar.lot, step: bar.step });
    },
    [clickSuppressed],
  );

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

  const [suggesting, setSuggesting] = useState(false);
  const [replanning, setReplanning] = useState(false);
  const replanNow = async () => {
    setReplanning(true);
    try {
      const sentAt = Date.now();
      const { changed } = await replanPlant();
      await refresh.afterOwnChange(sentAt);
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
          <label className="toggle board-actual-toggle" title="Show actual: beneath each machine's plan, what machine data says actually ran (lot runs, stops, changeovers) and the plan as it stood at each shift start">
            <input type="checkbox" checked={showActual} onChange={(event) => setActualChoice(event.target.checked)} data-testid="show-actual" />
            Actual
          </label>
          {board.loading && data ? <span className="spinner spinner-tiny" role="status" aria-label="Updating" data-testid="board-updating" /> : null}
          {canPlan ? (
            <button type="button" className="button" onClick={() => setSuggesting(true)} disabled={suggesting} data-testid="suggest-plan" title="Let the optimiser suggest a plan with fewer late orders and changeovers, to accept whole, per machine, or discard">
              Suggest plan
            </button>
          ) : null}
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
              actuals={actualByMachine}
              onDowntime={canChangeTime ? (machine, down) => setDowntime({ machine, ...down }) : undefined}
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
      {suggesting ? <SuggestionPanel zone={zone} group={group} onClose={() => setSuggesting(false)} onAccepted={(sentAt) => refresh.afterOwnChange(sentAt)} /> : null}
      {downtime ? (
        <ConfirmDialog
          title="Remove planned downtime?"
          confirmLabel="Remove downtime"
          reason="required"
          onClose={() => setDowntime(null)}
          onConfirm={async (reason) => {
            const sentAt = Date.now();
            await removeDowntime(downtime.machine, downtime.id, reason);
            toast.success(`Downtime of ${data?.lanes.find((l) => l.machine === downtime.machine)?.name ?? downtime.machine} removed; the plan uses that time again`);
            await refresh.afterOwnChange(sentAt);
          }}
        >
          <p>
            {data?.lanes.find((l) => l.machine === downtime.machine)?.name ?? downtime.machine} is planned down{' '}
            {DateTime.fromMillis(downtime.start, { zone }).toFormat('ccc d LLL HH:mm')} → {DateTime.fromMillis(downtime.end, { zone }).toFormat('ccc d LLL HH:mm')}: {downtime.reason}.
          </p>
        </ConfirmDialog>
      ) : null}
      {open ? <WorkOrderPanel lot={open.lot} step={open.step} zone={zone} onClose={() => setOpen(null)} onChanged={() => void refresh.afterOwnChange()} /> : null}
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
        <span className="legend-bar legend-changeover" /> changeover
      </li>
      <li>
        <span className="legend-bar legend-pinned" /> pinned
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

