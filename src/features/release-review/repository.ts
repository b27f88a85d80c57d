// The review's own tables: the review recorded with a released gate, and the signed versions of a
// quarter's periodic review. The only place with SQL for release_reviews and periodic_reviews.
import type { Executor } from '../../db/database.js';

const num = (v: unknown) => Number(v);

export interface ReleaseReviewRow {
  id: number;
  lot: string;
  step: number;
  signatureId: number;
  reviewer: string;
  reviewedAt: number;
  itemCount: number;
  /** the reviewed items with their comments, as stored */
  items: unknown[];
}

export async function insertReleaseReview(db: Executor, row: Omit<ReleaseReviewRow, 'id'>): Promise<void> {
  await db
    .insertInto('release_reviews')
    .values({ lot: row.lot, step: row.step, signature_id: row.signatureId, reviewer: row.reviewer, reviewed_at: row.reviewedAt, item_count: row.itemCount, items: JSON.stringify(row.items) })
    .execute();
}

/** The reviews recorded with the gates of some lots (or with some gate signatures). */
export async function listReleaseReviews(db: Executor, filter: { lots?: readonly string[]; signatureIds?: readonly number[] }): Promise<ReleaseReviewRow[]> {
  let query = db.selectFrom('release_reviews').selectAll();
  if (filter.lots) {
    if (filter.lots.length === 0) return [];
    query = query.where('lot', 'in', filter.lots);
  }
  if (filter.signatureIds) {
    if (filter.signatureIds.length === 0) return [];
    query = query.where('signature_id', 'in', filter.signatureIds);
  }
  const rows = await query.orderBy('id').execute();
  return rows.map((r) => ({
    id: num(r.id), lot: r.lot, step: num(r.step), signatureId: num(r.signature_id), reviewer: r.reviewer, reviewedAt: num(r.reviewed_at), itemCount: num(r.item_count),
    items: JSON.parse(r.items) as unknown[],
  }));
}

export interface PeriodicReviewRow {
  id: number;
  quarter: string;
  version: number;
  fromAt: number;
  toAt: number;
  itemCount: number;
  itemsHash: string;
  itemIds: number[];
  signatureId: number | null;
  signedBy: string;
  signedAt: number;
}

const toPeriodic = (r: {
  id: unknown; quarter: string; version: unknown; from_at: unknown; to_at: unknown; item_count: unknown; items_hash: string; item_ids: string; signature_id: unknown; signed_by: string; signed_at: unknown;
}): PeriodicReviewRow => ({
  id: num(r.id), quarter: r.quarter, version: num(r.version), fromAt: num(r.from_at), toAt: num(r.to_at), itemCount: num(r.item_count), itemsHash: r.items_hash,
  itemIds: JSON.parse(r.item_ids) as number[], signatureId: r.signature_id === null ? null : num(r.signature_id), signedBy: r.signed_by, signedAt: num(r.signed_at),
});

/** Inserts the next version of a quarter's review; the unique (quarter, version) refuses a concurrent twin. */
export async function insertPeriodicReview(db: Executor, row: Omit<PeriodicReviewRow, 'id' | 'signatureId'>): Promise<void> {
  await db
    .insertInto('periodic_reviews')
    .values({
      quarter: row.quarter, version: row.version, from_at: row.fromAt, to_at: row.toAt, item_count: row.itemCount, items_hash: row.itemsHash, item_ids: JSON.stringify(row.itemIds),
      signature_id: null, signed_by: row.signedBy, signed_at: row.signedAt,
    })
    .execute();
}

export async function linkPeriodicSignature(db: Executor, quarter: string, version: number, signatureId: number): Promise<void> {
  await db.updateTable('periodic_reviews').set({ signature_id: signatureId }).where('quarter', '=', quarter).where('version', '=', version).execute();
}

export async function getPeriodicReview(db: Executor, quarter: string, version: number): Promise<PeriodicReviewRow | undefined> {
  const row = await db.selectFrom('periodic_reviews').selectAll().where('quarter', '=', quarter).where('version', '=', version).executeTakeFirst();
  return row && toPeriodic(row);
}

/** The signed reviews, newest quarter and version first (of one quarter when given). */
export async function listPeriodicReviews(db: Executor, quarter?: string): Promise<PeriodicReviewRow[]> {
  let query = db.selectFrom('periodic_reviews').selectAll();
  if (quarter) query = query.where('quarter', '=', quarter);
  const rows = await query.orderBy('quarter', 'desc').orderBy('version', 'desc').execute();
  return rows.map(toPeriodic);
}
