// Verification of the audit trail (issue 16 item 1): the one walk that `qmfg audit verify`, the
// API and the server's daily job all use. It reads the checkpoints (outside the database), then the
// head, then the entries in id order in batches (keyset pagination, never the whole trail in
// memory), and stops at the first entry that is wrong, saying what is wrong with it:
// - the old plain-hash part (before the keyed scheme) must chain and end at the signed anchor;
// - every later entry must carry the next sequence number (a gap: entries removed), a hash matching
//   its content, a MAC by a configured key over (seq, hash), and link to the previous entry's hash;
// - the trail must reach the head and every checkpoint, with the checkpointed hashes.
import { DateTime } from 'luxon';
import type { Executor } from '../../db/database.js';
import { installedAuditKeyring, sameMac, type AuditKeyring } from './keys.js';
import { anchorMac, auditRowsAfter, entryHash, entryMac, readAuditHead, ZERO_HASH, type StoredAuditRow } from './repository.js';
import { readCheckpoints, type Checkpoint } from './checkpoints.js';

export type AuditProblemKind =
  | 'content' | 'link' | 'missing' | 'order' | 'unsigned' | 'unknown-key' | 'truncated' | 'rewritten' | 'anchor' | 'checkpoint' | 'no-key';

export interface AuditProblem {
  kind: AuditProblemKind;
  /** the first bad entry (null: the trail as a whole, e.g. a forged checkpoint file) */
  entryId: number | null;
  /** its time, ISO 8601 with the plant's offset */
  at: string | null;
  /** what is wrong, in words */
  message: string;
}

export interface AuditVerification {
  ok: boolean;
  /** entries walked (all of them when intact) */
  entries: number;
  /** checkpoints read and compared */
  checkpoints: number;
  /** id of the first bad entry (null when intact or when the problem is not one entry's) — the API's field since issue 9 */
  brokenAt: number | null;
  problem: AuditProblem | null;
  /** things that weaken the check without being a failure (no checkpoint file) */
  warnings: string[];
}

export interface VerifyOptions {
  /** the keys (default: the process's installed keyring) */
  keyring?: AuditKeyring | null;
  /** the checkpoint file; null: none is compared */
  checkpointFile?: string | null;
  zone?: string;
  batchSize?: number;
  /** called after each batch with the entries walked so far */
  onProgress?: (entries: number) => void;
}

const timeOf = (at: number, zone: string) => DateTime.fromMillis(at, { zone }).toISO() ?? new Date(at).toISOString();

const hashOfRow = (r: StoredAuditRow) =>
  entryHash({ prevHash: r.prevHash, at: r.at, actor: r.actor, entity: r.entity, entityKey: r.entityKey, action: r.action, before: r.before, after: r.after, reason: r.reason, source: r.source });

export async function verifyAuditTrail(db: Executor, options: VerifyOptions = {}): Promise<AuditVerification> {
  const keyring = options.keyring === undefined ? installedAuditKeyring() : options.keyring;
  const zone = options.zone ?? 'UTC';
  const batchSize = options.batchSize ?? 5000;
  const warnings: string[] = [];
  let entries = 0;
  const fail = (kind: AuditProblemKind, row: { id: number; at: number } | null, message: string, checkpoints = 0): AuditVerification => ({
    ok: false, entries, checkpoints, brokenAt: row?.id ?? null, problem: { kind, entryId: row?.id ?? null, at: row ? timeOf(row.at, zone) : null, message }, warnings,
  });
  if (!keyring) return fail('no-key', null, 'no audit key is loaded (QMFG_AUDIT_KEY or the key file of QMFG_DATA_DIR)');

  // 1. checkpoints first, then the head: both describe a trail the walk must then reach
  let checkpoints: Checkpoint[] = [];
  if (options.checkpointFile) {
    const read = readCheckpoints(options.checkpointFile, keyring);
    if (read.bad) return fail('checkpoint', null, `checkpoint line ${read.bad.line} of ${options.checkpointFile} ${read.bad.why}`);
    if (!read.present) warnings.push(`no checkpoint file at ${options.checkpointFile}: a truncated tail cannot be detected`);
    checkpoints = read.checkpoints;
  }
  const checked = checkpoints.length;
  const head = await readAuditHead(db);
  const anchor = head.anchor;
  if (!anchor) {
    const any = await auditRowsAfter(db, 0, 1);
    if (any.length > 0) return fail('anchor', null, 'the trail has no signed anchor (start the server once after the upgrade; if it ran before, the anchor was removed)', checked);
  } else {
    const key = keyring.byId.get(anchor.keyId);
    if (!key) return fail('unknown-key', null, `the trail's anchor is signed with key ${anchor.keyId}, which is not among the configured keys (${keyring.origin})`, checked);
    if (!sameMac(anchor.mac, anchorMac(key, anchor.seq, anchor.hash, anchor.at))) return fail('anchor', null, 'the signed anchor of the trail was altered', checked);
    const foreign = checkpoints.find((c) => c.anchorSeq !== anchor.seq || c.anchorAt !== anchor.at);
    if (foreign) return fail('anchor', null, `the trail's anchor differs from the one checkpointed at ${foreign.at} (anchor rewritten)`, checked);
  }
  const anchorSeq = anchor?.seq ?? 0;
  // the walk ends at the head as read now: entries appended meanwhile are the next run's
  const endSeq = Math.max(head.seq, anchorSeq);
  const bySeq = new Map<number, Checkpoint>();
  for (const c of checkpoints) bySeq.set(c.seq, c);
  const lastCheckpoint = checkpoints.reduce<Checkpoint | null>((best, c) => (!best || c.seq > best.seq ? c : best), null);

  // 2. the walk
  let prevHash = ZERO_HASH;
  let prevSeq = 0;
  let last: StoredAuditRow | null = null;
  let afterId = 0;
  walk: for (;;) {
    const batch = await auditRowsAfter(db, afterId, batchSize);
    for (const row of batch) {
      const legacy = prevSeq < anchorSeq;
      if (!legacy && row.seq !== null && row.seq > endSeq) break walk;
      entries++;
      if (legacy) {
        if (row.mac !== null) return fail('missing', row, `links to a missing previous entry (the trail before the upgrade had ${anchorSeq} entries, ${prevSeq} are left)`, checked);
        if (row.hash !== hashOfRow(row)) return fail('content', row, 'hash does not match its content', checked);
        if (row.prevHash !== prevHash) return fail('link', row, 'links to a missing/different previous entry', checked);
        prevSeq++;
        if (prevSeq === anchorSeq && row.hash !== anchor?.hash) {
          return fail('rewritten', row, 'the trail up to this entry does not match its signed anchor (history before the upgrade rewritten)', checked);
        }
      } else {
        if (row.seq === null || row.mac === null || row.keyId === null) return fail('unsigned', row, 'has no authentication code (written without the audit key, or the code was removed)', checked);
        if (row.seq > prevSeq + 1) return fail('missing', row, `links to a missing previous entry (entries ${prevSeq + 1}–${row.seq - 1} of the chain are gone)`, checked);
        if (row.seq <= prevSeq) return fail('order', row, `is out of order (chain position ${row.seq} after ${prevSeq})`, checked);
        const key = keyring.byId.get(row.keyId);
        if (!key) return fail('unknown-key', row, `is signed with key ${row.keyId}, which is not among the configured keys (${keyring.origin})`, checked);
        if (row.hash !== hashOfRow(row) || !sameMac(row.mac, entryMac(key, row.seq, row.hash))) return fail('content', row, 'hash does not match its content', checked);
        if (row.prevHash !== prevHash) return fail('link', row, 'links to a missing/different previous entry', checked);
        prevSeq = row.seq;
      }
      const checkpoint = bySeq.get(prevSeq);
      if (checkpoint && checkpoint.hash !== row.hash) return fail('rewritten', row, `differs from the checkpoint at ${checkpoint.at} (history rewritten)`, checked);
      prevHash = row.hash;
      last = row;
    }
    options.onProgress?.(entries);
    if (batch.length < batchSize) break;
    afterId = batch[batch.length - 1].id;
  }

  // 3. the end: it must reach the anchor, the head and every checkpoint
  const after = last ? `after id ${last.id}` : 'after the start of the trail';
  const lastRow = last ?? null;
  if (prevSeq < anchorSeq) return fail('truncated', lastRow, `entries ${after} are missing (the signed anchor counts ${anchorSeq} entries before the upgrade)`, checked);
  if (lastCheckpoint && lastCheckpoint.seq > prevSeq) {
    return fail('truncated', lastRow, `entries ${after} are missing (checkpoint at ${lastCheckpoint.at} recorded ${lastCheckpoint.count} entries, up to id ${lastCheckpoint.lastId})`, checked);
  }
  if (head.seq > prevSeq) return fail('truncated', lastRow, `entries ${after} are missing (the head counts ${head.seq})`, checked);
  if (prevSeq > anchorSeq && head.hash !== prevHash) return fail('link', lastRow, 'the head of the chain does not point at the last entry', checked);
  return { ok: true, entries, checkpoints: checked, brokenAt: null, problem: null, warnings };
}

/** The check as the tests and the API called it before issue 16 (same walk; the installed keyring, no checkpoint file). */
export const verifyAuditChain = (db: Executor, options: VerifyOptions = {}) => verifyAuditTrail(db, options);
