// The periodic review of the system's own audit trail (issue 16 item 4): every change of a quarter to
// the set-up that governs the records — users and roles, OEE profiles, the calendar, the plant model,
// and rules (changeover matrix, reason trees, alert rules, TV screens) — listed for the quality unit,
// exported (times with their zone offset) and signed electronically as "Reviewed". Signing again
// after new items arrived records the next version of that quarter's review; what each version
// covered is kept (the audit ids and a hash over their entry hashes).
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Db, Executor } from '../../db/database.js';
import { Conflict, Forbidden, Invalid } from '../../core/errors.js';
import { appendAudit, listAudit, type AuditEntry } from '../audit/repository.js';
import { actionLabel, describeChange, recordLabel, type DescribeContext } from '../audit/describe.js';
import type { Who } from '../audit/who.js';
import * as authRepo from '../auth/repository.js';
import { manifestation, viewSignatures, type SignedContent, type SignedContentReaders } from '../auth/signatures.js';
import * as plantRepo from '../plant/repository.js';
import type { ExportTable } from '../../shared/table-export.js';
import * as repo from './repository.js';
import type { PeriodicReview } from './schemas.js';
import { REVIEWED_GATE_ROLE } from './release.js';

export const PERIODIC_REVIEW_ENTITY = 'periodic-review';

/** The audit entities that are the system's set-up rather than production records. */
export const SYSTEM_ENTITIES = [
  'user', 'site', 'process-group', 'machine', 'product', 'calendar', 'holiday', 'oee-profile', 'changeover-matrix', 'reason-tree', 'alert-rule', 'tv-device',
] as const;
/** Routine access of users' own sessions: in the trail, but not a change of the set-up. */
const ROUTINE_ACTIONS = new Set(['sign-in', 'sign-out']);

export interface PeriodicContext {
  db: Db;
  zone: string;
  readers: SignedContentReaders;
  now?: () => number;
}

/** "2026-Q4" → its first instant and the first instant after it, plant-local. */
export function quarterWindow(quarter: string, zone: string): { from: number; to: number } {
  const match = /^(\d{4})-Q([1-4])$/.exec(quarter);
  if (!match) throw Invalid.field('params.quarter', 'a quarter such as 2026-Q4');
  const start = DateTime.fromObject({ year: Number(match[1]), month: (Number(match[2]) - 1) * 3 + 1, day: 1 }, { zone });
  return { from: start.toMillis(), to: start.plus({ months: 3 }).toMillis() };
}

/** The system-level entries of the quarter, oldest first. */
export async function periodicEntries(db: Executor, quarter: string, zone: string): Promise<AuditEntry[]> {
  const { from, to } = quarterWindow(quarter, zone);
  const entries: AuditEntry[] = [];
  for (const entity of SYSTEM_ENTITIES) entries.push(...(await listAudit(db, { entity, from, to, limit: 100_000 })).filter((e) => !ROUTINE_ACTIONS.has(e.action)));
  return entries.sort((a, b) => a.id - b.id);
}

const itemsHash = (entries: readonly AuditEntry[]) => createHash('sha256').update(entries.map((e) => e.hash).join('\n')).digest('hex');

async function describeContext(db: Executor, zone: string): Promise<DescribeContext> {
  const [machines, products] = await Promise.all([plantRepo.listMachines(db), plantRepo.listProducts(db)]);
  return { zone, machineNames: new Map(machines.map((m) => [m.key, m.name])), productNames: new Map(products.map((p) => [p.key, p.name])) };
}

const versionKey = (quarter: string, version: number) => `${quarter}/v${version}`;

/** What the quality unit signs: the quarter, the version and exactly which entries it covered. */
export async function periodicSignedContent(db: Executor, key: string): Promise<SignedContent | undefined> {
  const match = /^(\d{4}-Q[1-4])\/v(\d+)$/.exec(key);
  if (!match) return undefined;
  const row = await repo.getPeriodicReview(db, match[1], Number(match[2]));
  return row && { version: row.version, content: { quarter: row.quarter, from: row.fromAt, to: row.toAt, itemIds: row.itemIds, itemsHash: row.itemsHash } };
}

async function signedVersions(ctx: PeriodicContext, quarter?: string): Promise<PeriodicReview['signed']> {
  const rows = await repo.listPeriodicReviews(ctx.db, quarter);
  const signatures = await viewSignatures(ctx.readers, ctx.db, await authRepo.listSignatures(ctx.db, { ids: rows.flatMap((r) => (r.signatureId === null ? [] : [r.signatureId])) }));
  return rows.map((row) => {
    const signature = signatures.find((s) => s.id === row.signatureId) ?? null;
    return {
      quarter: row.quarter, version: row.version, itemCount: row.itemCount, itemsHash: row.itemsHash, signedBy: row.signedBy, signedAt: new Date(row.signedAt).toISOString(),
      signature, manifestation: signature ? manifestation(signature) : null,
    };
  });
}

export async function listSignedPeriodicReviews(ctx: PeriodicContext): Promise<PeriodicReview['signed']> {
  return signedVersions(ctx);
}

export async function periodicReview(ctx: PeriodicContext, quarter: string): Promise<PeriodicReview> {
  const { from, to } = quarterWindow(quarter, ctx.zone);
  const entries = await periodicEntries(ctx.db, quarter, ctx.zone);
  const describe = await describeContext(ctx.db, ctx.zone);
  const signed = await signedVersions(ctx, quarter);
  const latest = (await repo.listPeriodicReviews(ctx.db, quarter))[0];
  const covered = new Set(latest?.itemIds ?? []);
  return {
    quarter, from: new Date(from).toISOString(), to: new Date(to).toISOString(), zone: ctx.zone, entities: [...SYSTEM_ENTITIES],
    items: entries.map((e) => ({
      auditId: e.id, at: new Date(e.at).toISOString(), actor: e.actor, entity: e.entity, entityLabel: recordLabel(e.entity), entityKey: e.entityKey, action: e.action,
      actionLabel: actionLabel(e.action), reason: e.reason, change: describeChange(e, describe), newSinceSigned: latest !== undefined && !covered.has(e.id),
    })),
    signed,
    needsSignature: latest === undefined || entries.some((e) => !covered.has(e.id)),
  };
}

/**
 * Signs the quarter's review as it stands (meaning "reviewed", by the quality unit): the next
 * version of the quarter, covering every system-level entry of it so far. Signing again with
 * nothing new is refused (409): the latest version already covers it.
 */
export async function signPeriodicReview(ctx: PeriodicContext, who: Who, quarter: string, reason: string | undefined): Promise<PeriodicReview> {
  const signature = who.signature;
  if (!signature) throw Invalid.field('body.signature', 'the periodic review needs your electronic signature');
  if (signature.role !== REVIEWED_GATE_ROLE) throw new Forbidden(`the periodic review is signed by the ${REVIEWED_GATE_ROLE} unit; your role is ${signature.role}`);
  if (signature.meaning !== 'reviewed') throw Invalid.field('body.signature.meaning', "a periodic review is signed with the meaning 'reviewed'");
  const now = (ctx.now ?? Date.now)();
  const { from, to } = quarterWindow(quarter, ctx.zone);
  await ctx.db.transaction().execute(async (trx) => {
    const entries = await periodicEntries(trx, quarter, ctx.zone);
    const latest = (await repo.listPeriodicReviews(trx, quarter))[0];
    const covered = new Set(latest?.itemIds ?? []);
    if (latest && entries.every((e) => covered.has(e.id))) throw new Conflict(`the review of ${quarter} is already signed (version ${latest.version}) and no new items arrived since`);
    const version = (latest?.version ?? 0) + 1;
    const hash = itemsHash(entries);
    await repo.insertPeriodicReview(trx, { quarter, version, fromAt: from, toAt: to, itemCount: entries.length, itemsHash: hash, itemIds: entries.map((e) => e.id), signedBy: who.actor, signedAt: now });
    await appendAudit(trx, {
      ...who,
      reason: reason ?? who.reason,
      entity: PERIODIC_REVIEW_ENTITY,
      entityKey: versionKey(quarter, version),
      action: 'sign',
      before: latest ? { version: latest.version, itemCount: latest.itemCount } : null,
      after: { quarter, version, itemCount: entries.length, itemsHash: hash, meaning: signature.meaning, signer: signature.printedName },
    }, now);
    if (signature.recordedId === undefined) throw new Error('the periodic review signature was not recorded');
    await repo.linkPeriodicSignature(trx, quarter, version, signature.recordedId);
  });
  return periodicReview(ctx, quarter);
}

/** Offset time for exports: "2026-11-03T09:00:00-08:00" (ISO 8601 with the plant's offset). */
const withOffset = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");

export function periodicExportTable(review: PeriodicReview): ExportTable {
  return {
    columns: [
      { header: `When (${review.zone} time with UTC offset)`, kind: 'text', width: 26 },
      { header: 'Audit id', kind: 'integer', width: 10 },
      { header: 'User', kind: 'text', width: 16 },
      { header: 'Record type', kind: 'text', width: 16 },
      { header: 'Record', kind: 'text', width: 22 },
      { header: 'Action', kind: 'text', width: 20 },
      { header: 'Reason', kind: 'text', width: 30, wrap: true },
      { header: 'Change', kind: 'text', width: 60, wrap: true },
      { header: 'New since last signed version', kind: 'text', width: 12 },
    ],
    rows: [
      ...review.items.map((i) => [withOffset(i.at, review.zone), i.auditId, i.actor, i.entityLabel, i.entityKey, i.actionLabel, i.reason, i.change.join('\n'), i.newSinceSigned ? 'yes' : '']),
      ...review.signed.map((s) => [withOffset(s.signedAt, review.zone), null, s.signedBy, 'Periodic review', `${s.quarter} version ${s.version}`, 'Signed', null, s.manifestation ?? '', '']),
    ],
  };
}
