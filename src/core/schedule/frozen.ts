// The frozen horizon (issue 15 item 2), decided in one place for the optimiser and for the check an
// accepted suggestion passes: running operations, and with a horizon the queued ones starting within
// it, form each machine's frozen head (they keep machine and order); further down, pinned operations
// and operations starting within the horizon behind a movable one stay where they are too.
import type { ScheduleModel, ScheduleNode } from './scheduler.js';
import { MS_PER_HOUR } from '../time.js';

export interface FrozenQueue {
  machine: string;
  /** the leading operations that keep machine and place */
  head: ScheduleNode[];
  /** everything after the head, in queue order */
  tail: ScheduleNode[];
  /** the tail's operations that may not move (pinned, or within the horizon) */
  fixed: ScheduleNode[];
}

/** Splits every queue of a model that has been run (the plan as it stands decides what falls in the horizon). */
export function frozenQueues(model: ScheduleModel, frozenHours: number): FrozenQueue[] {
  const frozenUntil = model.now + frozenHours * MS_PER_HOUR;
  const inHorizon = (node: ScheduleNode) => node.running || (frozenHours > 0 && node.start !== null && node.start < frozenUntil);
  return [...model.queues.values()].map((queue) => {
    const split: FrozenQueue = { machine: queue.key, head: [], tail: [], fixed: [] };
    for (const node of queue.nodes) {
      const frozen = inHorizon(node);
      if (split.tail.length === 0 && frozen) {
        split.head.push(node);
        continue;
      }
      split.tail.push(node);
      if (frozen || node.input?.pinned) split.fixed.push(node);
    }
    return split;
  });
}
