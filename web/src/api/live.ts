// The data of live events, typed by the server's schemas (src/features/live/schemas.ts).
import { productionEventDataSchema, type MachineDelta } from '../../../src/features/live/schemas.js';
import type { LiveEvent } from '../hooks/live-events.js';

export type { LiveJob, MachineDelta } from '../../../src/features/live/schemas.js';

/**
 * The per-machine deltas of a 'production' event, by machine; null when the event has none (a
 * resync after a reconnect, a profile or stop reason changed, an older server): refetch instead.
 */
export function productionDeltas(event: LiveEvent): Map<string, MachineDelta> | null {
  if (!event || event.topic !== 'production') return null;
  const parsed = productionEventDataSchema.safeParse(event.data);
  if (!parsed.success || !parsed.data.deltas) return null;
  return new Map(parsed.data.deltas.map((delta) => [delta.machine, delta]));
}

/**
 * For screens that show nothing a production delta carries (lists, audit, forecast history): the
 * interim production events of live ingest (`replanPending`, up to one a second) change nothing
 * there — the re-plan's own production event follows within seconds and refetches them.
 */
export function waitForReplan<T>(data: T, event: NonNullable<LiveEvent>): T | null {
  return event.topic === 'production' && (event.data as { replanPending?: unknown } | undefined)?.replanPending === true ? data : null;
}
