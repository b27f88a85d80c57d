// REST of the audit-trail review at QC release and of the periodic system review. The gate route
// moved here from orders (same path): passing a gate now carries the review, checked by passGate's
// hook in the release's transaction; the lot's sign-offs show the review with each gate signature.
import type { App, AppDeps } from '../../server/context.js';
import { whoOf } from '../../server/context.js';
import type { SignedContentReaders } from '../auth/signatures.js';
import { lotParams, operationParams } from '../orders/schemas.js';
import { attachment, tableFile } from '../../shared/table-export.js';
import { gateReview, releaseGate, reviewedSignOffs, type ReviewContext } from './release.js';
import { listSignedPeriodicReviews, periodicExportTable, periodicReview, signPeriodicReview, PERIODIC_REVIEW_ENTITY, type PeriodicContext } from './periodic.js';
import {
  gateReviewSchema, periodicExportQuery, periodicListSchema, periodicReviewSchema, periodicSignBodySchema, quarterParams, reviewedGateBodySchema, reviewedSignOffsSchema,
} from './schemas.js';

export interface ReleaseReviewRouteDeps {
  /** what a signature binds to, per kind of record (server/signed-records.ts) */
  signedContent: SignedContentReaders;
}

export async function releaseReviewRoutes(app: App, { db, config, events }: AppDeps, { signedContent }: ReleaseReviewRouteDeps): Promise<void> {
  const review: ReviewContext = {
    db, zone: config.QMFG_TZ, readers: signedContent, settings: { countTolerance: config.QMFG_REVIEW_COUNT_TOLERANCE, lateHours: config.QMFG_REVIEW_LATE_HOURS },
  };
  const periodic: PeriodicContext = { db, zone: config.QMFG_TZ, readers: signedContent };
  const tags = ['work orders'];

  app.get('/api/work-orders/:lot/sign-offs', { config: { permission: 'plant:read' }, schema: { tags, params: lotParams, response: { 200: reviewedSignOffsSchema } } }, (req) =>
    reviewedSignOffs(db, req.params.lot),
  );
  app.get(
    '/api/work-orders/:lot/operations/:step/review',
    { config: { permission: 'gates:sign' }, schema: { tags, summary: 'The audit-trail items to review before the gate after this step is released', params: operationParams, response: { 200: gateReviewSchema } } },
    (req) => gateReview(review, req.params.lot, req.params.step),
  );
  app.post(
    '/api/work-orders/:lot/operations/:step/gate',
    {
      config: { permission: 'gates:sign', signature: { entity: 'work-order' } },
      schema: { tags, params: operationParams, body: reviewedGateBodySchema, response: { 200: reviewedSignOffsSchema } },
    },
    async (req) => {
      const result = await releaseGate(review, whoOf(req, req.body.reason), req.params.lot, req.params.step, req.body);
      events.publish({ topic: 'schedule', data: { lot: req.params.lot } });
      return result;
    },
  );

  const audit = { permission: 'audit:read' as const };
  const reviewTags = ['audit'];
  app.get('/api/periodic-reviews', { config: audit, schema: { tags: reviewTags, summary: 'The signed periodic reviews, newest first', response: { 200: periodicListSchema } } }, async () => ({
    signed: await listSignedPeriodicReviews(periodic),
  }));
  app.get('/api/periodic-reviews/:quarter', { config: audit, schema: { tags: reviewTags, params: quarterParams, response: { 200: periodicReviewSchema } } }, (req) =>
    periodicReview(periodic, req.params.quarter),
  );
  app.get(
    '/api/periodic-reviews/:quarter/export',
    { config: audit, schema: { tags: reviewTags, summary: "The quarter's system-level audit items as .xlsx or CSV (times with their zone offset)", params: quarterParams, querystring: periodicExportQuery } },
    async (req, reply) => {
      const table = periodicExportTable(await periodicReview(periodic, req.params.quarter));
      const file = await tableFile(table, req.query.format, config.QMFG_TZ, `Review ${req.params.quarter}`);
      return reply
        .header('content-disposition', attachment(`qmfg-periodic-review-${req.params.quarter}.${req.query.format}`))
        .header('cache-control', 'no-store')
        .header('content-type', file.contentType)
        .send(file.body);
    },
  );
  app.post(
    '/api/periodic-reviews/:quarter/sign',
    { config: { ...audit, signature: { entity: PERIODIC_REVIEW_ENTITY } }, schema: { tags: reviewTags, params: quarterParams, body: periodicSignBodySchema, response: { 200: periodicReviewSchema } } },
    (req) => signPeriodicReview(periodic, whoOf(req, req.body.reason), req.params.quarter, req.body.reason),
  );
}
