// Endpoints of the audit-trail review at QC release and of the periodic system review, typed by the server's schemas.
import type { SignatureInput } from '../../../src/features/auth/schemas.js';
import { gateReviewSchema, periodicListSchema, periodicReviewSchema, reviewedSignOffsSchema } from '../../../src/features/release-review/schemas.js';
import { requestJson } from './client.js';

const lotPath = (lot: string) => `/api/work-orders/${encodeURIComponent(lot)}`;

/** The lot's sign-offs, each passed gate with the review recorded with its signature. */
export const getSignOffs = (lot: string) => requestJson('GET', `${lotPath(lot)}/sign-offs`, reviewedSignOffsSchema);
export const getGateReview = (lot: string, step: number) => requestJson('GET', `${lotPath(lot)}/operations/${step}/review`, gateReviewSchema);
/** Passes the gate with the reviewed items (every item of the review; none for a lot without exceptions). */
export const passGate = (lot: string, step: number, signature: SignatureInput, reason: string | undefined, reviewed: { id: string; comment?: string }[]) =>
  requestJson('POST', `${lotPath(lot)}/operations/${step}/gate`, reviewedSignOffsSchema, { signature, reason, review: { items: reviewed } });

export const listPeriodicReviews = () => requestJson('GET', '/api/periodic-reviews', periodicListSchema);
export const getPeriodicReview = (quarter: string) => requestJson('GET', `/api/periodic-reviews/${encodeURIComponent(quarter)}`, periodicReviewSchema);
export const signPeriodicReview = (quarter: string, signature: SignatureInput, reason?: string) =>
  requestJson('POST', `/api/periodic-reviews/${encodeURIComponent(quarter)}/sign`, periodicReviewSchema, { signature, reason });
export const periodicExportUrl = (quarter: string, format: 'xlsx' | 'csv') => `/api/periodic-reviews/${encodeURIComponent(quarter)}/export?format=${format}`;
