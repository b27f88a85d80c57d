// The one use case of machine data's doors (upload route, drop-folder watcher, MQTT, CLI): what
// came in goes through ingest, its audit entry, then re-plan and tell open screens — the same way
// whichever door it came through. Doors parse and report; they do not compose these steps.
import type { Db } from '../../db/database.js';
import { planTransaction, replan } from '../orders/planner.js';
import type { BatchOutcome, PendingBatch } from './batch-store.js';
import type { IngestAudit } from './ingest-audit.js';
import type { IngestFileResult, IngestKind, Ingestor } from './ingest.js';
import type { IngestSource } from './sources.js';

/** What came through a door: one file (its new bytes are read), or an MQTT message parsed into a batch. */
export type Delivery =
  | {
      machine: string;
      file: IngestSource;
      kind: IngestKind;
      /** true when the file is complete (see IngestOptions) */
      final: boolean;
      batchRows?: number;
      onProgress?: (bytes: number) => void;
      /** who imports it (an upload's user) */
      actor?: string | null;
    }
  | {
      machine: string;
      /** the message's ledger row (its stream) and lines, parsed; the caller holds the machine's ingest lock */
      message: PendingBatch;
      /** shown as the result's file (the topic) */
      name: string;
    };

/** Where re-planning goes after ingest: at once (upload, CLI), or to a throttle (drop folder, MQTT: the ProductionNotifier). */
export type FollowUp = { now: true; events: Publisher | null } | { throttle: { add(summary: IngestSummary): void } };

export interface Door {
  /** who the audit entries name: the uploader, or the system user of the door (systemImport) */
  audit: IngestAudit;
  after: FollowUp;
}

/**
 * Takes deliveries from a door into machine data: each file through an ingest run (audited with
 * its last batch, see ingest.ts), each message as one batch audited like a live file; then, for a
 * door that waits (upload, CLI), the entries of what is still unaudited (a growing file) and the
 * re-plan at once, else the summary goes to the door's throttle. One result per delivery, in order.
 */
export async function takeIn(ingestor: Ingestor, deliveries: readonly Delivery[], door: Door): Promise<IngestFileResult[]> {
  const results: IngestFileResult[] = [];
  for (const delivery of deliveries) {
    if ('message' in delivery) {
      const batch = delivery.message;
      const outcome = await ingestor.storeBatch(batch, (trx) => ingestor.auditStoredBatch(trx, door.audit, batch.fileId, Date.now()));
      results.push(messageResult(delivery.name, batch, outcome));
    } else {
      const { machine, file, kind, final, batchRows, onProgress, actor } = delivery;
      results.push(await ingestor.ingest({ machine, source: file, kind, final, batchRows, onProgress, actor, audit: door.audit }));
    }
  }
  const summary = summarizeResults(results);
  if ('now' in door.after) {
    await ingestor.flushAudits(results.flatMap((r) => (r.fileId === null ? [] : [r.fileId])));
    await afterIngest(ingestor.db, ingestor.zone, door.after.events, summary, Date.now());
  } else {
    door.after.throttle.add(summary);
  }
  return results;
}

/** A stored message as a file result: what summaries and doors read. */
function messageResult(name: string, batch: PendingBatch, outcome: BatchOutcome): IngestFileResult {
  return {
    file: name, machine: batch.machine, fileId: batch.fileId, cycles: outcome.stored, errors: batch.errors, errorCount: batch.errorCount, skippedBytes: 0,
    consumedBytes: batch.consumedBytes, pendingBytes: 0, alreadyImported: false, replaced: false, duplicateOf: null, duplicateCycles: outcome.duplicates,
    warnings: [], operationsUpdated: outcome.operationsUpdated, firstAt: outcome.derived.firstAt, lastAt: outcome.derived.lastAt,
  };
}

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
 * tell open screens ('production', and 'schedule' after a re-plan). The server's hub adds each
 * machine's delta to the production event (src/features/live) before it goes to the screens.
 */
export async function afterIngest(db: Db, zone: string, events: Publisher | null, summary: IngestSummary, now: number): Promise<void> {
  if (summary.operationsUpdated > 0) {
    await planTransaction(db, (trx) => replan(trx, zone, now));
    events?.publish({ topic: 'schedule', data: { machines: summary.machines, reason: 'production' } });
  }
  if (summary.cycles > 0) events?.publish({ topic: 'production', data: { machines: summary.machines, cycles: summary.cycles } });
}
