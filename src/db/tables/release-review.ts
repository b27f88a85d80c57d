// The audit-trail review at QC release and the periodic system review (issue 16 item 4). Instants are UTC epoch ms.
import type { Generated } from 'kysely';

export interface ReleaseReviewTable {
  id: Generated<number>;
  lot: string;
  /** the step the released gate follows */
  step: number;
  /** the gate's electronic signature (signatures.id) */
  signature_id: number;
  reviewer: string;
  reviewed_at: number;
  item_count: number;
  /** JSON array of the reviewed items with the reviewer's comments */
  items: string;
}

export interface PeriodicReviewTable {
  id: Generated<number>;
  /** '2026-Q4' */
  quarter: string;
  /** 1 for the first signature of the quarter; a later one (after new items) is the next version */
  version: number;
  from_at: number;
  to_at: number;
  item_count: number;
  /** sha-256 over the reviewed audit entries' hashes, in order */
  items_hash: string;
  /** JSON array of the reviewed audit entry ids */
  item_ids: string;
  signature_id: number | null;
  signed_by: string;
  signed_at: number;
}
