// The audit trail of imports. Every run that changes something writes one entry (who: the
// uploader, or the system user for the drop folder, CLI and MQTT) in the transaction of its last
// batch, counting what the trail did not cover yet (ledger audited_cycles/audited_bytes). A file that
// grows all day, and an MQTT stream, are audited at most every AUDIT_INTERVAL_MS, and whatever is
// left when it settles or the server stops (flush) — never one entry per cycle.
import type { Db, Tx } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { appendAudit } from '../audit/repository.js';
import type { Who } from '../audit/who.js';
import type { KeyedMutex } from './locks.js';
import * as ledgerRepo from './ledger-repository.js';

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

/** A ledger row as the audit trail sees it at the end of a run. */
export interface AuditSubject {
  ledger: ledgerRepo.LedgerRow;
  /** ledger totals after the run */
  cycles: number;
  errors: number;
  consumedBytes: number;
  duplicateOf?: number | null;
  duplicateCycles?: number;
}

/** Which ledger rows wait for an entry, and writing entries (one per database, inside the Ingestor). */
export class IngestAuditor {
  /** ledger rows with changes the audit trail does not cover yet, and who made them */
  private readonly unaudited = new Map<number, IngestAudit>();

  constructor(
    private readonly db: Db,
    /** the ingest's per-machine locks (an entry is written under the machine's lock) */
    private readonly locks: KeyedMutex,
  ) {}

  /** A run's entry is due when the file is complete, when the row has none yet, or when the last is old enough (a live file). */
  due(ledger: ledgerRepo.LedgerRow, final: boolean, now: number): boolean {
    return final || ledger.auditedAt === null || now - ledger.auditedAt >= AUDIT_INTERVAL_MS;
  }

  /** The one audit entry of an import run (or of what a live source stored since the last one), in the caller's transaction. */
  async write(trx: Tx, audit: IngestAudit, subject: AuditSubject, now: number): Promise<void> {
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

  /** Audits what live runs stored since their last entry (called on a timer and when the server stops); `only`: just these ledger rows. */
  async flush(only?: readonly number[]): Promise<void> {
    for (const [fileId, audit] of [...this.unaudited]) {
      if (only && !only.includes(fileId)) continue;
      const ledger = await ledgerRepo.ledgerById(this.db, fileId);
      this.unaudited.delete(fileId);
      if (ledger) await this.locks.run(ledger.machine, () => this.auditNow(fileId, audit));
    }
  }

  /** Writes the entry for what the trail does not cover of one ledger row yet (caller holds the machine's lock). */
  async auditNow(fileId: number, audit: IngestAudit): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      const ledger = await ledgerRepo.ledgerById(trx, fileId);
      if (!ledger || (ledger.cycles === ledger.auditedCycles && ledger.consumedBytes === ledger.auditedBytes)) return;
      await this.write(trx, audit, { ledger, cycles: ledger.cycles, errors: ledger.errors, consumedBytes: ledger.consumedBytes }, Date.now());
    });
    this.unaudited.delete(fileId);
  }

  /** Audits a batch stored outside a file run (MQTT): due as for a live file, else left for flushAudits. */
  async auditStoredBatch(trx: Tx, audit: IngestAudit, fileId: number, now: number): Promise<void> {
    const ledger = await ledgerRepo.ledgerById(trx, fileId);
    if (!ledger) return;
    if (this.due(ledger, false, now)) await this.write(trx, audit, { ledger, cycles: ledger.cycles, errors: ledger.errors, consumedBytes: ledger.consumedBytes }, now);
    else this.markUnaudited(fileId, audit);
  }

  /** A ledger row whose latest change waits for the next entry (flush). */
  markUnaudited(fileId: number, audit: IngestAudit): void {
    this.unaudited.set(fileId, audit);
  }

  /** The trail covers the row now (its entry went with the run's last batch). */
  covered(fileId: number): void {
    this.unaudited.delete(fileId);
  }
}
