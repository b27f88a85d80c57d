// When the board fetches itself again. New production is applied in place (the bars' produced
// counts from the event's per-machine deltas, see applyProductionToBoard); other live events — and
// production the board cannot apply — refetch it, once per burst: events from many machines arrive
// close together, and one board request a little later (well within a second) shows them all. A change made on this board (a move, a re-plan) fetches it at once instead,
// and the server's live announcement of that same change — its echo, which the server sends just
// before it answers — does not fetch it a second time.
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useLiveTopics, type LiveEvent } from '../../hooks/live-events.js';
import type { Board } from '../../api/orders.js';
import type { MachineDelta } from '../../api/live.js';

/**
 * The board with production deltas applied: each delta's job (lot, step) on its machine's lane gets
 * its produced count and state. Machines without a lane here are none of this board's business;
 * null when a lane's job is not among its bars (the queue changed: fetch the board).
 */
export function applyProductionToBoard(board: Board, deltas: ReadonlyMap<string, MachineDelta>): Board | null {
  let changed = false;
  const lanes = [];
  for (const lane of board.lanes) {
    const delta = deltas.get(lane.machine);
    const job = delta?.job;
    if (!job) {
      lanes.push(lane);
      continue;
    }
    const index = lane.bars.findIndex((bar) => bar.lot === job.lot && bar.step === job.step);
    // a running job overlaps now: if now is in the fetched window and its bar is missing, the queue
    // changed (fetch); a job outside the window has no bar and nothing to show
    if (index < 0) {
      if (job.state === 'running' && (job.forecastEnd ?? Number.POSITIVE_INFINITY) >= board.from && board.now <= board.to) return null;
      lanes.push(lane);
      continue;
    }
    const bar = lane.bars[index];
    if (bar.produced === job.produced && bar.state === job.state) {
      lanes.push(lane);
      continue;
    }
    changed = true;
    lanes.push({ ...lane, bars: lane.bars.map((b, i) => (i === index ? { ...b, produced: job.produced, good: job.good, state: job.state } : b)) });
  }
  return changed ? { ...board, lanes } : board;
}

const LIVE_COALESCE_MS = 150;
/** how long after our own change's answer its echo may still arrive */
export const ECHO_WINDOW_MS = 1000;

/**
 * Tells the echo of our own change from any other schedule event: after our change was answered,
 * the first schedule event within the window is its echo — unless one already arrived after the
 * request was sent (the server announces before it answers, so that one was it).
 */
export class EchoGate {
  private lastEventAt = Number.NEGATIVE_INFINITY;
  private echoDueUntil = Number.NEGATIVE_INFINITY;

  /** our change, sent at `sentAt` (unknown: within the window before its answer), was answered at `now` */
  ownChange(now: number, sentAt = now - ECHO_WINDOW_MS): void {
    const echoSeen = this.lastEventAt >= sentAt;
    this.echoDueUntil = echoSeen ? Number.NEGATIVE_INFINITY : now + ECHO_WINDOW_MS;
  }

  /** a schedule event at `now`: false for the echo of our own change (the fetch after it already shows it) */
  shouldRefetch(now: number): boolean {
    this.lastEventAt = now;
    if (now <= this.echoDueUntil) {
      this.echoDueUntil = Number.NEGATIVE_INFINITY;
      return false;
    }
    return true;
  }
}

export interface BoardRefresh {
  /**
   * Our own change was answered: fetch the board now (in place of a refetch a live event has
   * queued) and let its echo pass. `sentAt`: when the change was sent, if known.
   */
  afterOwnChange: (sentAt?: number) => Promise<void>;
}

/**
 * `apply`: applies an event of `otherTopics` in place, true when done (no fetch needed).
 */
export function useBoardRefresh(reload: () => Promise<void>, otherTopics: readonly string[], apply?: (event: NonNullable<LiveEvent>) => boolean): BoardRefresh {
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const gate = useRef(new EchoGate());
  const reloadRef = useRef(reload);
  reloadRef.current = reload;
  const applyRef = useRef(apply);
  applyRef.current = apply;

  const queue = () => {
    if (pending.current !== null) return;
    pending.current = setTimeout(() => {
      pending.current = null;
      void reloadRef.current();
    }, LIVE_COALESCE_MS);
  };
  useLiveTopics(['schedule'], () => {
    if (gate.current.shouldRefetch(Date.now())) queue();
  });
  useLiveTopics(otherTopics, (event) => {
    if (event && applyRef.current?.(event)) return;
    queue();
  });
  useEffect(
    () => () => {
      if (pending.current !== null) clearTimeout(pending.current);
    },
    [],
  );

  const afterOwnChange = useCallback(async (sentAt?: number) => {
    // a refetch queued by a live event is done by this one: whatever it announced was sent before
    if (pending.current !== null) {
      clearTimeout(pending.current);
      pending.current = null;
    }
    gate.current.ownChange(Date.now(), sentAt);
    await reloadRef.current();
  }, []);

  return useMemo(() => ({ afterOwnChange }), [afterOwnChange]);
}
