// Append-only audit trail. There is deliberately no update or delete function here.
import { createHash } from 'node:crypto';
import type { Executor, Tx } from '../../db/database.js';
import type { SignatureIntent } from './who.js';

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

/** Appends one entry in the caller's transaction (the change and its entry commit or fail together). */
export async function appendAudit(trx: Tx, input: AuditInput, at = Date.now()): Promise<void> {
  // Taking the head row first serialises concurrent writers so the hash chain never forks.
  await trx.updateTable('audit_head').set((eb) => ({ seq: eb('seq', '+', 1) })).where('id', '=', 1).execute();
  const head = await trx.selectFrom('audit_head').select(['hash']).where('id', '=', 1).executeTakeFirstOrThrow();
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
  await trx.insertInto('audit_log').values({ ...row, hash }).execute();
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

/** Walks the whole chain; returns the id of the first entry whose hash does not match, or null. */
export async function verifyAuditChain(db: Executor): Promise<{ entries: number; brokenAt: number | null }> {
  const rows = await db.selectFrom('audit_log').selectAll().orderBy('id').execute();
  let prev = '0'.repeat(64);
  for (const r of rows) {
    const expected = entryHash({
      prevHash: prev, at: Number(r.at), actor: r.actor, entity: r.entity, entityKey: r.entity_key,
      action: r.action, before: r.before, after: r.after, reason: r.reason, source: r.source,
    });
    if (r.prev_hash !== prev || r.hash !== expected) return { entries: rows.length, brokenAt: Number(r.id) };
    prev = r.hash;
  }
  return { entries: rows.length, brokenAt: null };
}
