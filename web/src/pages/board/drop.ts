// Where a dropped operation lands in a machine's queue. The board shows the queue on a time axis; a
// drop at an instant means "before the first job that starts at or after it", so dropping between
// two jobs inserts between them. The result is an index into the queue without the moved operation
// (what the server's 'position' load mode expects).
import type { BoardBar, BoardLane } from '../../api/orders.js';

export interface OperationRef {
  lot: string;
  step: number;
}

export const sameOperation = (a: OperationRef, b: OperationRef) => a.lot === b.lot && a.step === b.step;

export type DropPlacement =
  | { mode: 'position'; position: number; previous: BoardBar | null; next: BoardBar | null }
  /** no job of the queue is in the loaded window: "at the end" is the only safe reading */
  | { mode: 'append'; previous: null; next: null };

/**
 * The placement of `moved` dropped on `lane` at instant `at`. The board lists only the jobs that
 * overlap the fetched window, so the index is taken from the queue positions of the neighbours
 * (which the server numbers densely from 0) rather than by counting the bars on screen.
 */
export function dropPlacement(lane: BoardLane, moved: OperationRef, at: number): DropPlacement {
  const own = lane.bars.find((b) => sameOperation(b, moved));
  const others = lane.bars.filter((b) => !sameOperation(b, moved) && b.position !== null).sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  if (others.length === 0) {
    // an empty lane: position 0 and append are the same; a lane whose jobs are all off-window: append
    return lane.bars.length === 0 || (own && lane.bars.length === 1) ? { mode: 'position', position: 0, previous: null, next: null } : { mode: 'append', previous: null, next: null };
  }
  // index in the queue once the moved operation has been taken out of it
  const indexWithout = (bar: BoardBar) => (bar.position ?? 0) - (own?.position !== null && own?.position !== undefined && (bar.position ?? 0) > own.position ? 1 : 0);
  const startsBefore = (bar: BoardBar) => bar.start !== null && bar.start < at;
  const next = others.find((bar) => !startsBefore(bar)) ?? null;
  const previousCandidates = others.filter(startsBefore);
  const previous = previousCandidates.length > 0 ? previousCandidates[previousCandidates.length - 1] : null;
  if (next) return { mode: 'position', position: indexWithout(next), previous, next };
  return { mode: 'position', position: indexWithout(others[others.length - 1]) + 1, previous, next: null };
}

/** Whether dropping `moved` with `placement` would leave the queue as it is. */
export function isNoMove(lane: BoardLane, moved: OperationRef, placement: DropPlacement): boolean {
  const own = lane.bars.find((b) => sameOperation(b, moved));
  if (!own || own.position === null) return false;
  if (placement.mode === 'append') return false;
  return placement.position === own.position;
}
