// Saving a drop: park the job, or load it on a machine at a queue position (a running job stays
// first), with the toast that says what happened — the queue position the move's answer (the work
// order as the server now has it) gives. The board then fetches the new plan once: at once, in
// place of the refetch the server's live announcement of the same change would cause.
import { useCallback, useState } from 'react';
import { ApiError, errorMessage } from '../../api/client.js';
import { loadOperation, operationAction, type Board } from '../../api/orders.js';
import type { BoardRefresh } from './live-refresh.js';
import { isNoMove, sameOperation, type OperationRef } from './drop.js';
import type { LaneDropHint } from './gantt.js';
import type { DragSource, DropTarget } from './use-drag.js';

interface Toasts {
  success(message: string): void;
  info(message: string): void;
  error(message: string): void;
}

export interface Moving {
  op: OperationRef;
  /** where it was dropped, drawn until the board shows it there */
  hint: LaneDropHint | null;
}

export function useMoves({ latest, refresh, reload, toast }: {
  /** the board as shown now */
  latest: { current: { data: Board | undefined } };
  refresh: BoardRefresh;
  reload: () => Promise<void>;
  toast: Toasts;
}) {
  const [moving, setMoving] = useState<Moving | null>(null);

  const commitDrop = useCallback(
    async (source: DragSource, target: DropTarget) => {
      const { bar } = source;
      const op = { lot: bar.lot, step: bar.step };
      const current = latest.current.data;
      try {
        if (target.kind === 'parking') {
          if (source.from === 'parking') return;
          setMoving({ op, hint: null });
          const sentAt = Date.now();
          await operationAction(bar.lot, bar.step, 'park', { version: bar.version });
          await refresh.afterOwnChange(sentAt);
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
        const sentAt = Date.now();
        const wo = await loadOperation(bar.lot, bar.step, request);
        await refresh.afterOwnChange(sentAt);
        // the queue position the server gave it (the answer's), which the drop asked for
        const position = wo.operations.find((o) => o.step === bar.step)?.position ?? (placement.mode === 'position' ? placement.position : null);
        toast.success(
          behindRunning
            ? `A running job stays first: lot ${bar.lot} dropped right after ${head?.lot} on ${lane.name}`
            : `Lot ${bar.lot} planned on ${lane.name}${placement.mode === 'position' && position !== null ? `, queue position ${position + 1}` : ', at the end'}`,
        );
      } catch (error) {
        if (error instanceof ApiError && error.isStale) toast.error(`Lot ${bar.lot} was changed by someone else meanwhile; the board shows the latest plan now. Try again.`);
        else toast.error(`Lot ${bar.lot} was not moved: ${errorMessage(error)}`);
        await reload();
      } finally {
        setMoving(null);
      }
    },
    [latest, refresh, reload, toast],
  );

  return { moving, commitDrop };
}
