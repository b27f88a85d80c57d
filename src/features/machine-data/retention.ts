// Raw cycles are kept QMFG_RAW_RETENTION_DAYS (default 400); the derived tables (gaps, minute/hour/lot
// counts) that OEE, stops and lot progress come from are kept forever. MQTT dedupe keys only matter
// while a redelivery can still come: they go after 30 days.
import type { Executor } from '../../db/database.js';
import * as repo from './repository.js';
import { MS_PER_DAY } from '../../core/time.js';

/** Rows per delete statement: short statements keep other writers (ingest) moving. */
const DELETE_SLICE = 50_000;
export const MQTT_KEY_RETENTION_DAYS = 30;

export interface RetentionResult {
  cutoff: number;
  cyclesDeleted: number;
  messageKeysDeleted: number;
}

/** Deletes raw cycles older than `retentionDays` before `now` (every machine), and old MQTT keys. */
export async function deleteExpiredRawData(db: Executor, retentionDays: number, now: number): Promise<RetentionResult> {
  if (!Number.isInteger(retentionDays) || retentionDays < 1) throw new RangeError(`retention must be a whole number of days ≥ 1, got ${retentionDays}`);
  const cutoff = now - retentionDays * MS_PER_DAY;
  let cyclesDeleted = 0;
  for (const machine of await repo.machinesWithCycles(db)) {
    for (;;) {
      const deleted = await repo.deleteCyclesBefore(db, machine, cutoff, DELETE_SLICE);
      cyclesDeleted += deleted;
      if (deleted === 0) break;
    }
  }
  const messageKeysDeleted = await repo.deleteMessageKeysBefore(db, now - Math.max(retentionDays, MQTT_KEY_RETENTION_DAYS) * MS_PER_DAY);
  return { cutoff, cyclesDeleted, messageKeysDeleted };
}
