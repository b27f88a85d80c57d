// Dragging a job on the board: a press on a bar or a parked item becomes a drag after a few pixels
// of movement (below that it stays a click that opens the job), follows the pointer over the lanes
// and the parking lot, and on release hands the source and the drop target to `onDrop`. Escape or
// a cancelled pointer drops nothing. One pointer-event path for mouse, pen and touch.
import { useCallback, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { Board, BoardBar } from '../../api/orders.js';
import { dropPlacement } from './drop.js';
import type { LaneDropHint } from './gantt.js';
import type { TimeWindow } from './time-scale.js';

const DRAG_THRESHOLD_PX = 6;

export type DragSource = { bar: BoardBar; from: 'parking' } | { bar: BoardBar; from: 'lane'; machine: string };
export type DropTarget = ({ kind: 'lane' } & LaneDropHint) | { kind: 'parking' };
export interface DragState {
  source: DragSource;
  x: number;
  y: number;
  target: DropTarget | null;
}

export interface Drag {
  /** the drag under way, for the ghost and the drop hints; null when none */
  drag: DragState | null;
  /** for onPointerDown of a bar or a parked item */
  startPress: (event: ReactPointerEvent<HTMLElement>, source: DragSource) => void;
  /** true right after a drag ended: the click the release causes must not open the job */
  clickSuppressed: () => boolean;
}

/**
 * `latest` gives the board and view as shown now (read at each pointer move); `blocked` refuses new
 * presses while a move is being saved.
 */
export function useDrag({ latest, blocked, onDrop }: {
  latest: { current: { data: Board | undefined; view: TimeWindow } };
  blocked: boolean;
  onDrop: (source: DragSource, target: DropTarget) => void;
}): Drag {
  const [drag, setDrag] = useState<DragState | null>(null);
  const suppressClick = useRef(false);

  /** Where the pointer is: a lane track at an instant, the parking lot, or nowhere. */
  const hitTest = useCallback(
    (clientX: number, clientY: number, bar: BoardBar): DropTarget | null => {
      const element = document.elementFromPoint(clientX, clientY);
      if (!element) return null;
      if (element.closest('[data-drop-parking]')) return { kind: 'parking' };
      const track = element.closest<HTMLElement>('[data-drop-lane]');
      const { data, view } = latest.current;
      if (!track || !data) return null;
      const lane = data.lanes.find((l) => l.machine === track.dataset.dropLane);
      if (!lane) return null;
      const box = track.getBoundingClientRect();
      const at = view.start + ((clientX - box.left) / box.width) * (view.end - view.start);
      return { kind: 'lane', machine: lane.machine, at, placement: dropPlacement(lane, bar, at), allowed: lane.enabled };
    },
    [latest],
  );

  const startPress = useCallback(
    (event: ReactPointerEvent<HTMLElement>, source: DragSource) => {
      if (event.pointerType === 'mouse' && event.button !== 0) return;
      if (blocked) return;
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
          if (target) onDrop(source, target);
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
    [hitTest, blocked, onDrop],
  );

  const clickSuppressed = useCallback(() => suppressClick.current, []);
  return { drag, startPress, clickSuppressed };
}
