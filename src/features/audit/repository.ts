// Append-only audit trail. There is deliberately no update or delete function here.
// Each entry is hash-chained (hash over its fields and the previous hash) and, since issue 16,
// authenticated: mac = HMAC-SHA256(key, [seq, hash]) with a key the database does not hold
// (keys.ts), so whoever can write the database can no longer recompute a consistent trail.
import { createHash } from 'node:crypto';
import type { Executor, Tx } from '../../db/database.js';
import type { SignatureIntent } from './who.js';
import { installedAuditKeyring, macOf, type AuditKey, type AuditKeyring } from './keys.js';

export interface AuditInput {
  actor: string;
  entity: string;
  entityKey: string;
  action: string;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
  source?: string | null;
  /** an electronic signature for this change (comes in with a spread `Who`) */
  signature?: SignatureIntent;
}

export interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  entity: string;
  entityKey: string;
  action: string;
  before: unknown;
  after: unknown;
  reason: string | null;
  source: string | null;
  prevHash: string;
  hash: string;
}

const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));

/** The hash covers every field and the previous hash, so an edited or removed entry breaks the chain. */
export function entryHash(e: Omit<AuditEntry, 'id' | 'hash' | 'before' | 'after'> & { before: string | null; after: string | null }): string {
  return createHash('sha256')
    .update(JSON.stringify([e.prevHash, e.at, e.actor, e.entity, e.entityKey, e.action, e.before, e.after, e.reason, e.source]))
    .digest('hex');
}

export const ZERO_HASH = '0'.repeat(64);

/** What the MAC of an entry covers: its place in the chain and its hash (which covers its fields and the previous hash). */
export const entryMac = (key: AuditKey, seq: number, hash: string): string => macOf(key, JSON.stringify(['entry', seq, hash]));

/** What the anchor's MAC covers: the trail before the keyed scheme — its length, last hash, and when it was anchored. */
export const anchorMac = (key: AuditKey, seq: number, hash: string, at: number): string => macOf(key, JSON.stringify(['anchor', seq, hash, at]));

export interface AuditAnchor {
  seq: number;
  hash: string;
  at: number;
  keyId: string;
  mac: string;
}

export interface AuditHeadState {
  seq: number;
  hash: string;
  anchor: AuditAnchor | null;
}

export async function readAuditHead(db: Executor): Promise<AuditHeadState> {
  const r = await db.selectFrom('audit_head').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  const anchor =
    r.anchor_seq === null || r.anchor_hash === null || r.anchor_at === null || r.anchor_key_id === null || r.anchor_mac === null
      ? null
      : { seq: Number(r.anchor_seq), hash: r.anchor_hash, at: Number(r.anchor_at), keyId: r.anchor_key_id, mac: r.anchor_mac };
  return { seq: Number(r.seq), hash: r.hash, anchor };
}

/** The last entry (highest id): what a checkpoint records. */
export async function lastAuditEntry(db: Executor): Promise<{ id: number; seq: number | null; hash: string } | null> {
  const r = await db.selectFrom('audit_log').select(['id', 'seq', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
  return r ? { id: Number(r.id), seq: r.seq === null ? null : Number(r.seq), hash: r.hash } : null;
}

/**
 * Signs the trail as it stands before the keyed scheme (the entries without a MAC): their count
 * and last hash, HMAC-signed. Idempotent: a trail anchored once keeps its anchor. The migration
 * that added the columns cannot do it (it has no key): the first start after it does, before any
 * keyed entry is written; appendAudit does it too if a process writes first.
 */
export async function anchorAuditTrail(trx: Tx, keyring: AuditKeyring, at = Date.now()): Promise<AuditAnchor> {
  // the head row first: serialises with appendAudit and with another instance anchoring
  await trx.updateTable('audit_head').set((eb) => ({ seq: eb('seq', '+', 0) })).where('id', '=', 1).execute();
  const head = await readAuditHead(trx);
  if (head.anchor) return head.anchor;
  const legacy = await trx.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).where('mac', 'is', null).executeTakeFirstOrThrow();
  const count = Number(legacy.n);
  const last = await trx.selectFrom('audit_log').select('hash').where('mac', 'is', null).orderBy('id', 'desc').limit(1).executeTakeFirst();
  const hash = last?.hash ?? ZERO_HASH;
  const anchor = { seq: count, hash, at, keyId: keyring.current.id, mac: anchorMac(keyring.current, count, hash, at) };
  // keyed entries continue the count of the old ones
  await trx
    .updateTable('audit_head')
    .set({ seq: count, hash, anchor_seq: anchor.seq, anchor_hash: anchor.hash, anchor_at: anchor.at, anchor_key_id: anchor.keyId, anchor_mac: anchor.mac })
    .where('id', '=', 1)
    .execute();
  return anchor;
}

/** Appends one entry in the caller's transaction (the change and its entry commit or fail together). */
export async function appendAudit(trx: Tx, input: AuditInput, at = Date.now()): Promise<void> {
  const keyring = installedAuditKeyring();
  // Taking the head row first serialises concurrent writers so the hash chain never forks.
  await trx.updateTable('audit_head').set((eb) => ({ seq: eb('seq', '+', 1) })).where('id', '=', 1).execute();
  let head = await trx.selectFrom('audit_head').select(['seq', 'hash', 'anchor_mac']).where('id', '=', 1).executeTakeFirstOrThrow();
  if (keyring && head.anchor_mac === null) {
    // a process that writes before any start anchored the trail: anchor first (undoing the increment)
    await trx.updateTable('audit_head').set((eb) => ({ seq: eb('seq', '-', 1) })).where('id', '=', 1).execute();
    await anchorAuditTrail(trx, keyring, at);
    await trx.updateTable('audit_head').set((eb) => ({ seq: eb('seq', '+', 1) })).where('id', '=', 1).execute();
    head = await trx.selectFrom('audit_head').select(['seq', 'hash', 'anchor_mac']).where('id', '=', 1).executeTakeFirstOrThrow();
  }
  const seq = Number(head.seq);
  const row = {
    at,
    actor: input.actor,
    entity: input.entity,
    entity_key: input.entityKey,
    action: input.action,
    before: json(input.before),
    after: json(input.after),
    reason: input.reason ?? null,
    source: input.source ?? null,
    prev_hash: head.hash,
  };
  const hash = entryHash({
    prevHash: row.prev_hash, at: row.at, actor: row.actor, entity: row.entity, entityKey: row.entity_key,
    action: row.action, before: row.before, after: row.after, reason: row.reason, source: row.source,
  });
  // without an installed keyring the entry carries no MAC: verification reports it (never silently trusted)
  const signed = keyring ? { seq, key_id: keyring.current.id, mac: entryMac(keyring.current, seq, hash) } : { seq, key_id: null, mac: null };
  await trx.insertInto('audit_log').values({ ...row, hash, ...signed }).execute();
  await trx.updateTable('audit_head').set({ hash }).where('id', '=', 1).execute();
  const signature = input.signature;
  if (signature && signature.recordedId === undefined && signature.auditEntity === input.entity) {
    // a signed change never commits unsigned: the intent brings the recorder that writes its row
    signature.recordedId = await signature.record(trx, signature, { entity: input.entity, entityKey: input.entityKey, action: input.action, at, auditHash: hash });
  }
}

export interface AuditFilter {
  entity?: string;
  entityKey?: string;
  actor?: string;
  from?: number;
  to?: number;
  limit?: number;
}

export async function listAudit(db: Executor, filter: AuditFilter): Promise<AuditEntry[]> {
  let query = db.selectFrom('audit_log').selectAll();
  if (filter.entity) query = query.where('entity', '=', filter.entity);
  if (filter.entityKey) query = query.where('entity_key', '=', filter.entityKey);
  if (filter.actor) query = query.where('actor', '=', filter.actor);
  if (filter.from !== undefined) query = query.where('at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('at', '<', filter.to);
  const rows = await query.orderBy('id', 'desc').limit(filter.limit ?? 500).execute();
  return rows.map((r) => ({
    id: Number(r.id),
    at: Number(r.at),
    actor: r.actor,
    entity: r.entity,
    entityKey: r.entity_key,
    action: r.action,
    before: r.before ? JSON.parse(r.before) : null,
    after: r.after ? JSON.parse(r.after) : null,
    reason: r.reason,
    source: r.source,
    prevHash: r.prev_hash,
    hash: r.hash,
  }));
}

/** Everyone who has an entry in the trail (for the audit screen's user filter). */
export async function listActors(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('audit_log').select('actor').distinct().orderBy('actor').execute();
  return rows.map((r) => r.actor);
}

/** One stored entry as the verifier reads it (text fields as stored: the hash covers those). */
export interface StoredAuditRow {
  id: number;
  at: number;
  actor: string;
  entity: string;
  entityKey: string;
  action: string;
  before: string | null;
  after: string | null;
  reason: string | null;
  source: string | null;
  prevHash: string;
  hash: string;
  seq: number | null;
  keyId: string | null;
  mac: string | null;
}

/** A batch of entries after `afterId` in id order (keyset pagination: the verifier never holds the whole trail). */
export async function auditRowsAfter(db: Executor, afterId: number, limit: number): Promise<StoredAuditRow[]> {
  const rows = await db.selectFrom('audit_log').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute();
  return rows.map((r) => ({
    id: Number(r.id), at: Number(r.at), actor: r.actor, entity: r.entity, entityKey: r.entity_key, action: r.action,
    before: r.before, after: r.after, reason: r.reason, source: r.source, prevHash: r.prev_hash, hash: r.hash,
    seq: r.seq === null ? null : Number(r.seq), keyId: r.key_id, mac: r.mac,
  }));
}

export async function countAuditEntries(db: Executor): Promise<number> {
  const r = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

// the verifier lives beside (verify.ts); callers of the chain check keep importing it from here
export { verifyAuditChain } from './verify.js';
