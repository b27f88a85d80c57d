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
// Audit: every run that changes something writes one entry (who: the uploader, or the system user
// for the drop folder, CLI and MQTT) in the transaction of its last batch, counting what the trail
// did not cover yet (ledger audited_cycles/audited_bytes). A file that grows all day, and an MQTT
// stream, are audited at most every AUDIT_INTERVAL_MS, and whatever is left when it settles or the
// server stops (flushAudits) — never one entry per cycle.
import { createHash, type Hash } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Db, Executor, Tx } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import { appendAudit } from '../audit/repository.js';
import type { Who } from '../audit/who.js';
import { PartRegistry } from '../../core/oee/rework.js';
import { SensorLogParser, type Cycle, type RowError } from '../../core/sensor/index.js';
import * as plantRepo from '../plant/repository.js';
import { deriveBatch, gapsByDay, type DerivedBatch } from '../../core/oee/derive.js';
import { KeyedMutex } from './locks.js';
import { updateOperationsForLots } from './production.js';
import * as repo from './repository.js';
import * as ledgerRepo from './ledger-repository.js';
import * as derivedRepo from './derived-repository.js';
import { fileSource, type IngestSource } from './sources.js';
import { planTransaction, replan } from '../orders/planner.js';

export const IDENTITY_BYTES = 4096;
export const DEFAULT_BATCH_ROWS = 20_000;
/** Row errors kept in ingest_errors per file (the ledger counts all of them). */
export const MAX_STORED_ERRORS_PER_FILE = 200;
/** Row errors returned in one result (the rest are counted in errorCount). */
const MAX_RESULT_ERRORS = 100;
/** The parser's closing "N more bad rows not listed" entry (its rows are counted already). */
const SUMMARY_ERROR = /^\d+ more bad rows not listed/;
/** Lots whose serials a machine's rework registry holds before it is rebuilt from scratch. */
const MAX_CACHED_LOTS = 64;

export type IngestKind = 'file' | 'upload' | 'demo';
/** A live source (a growing drop-folder file, an MQTT stream) writes at most one audit entry per ledger row this often. */
export const AUDIT_INTERVAL_MS = 5 * 60_000;

/** Who makes an import's changes, for its audit entry (entity 'sensor-file', key '<machine>/<file>'). */
export interface IngestAudit {
  who: Who;
  /** 'upload' | 'import' */
  action: string;
}

/** The system user, from the door it came through (drop-folder, cli, mqtt). */
export const systemImport = (source: string): IngestAudit => ({ who: { actor: 'system', source }, action: 'import' });

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

/** A ledger row as the audit trail sees it at the end of a run. */
interface AuditSubject {
  ledger: ledgerRepo.LedgerRow;
  /** ledger totals after the run */
  cycles: number;
  errors: number;
  consumedBytes: number;
  duplicateOf?: number | null;
  duplicateCycles?: number;
}

/**
 * The stateful part of ingest, one per database: per-machine serialisation and the rework
 * registries (rebuilt lazily from stored cycles, kept between batches while no other writer
 * intervened).
 */
export class Ingestor {
  private readonly machineLocks = new KeyedMutex();
  private readonly reworkCaches = new Map<string, ReworkCache>();
  /** ledger rows with changes the audit trail does not cover yet, and who made them */
  private readonly unaudited = new Map<number, IngestAudit>();

  constructor(
    readonly db: Db,
    readonly zone: string,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Runs fn with the machine's ingest lock held (every write path of machine data goes through it). */
  withMachine<T>(machine: string, fn: () => Promise<T>): Promise<T> {
    return this.machineLocks.run(machine, fn);
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
          await inTransaction(this.db, (trx) => this.writeAudit(trx, audit, subject(), now));
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
      const auditDue = audit !== undefined && last && this.auditDue(ledger, options.final, now);
      const outcome = await this.storeBatch(batch, async (trx, stored) => {
        if (onBatch) await onBatch({ index, cycles: stored.stored, consumedBytes: batch.consumedBytes }, trx);
        if (auditDue) {
          // (the transaction may be retried: nothing outside it is touched here)
          const at = subject(stored.stored);
          at.consumedBytes = batch.consumedBytes;
          at.errors += batch.errorCount;
          at.duplicateCycles = result.duplicateCycles + stored.duplicates;
          at.duplicateOf = result.duplicateOf?.fileId ?? stored.duplicateOf;
          await this.writeAudit(trx, audit, at, now);
        }
      });
      result.duplicateCycles += outcome.duplicates;
      if (result.duplicateOf === null && outcome.duplicateOf !== null) result.duplicateOf = await this.describeFile(this.db, outcome.duplicateOf);
      if (auditDue) this.unaudited.delete(fileId);
      else if (audit) this.unaudited.set(fileId, audit);
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
      else if (audit && (committed > 0 || createdDuplicate) && this.auditDue(ledger, options.final, now)) {
        await inTransaction(this.db, (trx) => this.writeAudit(trx, audit, subject(), now));
      }
    } catch (error) {
      // nothing of a new file was stored: leave no trace of it either (a re-run starts clean)
      if ((createdLedger || createdDuplicate) && committed === 0) await ledgerRepo.deleteEmptyLedger(this.db, fileId, ledger.consumedBytes);
      // batches stored before the failure stay: the audit trail must still say who stored them
      if (committed > 0 && audit) await this.auditLedgerNow(fileId, audit).catch(() => undefined);
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

  /** A run's entry is due when the file is complete, when the row has none yet, or when the last is old enough (a live file). */
  private auditDue(ledger: ledgerRepo.LedgerRow, final: boolean, now: number): boolean {
    return final || ledger.auditedAt === null || now - ledger.auditedAt >= AUDIT_INTERVAL_MS;
  }

  /** The one audit entry of an import run (or of what a live source stored since the last one), in the caller's transaction. */
  private async writeAudit(trx: Tx, audit: IngestAudit, subject: AuditSubject, now: number): Promise<void> {
    const { ledger } = subject;
    await appendAudit(
      trx,
      {
        ...audit.who,
        entity: 'sensor-file',
        entityKey: `${ledger.machine}/${ledger.name}`,
        action: audit.action,
        before: null,
        after: {
          file: ledger.name, machine: ledger.machine, fileId: ledger.id, source: ledger.source, cycles: subject.cycles - ledger.auditedCycles,
          fromBytes: ledger.auditedBytes, consumedBytes: subject.consumedBytes, totalCycles: subject.cycles, errors: subject.errors,
          duplicateOf: subject.duplicateOf ?? ledger.duplicateOf, duplicateCycles: subject.duplicateCycles ?? 0,
        },
      },
      now,
    );
    await ledgerRepo.markLedgerAudited(trx, ledger.id, subject.cycles, subject.consumedBytes, now);
  }

  /** Audits what live runs stored since their last entry (called on a timer and when the server stops). */
  async flushAudits(): Promise<void> {
    for (const [fileId, audit] of [...this.unaudited]) {
      const ledger = await ledgerRepo.ledgerById(this.db, fileId);
      this.unaudited.delete(fileId);
      if (ledger) await this.withMachine(ledger.machine, () => this.auditLedgerNow(fileId, audit));
    }
  }

  /** Writes the entry for what the trail does not cover of one ledger row yet (caller holds the machine's lock). */
  private async auditLedgerNow(fileId: number, audit: IngestAudit): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      const ledger = await ledgerRepo.ledgerById(trx, fileId);
      if (!ledger || (ledger.cycles === ledger.auditedCycles && ledger.consumedBytes === ledger.auditedBytes)) return;
      await this.writeAudit(trx, audit, { ledger, cycles: ledger.cycles, errors: ledger.errors, consumedBytes: ledger.consumedBytes }, Date.now());
    });
    this.unaudited.delete(fileId);
  }

  /** Audits a batch stored outside a file run (MQTT): due as for a live file, else left for flushAudits. */
  async auditStoredBatch(trx: Tx, audit: IngestAudit, fileId: number, now: number): Promise<void> {
    const ledger = await ledgerRepo.ledgerById(trx, fileId);
    if (!ledger) return;
    if (this.auditDue(ledger, false, now)) await this.writeAudit(trx, audit, { ledger, cycles: ledger.cycles, errors: ledger.errors, consumedBytes: ledger.consumedBytes }, now);
    else this.markUnaudited(fileId, audit);
  }

  /** A ledger row whose latest change waits for the next entry (flushAudits). */
  markUnaudited(fileId: number, audit: IngestAudit): void {
    this.unaudited.set(fileId, audit);
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

  /**
   * Stores one batch in one transaction: machine lock row, derived rows, raw cycles, errors, operation
   * progress and the ledger offset. Callers hold the machine's in-process lock.
   */
  async storeBatch(batch: PendingBatch, hook?: BatchHook): Promise<BatchOutcome> {
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
        return { derived, operationsUpdated, seq: state.seq, stored: cycles.length, duplicates, duplicateOf };
      });
      const cache = this.reworkCaches.get(machine);
      if (cache) cache.seq = outcome.seq;
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

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** sha256 of the first bytes and the base name: the same file under the same name, whatever its path. */
export function identityOf(head: Buffer, name: string): string {
  return createHash('sha256').update(head).update('\u0000').update(name).digest('hex');
}

/**
 * Why the start of a file is not a camera log, or null: a NUL byte, or mostly control / non-ASCII
 * bytes (images, archives, spreadsheets). The camera writes plain ASCII lines.
 */
export function binaryContent(head: Buffer): { line: number; message: string } | null {
  let suspicious = 0;
  let line = 1;
  for (let i = 0; i < head.length; i++) {
    const byte = head[i];
    if (byte === 0) {
      return { line, message: `not a camera log: the file is binary (NUL byte at offset ${i}); expected text lines like 1330700,159070,137622,1,10/11/22 12:39:21.479` };
    }
    if (byte === 10) line++;
    else if ((byte < 32 && byte !== 9 && byte !== 13) || byte >= 127) suspicious++;
  }
  if (head.length >= 64 && suspicious / head.length > 0.1) {
    return { line: 1, message: `not a camera log: ${Math.round((100 * suspicious) / head.length)} % of its first ${head.length} bytes are not text (binary file?)` };
  }
  return null;
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
