// Saving a drop: park the job, or load it on a machine at a queue position (a running job stays
// first), with the toast that says what happened. The move's answer is the work order as the server
// now has it; the board does not fetch itself again for it: the server announces the change on the
// live events and the board's one (coalesced) refetch brings the whole new plan. Until a board answer
// shows the lot at the version the move answered with, the job stays drawn as moving. Only when the
// live events are down, or that answer does not come, does the board fetch by itself.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, errorMessage } from '../../api/client.js';
import { loadOperation, operationAction, type Board, type WorkOrder } from '../../api/orders.js';
import { isNoMove, sameOperation, type OperationRef } from './drop.js';
import type { LaneDropHint } from './gantt.js';
import type { DragSource, DropTarget } from './use-drag.js';

/** how long to wait for the live refetch that shows a move before fetching the board without it */
const LANDING_WAIT_MS = 2000;

interface Toasts {
  success(message: string): void;
  info(message: string): void;
  error(message: string): void;
}

export interface Moving {
  op: OperationRef;
  /** where it was dropped, drawn until the board shows it there */
  hint: LaneDropHint | null;
  /** once the server answered: the lot's version in its answer, and the board shown at that moment */
  answered?: { version: number; shownWith: Board | undefined };
}

/** The lot's version on this board answer; undefined when the window shows none of its steps. */
export function lotVersionOn(board: Board | undefined, lot: string): number | undefined {
  if (!board) return undefined;
  for (const bar of board.parked) if (bar.lot === lot) return bar.version;
  for (const lane of board.lanes) for (const bar of lane.bars) if (bar.lot === lot) return bar.version;
  return undefined;
}

/** A board answer newer than the one shown when the move was answered, that does not show the lot as it was before. */
export function showsMove(board: Board | undefined, moving: Moving): boolean {
  if (!moving.answered || board === undefined || board === moving.answered.shownWith) return false;
  const version = lotVersionOn(board, moving.op.lot);
  return version === undefined || version >= moving.answered.version;
}

export function useMoves({ data, latest, reload, live, toast }: {
  /** the board as shown now */
  data: Board | undefined;
  latest: { current: { data: Board | undefined } };
  reload: () => Promise<void>;
  /** the live events are connected: the server's announcement of the move will refetch the board */
  live: boolean;
  toast: Toasts;
}) {
  const [moving, setMoving] = useState<Moving | null>(null);

  const answered = useCallback(
    (op: OperationRef, hint: LaneDropHint | null, wo: WorkOrder) =>
      setMoving({ op, hint, answered: { version: wo.version, shownWith: latest.current.data } }),
    [latest],
  );

  const commitDrop = useCallback(
    async (source: DragSource, target: DropTarget) => {
      const { bar } = source;
      const op = { lot: bar.lot, step: bar.step };
      const current = latest.current.data;
      try {
        if (target.kind === 'parking') {
          if (source.from === 'parking') return;
          setMoving({ op, hint: null });
          answered(op, null, await operationAction(bar.lot, bar.step, 'park', { version: bar.version }));
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
        const wo = await loadOperation(bar.lot, bar.step, request);
        answered(op, target, wo);
        // the queue position the server gave it (the answer's), which the drop asked for
        const position = wo.operations.find((o) => o.step === bar.step)?.position ?? (placement.mode === 'position' ? placement.position : null);
        toast.success(
          behindRunning
            ? `A running job stays first: lot ${bar.lot} dropped right after ${head?.lot} on ${lane.name}`
            : `Lot ${bar.lot} planned on ${lane.name}${placement.mode === 'position' && position !== null ? `, queue position ${position + 1}` : ', at the end'}`,
        );
      } catch (error) {
        setMoving(null);
        if (error instanceof ApiError && error.isStale) toast.error(`Lot ${bar.lot} was changed by someone else meanwhile; the board shows the latest plan now. Try again.`);
        else toast.error(`Lot ${bar.lot} was not moved: ${errorMessage(error)}`);
        await reload();
      }
    },
    [answered, latest, reload, toast],
  );

  // the live refetch showed the move: it has landed
  useEffect(() => {
    if (moving && showsMove(data, moving)) setMoving(null);
  }, [data, moving]);

  // no live events, or their refetch is late: fetch the board once, and the move has landed either way
  const reloadRef = useRef(reload);
  reloadRef.current = reload;
  useEffect(() => {
    if (!moving?.answered) return;
    let cancelled = false;
    const timer = setTimeout(
      () =>
        void reloadRef.current().finally(() => {
          if (!cancelled) setMoving((current) => (current === moving ? null : current));
        }),
      live ? LANDING_WAIT_MS : 0,
    );
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [moving, live]);

  return { moving, commitDrop };
}
