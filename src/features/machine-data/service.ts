// The machine-data use case every door goes through (upload route, drop-folder watcher, MQTT,
// CLI, demo seed): ingest, audit, then re-plan and tell open screens.
import type { Db } from '../../db/database.js';
import { planTransaction, replan } from '../orders/planner.js';
import type { IngestFileResult } from './ingest.js';

/** Something live updates can be published to (the server's EventHub). */
export interface Publisher {
  publish(event: { topic: string; data?: unknown }): void;
}

export interface IngestSummary {
  machines: string[];
  cycles: number;
  operationsUpdated: number;
}

/** Sums results per call site (a CLI run, an upload, a watcher pass). */
export function summarizeResults(results: readonly IngestFileResult[]): IngestSummary {
  return {
    machines: [...new Set(results.filter((r) => r.cycles > 0 || r.operationsUpdated > 0).map((r) => r.machine))],
    cycles: results.reduce((sum, r) => sum + r.cycles, 0),
    operationsUpdated: results.reduce((sum, r) => sum + r.operationsUpdated, 0),
  };
}

/**
 * After an ingest call: re-plan the plant once when production counts of operations changed, and
 * tell open screens ('production', and 'schedule' after a re-plan).
 */
export async function afterIngest(db: Db, zone: string, events: Publisher | null, summary: IngestSummary, now: number): Promise<void> {
  if (summary.operationsUpdated > 0) {
    await planTransaction(db, (trx) => replan(trx, zone, now));
    events?.publish({ topic: 'schedule', data: { machines: summary.machines, reason: 'production' } });
  }
  if (summary.cycles > 0) events?.publish({ topic: 'production', data: { machines: summary.machines, cycles: summary.cycles } });
}
