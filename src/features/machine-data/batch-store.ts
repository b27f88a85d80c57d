// One batch of cycles stored in ONE transaction: the machine's lock row, cycles already stored
// dropped (cycle identity: instant + serial), derived rows (gaps, packed gap days, minute/hour/lot
// counts) and the machine's carry, raw cycles, row errors, operation progress (through orders) and
// the ledger offset, moved only from the value read (compare-and-set). Either all of it is stored
// or none. The rework registries (which serials a lot has seen) are kept per machine between
// batches while no other writer intervened, and rebuilt from stored cycles otherwise.
import type { Db, Executor, Tx } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { Conflict } from '../../core/errors.js';
import { PartRegistry } from '../../core/oee/rework.js';
import type { Cycle, RowError } from '../../core/sensor/index.js';
import { deriveBatch, gapsByDay, type DerivedBatch } from '../../core/oee/derive.js';
import { updateOperationsForLots } from './production.js';
import * as repo from './repository.js';
import * as ledgerRepo from './ledger-repository.js';
import * as derivedRepo from './derived-repository.js';

/** Row errors kept in ingest_errors per file (the ledger counts all of them). */
export const MAX_STORED_ERRORS_PER_FILE = 200;
/** Lots whose serials a machine's rework registry holds before it is rebuilt from scratch. */
const MAX_CACHED_LOTS = 64;

interface ReworkCache {
  /** machine_state.seq this cache is in step with (-1: nothing loaded) */
  seq: number;
  registry: PartRegistry;
  loadedLots: Set<string>;
}

/** A batch ready to be stored, with where its file stood before and after it. */
export interface PendingBatch {
  machine: string;
  fileId: number;
  expectedConsumedBytes: number;
  consumedBytes: number;
  consumedLines: number;
  prefixSha256: string;
  path: string | null;
  cycles: Cycle[];
  /** errors to store (the parser lists at most 100 per file) */
  errors: RowError[];
  /** errors found, listed or not */
  errorCount: number;
  /** more writes in the same transaction (the MQTT message ledger) */
  extra?: (trx: Tx) => Promise<void>;
}

export interface BatchOutcome {
  derived: DerivedBatch;
  operationsUpdated: number;
  /** cycles stored (the batch's minus those already stored) */
  stored: number;
  duplicates: number;
  /** the file the first already-stored cycle came from */
  duplicateOf: number | null;
}

/** What a batch hook sees: the batch's outcome so far (inside its transaction). */
export type BatchHook = (trx: Tx, outcome: { stored: number; duplicates: number; duplicateOf: number | null }) => Promise<void>;

/**
 * A reaction of a feature above machine data to stored cycles (the server wires the alert engine
 * here): `stored` runs inside the batch's transaction, so what it writes commits or rolls back with
 * the cycles that caused it; `committed` runs after the commit (to tell open screens).
 */
export interface BatchObserver {
  stored(trx: Tx, batch: { machine: string; cycles: number; firstAt: number | null; lastAt: number | null; now: number }): Promise<void>;
  committed?(machine: string): void;
}

/** What a committed batch stored, for counters (see BatchStore.committedListeners). */
export interface CommittedBatch {
  machine: string;
  stored: number;
  duplicates: number;
  /** instant of the batch's last cycle (null for a batch without cycles) */
  lastAt: number | null;
  /** when it was stored */
  now: number;
}

/** Stores batches for one database (the Ingestor holds one; callers hold the machine's in-process lock). */
export class BatchStore {
  private readonly reworkCaches = new Map<string, ReworkCache>();
  /** set by the server's wiring (src/server/app.ts); none in a bare ingest (CLI import, tests) */
  observer: BatchObserver | null = null;
  /** told after each commit what it stored (the server's metrics: rows and lag per machine); never inside the transaction */
  readonly committedListeners = new Set<(batch: CommittedBatch) => void>();

  constructor(
    private readonly db: Db,
    private readonly zone: string,
    private readonly clock: () => number,
  ) {}

  /**
   * Stores one batch in one transaction: machine lock row, derived rows, raw cycles, errors, operation
   * progress and the ledger offset. Callers hold the machine's in-process lock.
   */
  async store(batch: PendingBatch, hook?: BatchHook): Promise<BatchOutcome> {
    const { machine } = batch;
    const now = this.clock();
    try {
      // bounded retries of a deadlock / serialisation failure: the whole batch is re-run from the start
      const outcome = await inTransaction(this.db, async (trx) => {
        const state = await repo.lockMachineState(trx, machine, now);
        const cache = this.reworkCacheFor(machine, state.seq - 1);
        // under the machine's lock: what is stored now is all a batch can repeat
        const { fresh: cycles, duplicates, duplicateOf } = await withoutStoredCycles(trx, machine, batch.cycles);
        await this.loadLots(trx, machine, cache, cycles);
        const derived = deriveBatch(cycles, { firstAt: state.firstAt, lastAt: state.lastAt, maxGapMs: state.maxGapMs }, cache.registry);
        const moved = await ledgerRepo.advanceLedger(
          trx,
          batch.fileId,
          batch.expectedConsumedBytes,
          {
            consumedBytes: batch.consumedBytes, consumedLines: batch.consumedLines, prefixSha256: batch.prefixSha256, addCycles: cycles.length,
            addErrors: batch.errorCount, firstAt: derived.firstAt, lastAt: derived.lastAt, path: batch.path, duplicateOf,
          },
          now,
        );
        if (!moved) throw new Conflict(`${machine}: file #${batch.fileId} was imported by someone else at the same time; run the import again to continue`);
        await repo.insertCycles(trx, machine, batch.fileId, cycles, derived.reworks);
        await derivedRepo.insertGaps(trx, machine, derived.gaps);
        await derivedRepo.appendGapDays(trx, machine, gapsByDay(derived.gaps));
        await derivedRepo.addMinuteCounts(trx, machine, derived.minutes);
        await derivedRepo.addHourCounts(trx, machine, derived.hours);
        await derivedRepo.addLotCounts(trx, machine, derived.lots.values());
        await repo.saveMachineCarry(trx, machine, derived.carry, now);
        if (batch.errors.length > 0) {
          const room = MAX_STORED_ERRORS_PER_FILE - (await ledgerRepo.countStoredErrors(trx, batch.fileId));
          if (room > 0) await ledgerRepo.insertErrors(trx, batch.fileId, machine, batch.errors.slice(0, room), now);
        }
        const operationsUpdated = derived.lots.size > 0 ? await updateOperationsForLots(trx, machine, [...derived.lots.keys()], this.zone) : 0;
        if (batch.extra) await batch.extra(trx);
        if (hook) await hook(trx, { stored: cycles.length, duplicates, duplicateOf });
        if (this.observer && cycles.length > 0) await this.observer.stored(trx, { machine, cycles: cycles.length, firstAt: cycles[0].at, lastAt: cycles[cycles.length - 1].at, now });
        return { derived, operationsUpdated, seq: state.seq, stored: cycles.length, duplicates, duplicateOf };
      });
      const cache = this.reworkCaches.get(machine);
      if (cache) cache.seq = outcome.seq;
      if (outcome.stored > 0) this.observer?.committed?.(machine);
      if (this.committedListeners.size > 0) {
        const lastAt = batch.cycles.length > 0 ? batch.cycles[batch.cycles.length - 1].at : null;
        for (const listener of this.committedListeners) listener({ machine, stored: outcome.stored, duplicates: outcome.duplicates, lastAt, now });
      }
      return outcome;
    } catch (error) {
      // the registry may hold serials of the rolled-back batch: rebuild it next time
      this.reworkCaches.delete(machine);
      throw error;
    }
  }

  private reworkCacheFor(machine: string, expectedSeq: number): ReworkCache {
    let cache = this.reworkCaches.get(machine);
    if (!cache || cache.seq !== expectedSeq || cache.loadedLots.size > MAX_CACHED_LOTS) {
      cache = { seq: -1, registry: new PartRegistry(), loadedLots: new Set() };
      this.reworkCaches.set(machine, cache);
    }
    return cache;
  }

  /** Registers the stored parts of every lot of the batch not yet in the registry. */
  private async loadLots(trx: Executor, machine: string, cache: ReworkCache, cycles: readonly Cycle[]): Promise<void> {
    let last = '';
    for (const cycle of cycles) {
      if (!cycle.part || cycle.lot === last) continue;
      last = cycle.lot;
      if (cache.loadedLots.has(cycle.lot)) continue;
      cache.loadedLots.add(cycle.lot);
      for (const serial of await repo.lotPartSerials(trx, machine, cycle.lot)) cache.registry.isRework(cycle.lot, serial);
    }
  }
}

/** Instants closer than this share one range query when looking for already-stored cycles. */
const CYCLE_LOOKUP_JOIN_MS = 10 * 60_000;

/**
 * The cycles of a batch not stored yet for the machine (cycle identity: instant + serial), also once
 * within the batch; how many were left out and the file the first of them came from.
 */
async function withoutStoredCycles(trx: Executor, machine: string, cycles: readonly Cycle[]): Promise<{ fresh: Cycle[]; duplicates: number; duplicateOf: number | null }> {
  if (cycles.length === 0) return { fresh: [], duplicates: 0, duplicateOf: null };
  // one indexed range per cluster of instants: a stray timestamp far away does not widen the read
  const instants = cycles.map((c) => c.at).sort((a, b) => a - b);
  const stored = new Map<string, number>();
  let from = instants[0];
  let to = instants[0];
  for (let i = 1; i <= instants.length; i++) {
    if (i < instants.length && instants[i] - to <= CYCLE_LOOKUP_JOIN_MS) {
      to = instants[i];
      continue;
    }
    for (const [key, fileId] of await repo.storedCycleKeys(trx, machine, from, to)) stored.set(key, fileId);
    if (i < instants.length) from = to = instants[i];
  }
  const seen = new Set<string>();
  const fresh: Cycle[] = [];
  let duplicateOf: number | null = null;
  for (const cycle of cycles) {
    const key = repo.cycleKey(cycle.at, cycle.serial);
    const storedIn = stored.get(key);
    if (storedIn !== undefined && duplicateOf === null) duplicateOf = storedIn;
    if (storedIn !== undefined || seen.has(key)) continue;
    seen.add(key);
    fresh.push(cycle);
  }
  return { fresh: fresh.length === cycles.length ? (cycles as Cycle[]) : fresh, duplicates: cycles.length - fresh.length, duplicateOf };
}
