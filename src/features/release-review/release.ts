// Releasing a QC gate with its audit-trail review (issue 16 item 4). The signer of a gate signed by
// the quality role reviews every item the lot's trail shows (findReviewItems) and sends the ids it
// reviewed, with comments, in the release request. Orders' passGate runs the check inside the
// release's own transaction: the items are found again there, and a release whose review misses
// one is refused (409, naming each) — so no item can slip in between the check and the release.
// A lot without items still records "review done, no exceptions". The review is stored linked to
// the gate's signature, named in the audit entry's after, and shown with the gate's signature.
import type { Db, Executor, Tx } from '../../db/database.js';
import { Conflict, NotFound } from '../../core/errors.js';
import type { Who } from '../audit/who.js';
import type { SignedContentReaders } from '../auth/signatures.js';
import * as plantRepo from '../plant/repository.js';
import { getSignOffs, passGate, type GateCheck } from '../orders/sign-off.js';
import { requireWorkOrder } from '../orders/service.js';
import { findReviewItems, type ReviewSettings } from './exceptions.js';
import * as repo from './repository.js';
import { REVIEW_KIND_LABELS, type GateReview, type RecordedReview, type ReviewedGateBody, type ReviewedSignOffs, type ReviewItem } from './schemas.js';

/** Gates signed by this role are QC releases: they need the audit-trail review. */
export const REVIEWED_GATE_ROLE = 'quality';

export interface ReviewContext {
  db: Db;
  zone: string;
  readers: SignedContentReaders;
  settings: ReviewSettings;
  now?: () => number;
}

export class ReviewIncomplete extends Conflict {
  override readonly code = 'review_incomplete';
}

const describeItem = (item: ReviewItem) => `${REVIEW_KIND_LABELS[item.kind]}: ${item.what} (${item.who}, ${item.when})`;

async function gateOf(db: Executor, lot: string, step: number) {
  const wo = await requireWorkOrder(db, lot);
  const gate = (await plantRepo.getProduct(db, wo.product_key))?.routing[step]?.gate;
  if (!gate) throw new NotFound('gate', `${lot}/${step}`);
  return gate;
}

/** What the reviewer of the gate after `step` has to look at (nothing to review for gates other roles sign). */
export async function gateReview(ctx: ReviewContext, lot: string, step: number): Promise<GateReview> {
  const gate = await gateOf(ctx.db, lot, step);
  const required = gate.role === REVIEWED_GATE_ROLE;
  const now = (ctx.now ?? Date.now)();
  const items = required ? await findReviewItems({ db: ctx.db, readers: ctx.readers, zone: ctx.zone, settings: ctx.settings, now }, lot, step) : [];
  return { lot, step, gateName: gate.name, required, settings: ctx.settings, items };
}

/** The review check passGate runs in the release's transaction. */
function reviewCheck(ctx: ReviewContext, who: Who, body: ReviewedGateBody): GateCheck {
  return async (trx: Tx, gate) => {
    if (gate.role !== REVIEWED_GATE_ROLE) return {};
    const items = await findReviewItems({ db: trx, readers: ctx.readers, zone: ctx.zone, settings: ctx.settings, now: gate.now }, gate.lot, gate.step);
    const reviewed = new Map((body.review?.items ?? []).map((i) => [i.id, i.comment?.trim() || null]));
    const missing = body.review ? items.filter((item) => !reviewed.has(item.id)) : items;
    if (!body.review || missing.length > 0) {
      const what = !body.review
        ? `the ${gate.name} of lot ${gate.lot} needs the audit-trail review first (${items.length === 0 ? 'no items: confirm "no exceptions"' : `${items.length} item${items.length === 1 ? '' : 's'} to review`})`
        : `the audit-trail review of lot ${gate.lot} is not complete: ${missing.length} of ${items.length} item${items.length === 1 ? '' : 's'} not reviewed — ${missing.map(describeItem).join('; ')}`;
      throw new ReviewIncomplete(what, missing.map((item) => ({ path: item.id, message: describeItem(item) })));
    }
    const recorded = items.map((item) => ({ ...item, comment: reviewed.get(item.id) ?? null }));
    return {
      // flat fields, so the trail's change text reads "Review: 3 items reviewed", "Reviewed by: …"
      auditAfter: {
        review: recorded.length === 0 ? 'review done, no exceptions' : `${recorded.length} item${recorded.length === 1 ? '' : 's'} reviewed`,
        reviewedBy: who.actor,
        reviewedItemCount: recorded.length,
        ...(recorded.length > 0 ? { reviewedItems: recorded.map((r) => ({ id: r.id, kind: r.kind, comment: r.comment })) } : {}),
      },
      recorded: (tx, signatureId) => repo.insertReleaseReview(tx, { lot: gate.lot, step: gate.step, signatureId, reviewer: who.actor, reviewedAt: gate.now, itemCount: recorded.length, items: recorded }),
    };
  };
}

/** Passes the gate after `step` with its review (see the file's comment). */
export async function releaseGate(ctx: ReviewContext, who: Who, lot: string, step: number, body: ReviewedGateBody): Promise<ReviewedSignOffs> {
  await passGate({ db: ctx.db, zone: ctx.zone, now: ctx.now }, who, lot, step, { version: body.version, reason: body.reason }, reviewCheck(ctx, who, body));
  return reviewedSignOffs(ctx.db, lot);
}

const toRecorded = (row: repo.ReleaseReviewRow): RecordedReview => ({
  reviewer: row.reviewer,
  reviewedAt: new Date(row.reviewedAt).toISOString(),
  signatureId: row.signatureId,
  itemCount: row.itemCount,
  items: row.items as RecordedReview['items'],
});

/** The sign-offs of a lot, each passed gate with the review recorded with its signature (null: none recorded). */
export async function reviewedSignOffs(db: Executor, lot: string): Promise<ReviewedSignOffs> {
  const signOffs = await getSignOffs(db, lot);
  const reviews = await repo.listReleaseReviews(db, { lots: [lot] });
  return {
    ...signOffs,
    gates: signOffs.gates.map((gate) => {
      const review = gate.signature ? reviews.find((r) => r.signatureId === gate.signature?.id) : undefined;
      return { ...gate, review: review ? toRecorded(review) : null };
    }),
  };
}
