// The load modes of the planning board, as a pure function over a machine's queue of operation ids.
import type { LoadMode } from './types.js';

/**
 * Loads `opId` into `queue` (ordered ids, index 0 = running job) and returns the new queue and the
 * ids that went back to the parking lot. An id already in the queue is moved, never duplicated.
 * - replace: takes index 0; the job that ran there is parked
 * - insert: right after the running job (index 1; index 0 when the queue is otherwise empty)
 * - append: at the end
 * - position: ends up at `index` of the new queue, clamped to its bounds (what drag and drop does)
 */
export function loadIntoQueue(
  queue: string[],
  opId: string,
  mode: LoadMode,
  index?: number,
): { queue: string[]; parked: string[] } {
  const others = queue.filter((id) => id !== opId);
  switch (mode) {
    case 'replace': {
      // Replacing oneself (already running) changes nothing.
      if (queue[0] === opId) return { queue: [...queue], parked: [] };
      const [running, ...waiting] = others;
      return { queue: [opId, ...waiting], parked: running === undefined ? [] : [running] };
    }
    case 'insert':
      return { queue: insertAt(others, Math.min(1, others.length), opId), parked: [] };
    case 'append':
      return { queue: [...others, opId], parked: [] };
    case 'position': {
      if (index === undefined || Number.isNaN(index)) {
        throw new RangeError("load mode 'position' needs an index");
      }
      const clamped = Math.min(Math.max(0, Math.trunc(index)), others.length);
      return { queue: insertAt(others, clamped, opId), parked: [] };
    }
    default: {
      const unknownMode: never = mode;
      throw new RangeError(`unknown load mode '${String(unknownMode)}'`);
    }
  }
}

function insertAt(ids: string[], index: number, id: string): string[] {
  return [...ids.slice(0, index), id, ...ids.slice(index)];
}
