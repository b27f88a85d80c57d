// Ingest of camera logs: idempotent and transactional.
//
// The ledger (ingest_files) remembers, per machine and file identity, how many bytes were consumed
// and a checksum of that prefix. A run reads only the bytes after the offset, parses them with the
// streaming SensorLogParser (final=false while a file may still grow: a truncated last line stays
// unconsumed), and stores each batch of ~20 000 rows — raw cycles, derived gaps and counts, lot
// counts, operation progress, row errors — in ONE transaction that also moves the ledger offset.
// A crash therefore never duplicates or loses a cycle: either the batch and its offset are both
// stored, or neither is. The offset moves only from the value read (compare-and-set), so two
// processes importing the same file cannot both store a batch.
//
// File identity = sha256(first min(4096, size) bytes + base name). A file seen before is found by
// name + identity; if its consumed prefix no longer matches (replaced, truncated, rewritten) it is
// imported again from the start as a NEW file identity, and the result says so.
//
// Nothing is stored twice, whatever a file is called or whichever door it comes through:
// - a new file whose first bytes equal an imported file's consumed prefix (same head hash without the
//   name, then the whole prefix's sha256) starts where that one stands: its ledger row says
//   duplicate_of, and only bytes after that prefix are read;
// - every batch drops cycles already stored for the machine by cycle identity (instant + serial) —
//   a shorter copy, MQTT after the file or the file after MQTT — before anything is derived from them,
//   so counts, reworks and gaps never see a cycle twice.
// Undoing a file retires the rows that repeated it (undo.ts), so a copy imports again afterwards.
//
// Audit: one entry per run that changes something, live sources at most every AUDIT_INTERVAL_MS
// (ingest-audit.ts). What one batch stores in its transaction: batch-store.ts. The doors (upload,
// drop folder, MQTT, CLI) come in through service.ts.
import { createHash, type Hash } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Db, Executor, Tx } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { Invalid, NotFound, Unavailable } from '../../core/errors.js';
import { SensorLogParser, type Cycle, type RowError } from '../../core/sensor/index.js';
import * as plantRepo from '../plant/repository.js';
import { KeyedMutex } from './locks.js';
import * as ledgerRepo from './ledger-repository.js';
import { fileSource, type IngestSource } from './sources.js';
import { BatchStore, type BatchHook, type BatchObserver, type BatchOutcome, type CommittedBatch, type PendingBatch } from './batch-store.js';
import { IngestAuditor, type AuditSubject, type IngestAudit } from './ingest-audit.js';
import { binaryContent, IDENTITY_BYTES, identityOf, sha256Hex } from './file-identity.js';

export const DEFAULT_BATCH_ROWS = 20_000;
/** Row errors returned in one result (the rest are counted in errorCount). */
const MAX_RESULT_ERRORS = 100;
/** The parser's closing "N more bad rows not listed" entry (its rows are counted already). */
const SUMMARY_ERROR = /^\d+ more bad rows not listed/;

export type IngestKind = 'file' | 'upload' | 'demo';

export interface IngestOptions {
  machine: string;
  source: IngestSource;
  kind: IngestKind;
  /** true when the file is complete: a last line without newline is consumed too */
  final: boolean;
  /** rows per transaction (default 20 000) */
  batchRows?: number;
  /**
   * Runs inside each batch's transaction after its rows are written and before the commit: the
   * upload writes its audit entry here; tests throw to simulate a crash half-way (the batch rolls back).
   */
  onBatch?: (batch: { index: number; cycles: number; consumedBytes: number }, trx: Tx) => void | Promise<void>;
  /** who made the change: one audit entry per run (see the top of this file) */
  audit?: IngestAudit;
  /** bytes of the file dealt with so far (skipped as already imported, then read) — for progress bars */
  onProgress?: (bytes: number) => void;
  /** who imports it (an upload's user), kept on a new ledger row */
  actor?: string | null;
}

export interface IngestFileResult {
  file: string;
  machine: string;
  /** ledger row (null when nothing was recorded, e.g. an empty file) */
  fileId: number | null;
  /** cycles stored by this run */
  cycles: number;
  /** row errors of this run (at most 100 listed; errorCount has them all) */
  errors: RowError[];
  errorCount: number;
  /** bytes skipped because an earlier run already imported them */
  skippedBytes: number;
  /** ledger offset after this run */
  consumedBytes: number;
  /** bytes after the offset not consumed yet (an incomplete last line of a growing file) */
  pendingBytes: number;
  /** nothing new: every byte was imported before */
  alreadyImported: boolean;
  /** the file had changed since it was imported and was imported again as a new file */
  replaced: boolean;
  /** the file's content was imported before under another name: that file (its consumed prefix was not read again) */
  duplicateOf: { fileId: number; file: string; importedAt: number } | null;
  /** cycles of this run that were stored already (same machine, instant and serial) and were left out */
  duplicateCycles: number;
  warnings: string[];
  /** operations whose produced count / observed rate changed */
  operationsUpdated: number;
  firstAt: number | null;
  lastAt: number | null;
}

/**
 * The stateful part of ingest, one per database: per-machine serialisation and the rework
 * registries (rebuilt lazily from stored cycles, kept between batches while no other writer
 * intervened).
 */
export class Ingestor {
  private readonly machineLocks = new KeyedMutex();
  private readonly batches: BatchStore;
  private readonly audits: IngestAuditor;
  /** set when the server stops: runs end after the batch they are storing (see stopBetweenBatches) */
  private stopReason: string | null = null;

  constructor(
    readonly db: Db,
    readonly zone: string,
    private readonly clock: () => number = Date.now,
  ) {
    this.batches = new BatchStore(db, zone, clock);
    this.audits = new IngestAuditor(db, this.machineLocks);
  }

  /** Runs fn with the machine's ingest lock held (every write path of machine data goes through it). */
  withMachine<T>(machine: string, fn: () => Promise<T>): Promise<T> {
    return this.machineLocks.run(machine, fn);
  }

  /**
   * A stopping server: every run ends after the batch it is storing now (committed whole) with
   * Unavailable (503), saying how far it got; importing the file again continues from there.
   */
  stopBetweenBatches(reason: string): void {
    this.stopReason = reason;
  }

  async idle(): Promise<void> {
    await this.machineLocks.idle();
  }

  async ingest(options: IngestOptions): Promise<IngestFileResult> {
    const machine = options.machine;
    if (!(await plantRepo.getMachine(this.db, machine))) throw new NotFound('machine', machine);
    return this.withMachine(machine, () => this.ingestLocked(options));
  }

  private async ingestLocked(options: IngestOptions): Promise<IngestFileResult> {
    const { machine, source } = options;
    const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
    if (!Number.isInteger(batchRows) || batchRows < 1) throw new Invalid(`batchRows must be a positive integer, got ${batchRows}`);
    const result: IngestFileResult = {
      file: source.name, machine, fileId: null, cycles: 0, errors: [], errorCount: 0, skippedBytes: 0, consumedBytes: 0, pendingBytes: 0,
      alreadyImported: false, replaced: false, duplicateOf: null, duplicateCycles: 0, warnings: [], operationsUpdated: 0, firstAt: null, lastAt: null,
    };
    const { size } = await source.describe();
    if (size === 0) {
      result.errors.push({ file: source.name, line: 0, message: 'the file is empty (0 bytes): nothing to import' });
      result.errorCount = 1;
      return result;
    }
    const head = await source.head(Math.min(IDENTITY_BYTES, size));
    const now = this.clock();

    const found = await this.findLedger(machine, source, head, size, result, now);
    let ledger: ledgerRepo.LedgerRow;
    let hash: Hash;
    /** a ledger row opened by this run for a new file: removed again if its first batch fails */
    let createdLedger = false;
    /** a ledger row opened by this run as a copy of an imported file: audited even if nothing else is stored */
    let createdDuplicate = false;
    if (found === null) {
      const binary = binaryContent(head);
      const same = binary === null ? await this.findSameContent(machine, source, head, size) : null;
      ledger = await ledgerRepo.insertLedger(
        this.db,
        {
          machine, name: source.name, path: source.path, source: options.kind, identity: identityOf(head, source.name), identityBytes: head.length,
          prefixSha256: sha256Hex(Buffer.alloc(0)), status: binary === null ? 'active' : 'rejected', message: binary?.message ?? null,
          createdBy: options.actor ?? null, headSha256: sha256Hex(head), duplicateOf: same?.row ?? null,
        },
        now,
      );
      if (binary !== null) await ledgerRepo.insertErrors(this.db, ledger.id, machine, [binary], now);
      else createdLedger = same === null;
      createdDuplicate = same !== null;
      hash = same?.hash ?? createHash('sha256');
    } else {
      ({ row: ledger, hash } = found);
    }
    result.fileId = ledger.id;
    if (ledger.duplicateOf !== null) {
      const original = await ledgerRepo.ledgerById(this.db, ledger.duplicateOf);
      if (original) result.duplicateOf = { fileId: original.id, file: original.name, importedAt: original.createdAt };
    }
    if (ledger.status === 'rejected') {
      result.errors.push({ file: source.name, line: binaryContent(head)?.line ?? 0, message: ledger.message ?? 'the file was rejected' });
      result.errorCount = 1;
      return result;
    }
    result.skippedBytes = ledger.consumedBytes;
    result.consumedBytes = ledger.consumedBytes;

    // A small file that has grown: its identity covers only the bytes it had; widen it to 4096.
    if (ledger.identityBytes < head.length) {
      const wider = identityOf(head, source.name);
      if (!(await ledgerRepo.ledgerByName(this.db, machine, source.name)).some((row) => row.identity === wider)) {
        await ledgerRepo.updateLedgerIdentity(this.db, ledger.id, wider, head.length, sha256Hex(head), source.path, now);
      }
    }

    const audit = options.audit;
    const subject = (stored = 0): AuditSubject => ({
      ledger, cycles: ledger.cycles + result.cycles + stored, errors: ledger.errors + result.errorCount, consumedBytes: expected, duplicateOf: result.duplicateOf?.fileId ?? null,
      duplicateCycles: result.duplicateCycles,
    });
    options.onProgress?.(ledger.consumedBytes);
    let expected = ledger.consumedBytes;
    if (ledger.consumedBytes >= size) {
      result.alreadyImported = true;
      if (createdDuplicate && audit) {
        try {
          await inTransaction(this.db, (trx) => this.audits.write(trx, audit, subject(), now));
        } catch (error) {
          // no entry, no change: the copy's row goes again
          await ledgerRepo.deleteEmptyLedger(this.db, ledger.id, ledger.consumedBytes);
          throw error;
        }
      }
      this.noteDuplicate(result);
      return result;
    }

    const parser = new SensorLogParser({ file: source.name, zone: this.zone, startLine: ledger.consumedLines + 1, startByte: ledger.consumedBytes });
    let hashedUpTo = ledger.consumedBytes;
    let unhashed: Buffer[] = [];
    const hashUpTo = (offset: number) => {
      while (hashedUpTo < offset) {
        const chunk = unhashed[0];
        const take = Math.min(chunk.length, offset - hashedUpTo);
        hash.update(take === chunk.length ? chunk : chunk.subarray(0, take));
        hashedUpTo += take;
        if (take === chunk.length) unhashed.shift();
        else unhashed[0] = chunk.subarray(take);
      }
    };

    let pendingCycles: Cycle[] = [];
    let pendingErrors: RowError[] = [];
    let batchIndex = 0;
    let committed = 0;
    // the parser lists at most 100 errors of a file and then only counts them: count from it
    let errorsCounted = 0;
    let errorsSeen = 0;
    const fileId = ledger.id;
    /** last: the run's closing batch, which carries its audit entry when one is due */
    const commit = async (last: boolean) => {
      hashUpTo(parser.consumedBytes);
      const batch: PendingBatch = {
        machine, fileId, expectedConsumedBytes: expected, consumedBytes: parser.consumedBytes, consumedLines: parser.nextLineNumber - 1,
        prefixSha256: hash.copy().digest('hex'), path: source.path, cycles: pendingCycles, errors: pendingErrors, errorCount: errorsSeen - errorsCounted,
      };
      const index = batchIndex++;
      const onBatch = options.onBatch;
      const auditDue = audit !== undefined && last && this.audits.due(ledger, options.final, now);
      const outcome = await this.storeBatch(batch, async (trx, stored) => {
        if (onBatch) await onBatch({ index, cycles: stored.stored, consumedBytes: batch.consumedBytes }, trx);
        if (auditDue) {
          // (the transaction may be retried: nothing outside it is touched here)
          const at = subject(stored.stored);
          at.consumedBytes = batch.consumedBytes;
          at.errors += batch.errorCount;
          at.duplicateCycles = result.duplicateCycles + stored.duplicates;
          at.duplicateOf = result.duplicateOf?.fileId ?? stored.duplicateOf;
          await this.audits.write(trx, audit, at, now);
        }
      });
      result.duplicateCycles += outcome.duplicates;
      if (result.duplicateOf === null && outcome.duplicateOf !== null) result.duplicateOf = await this.describeFile(this.db, outcome.duplicateOf);
      if (auditDue) this.audits.covered(fileId);
      else if (audit) this.audits.markUnaudited(fileId, audit);
      committed++;
      expected = batch.consumedBytes;
      errorsCounted = errorsSeen;
      result.cycles += outcome.stored;
      result.errorCount += batch.errorCount;
      for (const error of batch.errors) if (result.errors.length < MAX_RESULT_ERRORS) result.errors.push(error);
      result.operationsUpdated += outcome.operationsUpdated;
      if (outcome.derived.firstAt !== null && (result.firstAt === null || outcome.derived.firstAt < result.firstAt)) result.firstAt = outcome.derived.firstAt;
      if (outcome.derived.lastAt !== null && (result.lastAt === null || outcome.derived.lastAt > result.lastAt)) result.lastAt = outcome.derived.lastAt;
      pendingCycles = [];
      pendingErrors = [];
      if (!last && this.stopReason !== null) {
        throw new Unavailable(`${source.name}: ${this.stopReason}; its first ${expected} bytes are stored — upload or import it again to continue from there`);
      }
      // SQLite runs synchronously inside promises: let the server answer requests between batches
      await new Promise((resolve) => setImmediate(resolve));
    };

    try {
      let bytesDone = ledger.consumedBytes;
      for await (const chunk of source.read(ledger.consumedBytes, size)) {
        const out = parser.push(chunk);
        bytesDone += chunk.length;
        for (const cycle of out.cycles) pendingCycles.push(cycle);
        for (const error of out.errors) pendingErrors.push(error);
        unhashed.push(chunk);
        hashUpTo(parser.consumedBytes);
        errorsSeen = parser.errorCount;
        if (pendingCycles.length >= batchRows) await commit(false);
        options.onProgress?.(bytesDone);
      }
      const tail = parser.end(options.final);
      for (const cycle of tail.cycles) pendingCycles.push(cycle);
      for (const error of tail.errors) {
        pendingErrors.push(error);
        // end() adds the last line's error (if any) and a summary of the unlisted ones, already counted
        if (!SUMMARY_ERROR.test(error.message)) errorsSeen++;
      }
      if (pendingCycles.length > 0 || pendingErrors.length > 0 || parser.consumedBytes !== expected) await commit(true);
      else if (audit && (committed > 0 || createdDuplicate) && this.audits.due(ledger, options.final, now)) {
        await inTransaction(this.db, (trx) => this.audits.write(trx, audit, subject(), now));
      }
    } catch (error) {
      // nothing of a new file was stored: leave no trace of it either (a re-run starts clean)
      if ((createdLedger || createdDuplicate) && committed === 0) await ledgerRepo.deleteEmptyLedger(this.db, fileId, ledger.consumedBytes);
      // batches stored before the failure stay: the audit trail must still say who stored them
      if (committed > 0 && audit) await this.audits.auditNow(fileId, audit).catch(() => undefined);
      throw error;
    } finally {
      unhashed = [];
    }
    result.consumedBytes = expected;
    result.pendingBytes = size - expected;
    if (result.cycles === 0 && result.errorCount === 0) result.alreadyImported = result.skippedBytes > 0 && expected === result.skippedBytes;
    if (result.cycles === 0 && result.errorCount === 0 && result.skippedBytes === 0 && expected > 0 && result.duplicateCycles === 0) {
      result.warnings.push('no cycles in the file (only blank lines)');
    }
    this.noteDuplicate(result);
    return result;
  }

  /** Says plainly in the result what was not stored again, and why. */
  private noteDuplicate(result: IngestFileResult): void {
    const original = result.duplicateOf;
    if (original === null) return;
    if (result.skippedBytes > 0 && result.duplicateCycles === 0 && result.cycles === 0) {
      const day = DateTime.fromMillis(original.importedAt, { zone: this.zone }).toISODate();
      result.warnings.push(`already imported as ${original.file} on ${day}: nothing stored twice`);
    } else if (result.duplicateCycles > 0) {
      result.warnings.push(`${result.duplicateCycles} cycles were already imported (${original.file}): nothing stored twice`);
    }
  }

  private async describeFile(db: Executor, fileId: number): Promise<IngestFileResult['duplicateOf']> {
    const row = await ledgerRepo.ledgerById(db, fileId);
    return row ? { fileId: row.id, file: row.name, importedAt: row.createdAt } : null;
  }

  /**
   * An imported file of the machine whose consumed prefix the new file starts with (the largest
   * one), with a hash fed with that prefix — the new file continues from there — or null.
   */
  private async findSameContent(machine: string, source: IngestSource, head: Buffer, size: number): Promise<{ row: ledgerRepo.LedgerRow; hash: Hash } | null> {
    const lengths = (await ledgerRepo.ledgerHeadLengths(this.db, machine)).filter((length) => length > 0 && length <= head.length);
    const heads = lengths.map((length) => sha256Hex(head.subarray(0, length)));
    for (const candidate of await ledgerRepo.ledgerByHead(this.db, machine, heads, size)) {
      const hash = await this.prefixHash(candidate, source);
      if (hash !== null) return { row: candidate, hash };
    }
    return null;
  }

  /**
   * The ledger row of this file, or null for a file never seen. A row whose consumed prefix no longer
   * matches the file is retired (the file was replaced or truncated) and null returned, so the
   * caller starts it over as a new identity.
   */
  private async findLedger(
    machine: string,
    source: IngestSource,
    head: Buffer,
    size: number,
    result: IngestFileResult,
    now: number,
  ): Promise<{ row: ledgerRepo.LedgerRow; hash: Hash } | null> {
    const candidates = await ledgerRepo.ledgerByName(this.db, machine, source.name);
    const match = candidates.find((row) => row.identityBytes <= head.length && identityOf(head.subarray(0, row.identityBytes), source.name) === row.identity);
    if (match) {
      if (match.status === 'rejected') return { row: match, hash: createHash('sha256') };
      // Nothing new to read: the identity matched and nothing can be appended to a wrong prefix, so
      // the prefix is not re-hashed (a server start would otherwise re-read every file of the drop
      // folder). It is verified as soon as the file has new bytes.
      if (size === match.consumedBytes) return { row: match, hash: createHash('sha256') };
      const hash = size < match.consumedBytes ? null : await this.prefixHash(match, source);
      if (hash !== null) return { row: match, hash };
      const why = size < match.consumedBytes ? `it is now ${size} bytes, shorter than the ${match.consumedBytes} bytes imported` : `its first ${match.consumedBytes} bytes differ from what was imported`;
      await this.retire(match, `replaced: ${why}`, now);
      result.replaced = true;
      result.warnings.push(`${source.name} changed since it was imported (${why}): importing it again from the start as a new file; cycles imported from the old version stay`);
      return null;
    }
    // The same path holding a different file start: the file was replaced in place.
    const samePath = source.path === null ? undefined : candidates.find((row) => row.path === source.path && row.status === 'active');
    if (samePath) {
      const why = size < samePath.consumedBytes ? `it is now ${size} bytes, shorter than the ${samePath.consumedBytes} bytes imported` : 'its first bytes differ from what was imported';
      await this.retire(samePath, `replaced: ${why}`, now);
      result.replaced = true;
      result.warnings.push(`${source.name} at ${source.path} changed since it was imported (${why}): importing it again from the start as a new file; cycles imported from the old version stay`);
    }
    return null;
  }

  private async retire(row: ledgerRepo.LedgerRow, message: string, now: number): Promise<void> {
    await ledgerRepo.markLedgerReplaced(this.db, row.id, message, now);
  }

  /**
   * A hash object fed with bytes [0, consumedBytes) of the file when they still match the ledger's
   * checksum, else null. The whole prefix is read each time the file has new bytes: a file rewritten
   * in place keeps its inode and may keep its first bytes, so nothing cheaper is proof.
   */
  private async prefixHash(row: ledgerRepo.LedgerRow, source: IngestSource): Promise<Hash | null> {
    const hash = createHash('sha256');
    for await (const chunk of source.read(0, row.consumedBytes)) hash.update(chunk);
    return hash.copy().digest('hex') === row.prefixSha256 ? hash : null;
  }

  /** Audits what live runs stored since their last entry (called on a timer and when the server stops). */
  flushAudits(only?: readonly number[]): Promise<void> {
    return this.audits.flush(only);
  }

  /** Audits a batch stored outside a file run (MQTT): due as for a live file, else left for flushAudits. */
  auditStoredBatch(trx: Tx, audit: IngestAudit, fileId: number, now: number): Promise<void> {
    return this.audits.auditStoredBatch(trx, audit, fileId, now);
  }

  /** Stores one batch in one transaction (batch-store.ts). Callers hold the machine's in-process lock. */
  /** What runs with every stored batch (see BatchObserver): one observer, replaced by a later call; null removes it. */
  observeBatches(observer: BatchObserver | null): void {
    this.batches.observer = observer;
  }

  /** Calls `listener` after every committed batch (metrics); returns the function that stops it. */
  onBatchCommitted(listener: (batch: CommittedBatch) => void): () => void {
    this.batches.committedListeners.add(listener);
    return () => this.batches.committedListeners.delete(listener);
  }

  storeBatch(batch: PendingBatch, hook?: BatchHook): Promise<BatchOutcome> {
    return this.batches.store(batch, hook);
  }
}

const ingestors = new WeakMap<Db, Ingestor>();

/** The ingestor of a database (one per process and database, so its locks and caches are shared). */
export function ingestorFor(db: Db, zone: string): Ingestor {
  let ingestor = ingestors.get(db);
  if (!ingestor) {
    ingestor = new Ingestor(db, zone);
    ingestors.set(db, ingestor);
  }
  return ingestor;
}

export interface IngestFileOptions {
  machine: string;
  path: string;
  zone: string;
  final?: boolean;
  kind?: IngestKind;
  batchRows?: number;
  onBatch?: IngestOptions['onBatch'];
  onProgress?: IngestOptions['onProgress'];
  audit?: IngestAudit;
}

/** Imports the new bytes of one file on disk (see the top of this file). */
export function ingestFile(db: Db, options: IngestFileOptions): Promise<IngestFileResult> {
  return ingestorFor(db, options.zone).ingest({
    machine: options.machine,
    source: fileSource(options.path),
    kind: options.kind ?? 'file',
    final: options.final ?? true,
    batchRows: options.batchRows,
    onBatch: options.onBatch,
    onProgress: options.onProgress,
    audit: options.audit,
  });
}
