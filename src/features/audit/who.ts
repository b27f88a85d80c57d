import type { Tx } from '../../db/database.js';

/** Who makes a change and from where: recorded with every audit entry. */
export interface Who {
  actor: string;
  source?: string | null;
  /** why — required for regulated changes */
  reason?: string | null;
  /** an electronic signature the signer gave for this change (password already checked) */
  signature?: SignatureIntent;
}

/**
 * A verified electronic signature waiting for the audit entry of its change: appendAudit records
 * it with `record`, in the same transaction, bound to the record as it is at that moment. The access
 * control gives the intent its recorder (features/auth/signatures.ts) when it checks the signer's
 * password, so the audit trail needs no recorder of its own.
 */
export interface SignatureIntent {
  userId: number;
  username: string;
  printedName: string;
  role: string;
  meaning: string;
  /** the first audit entry of this entity in the change carries the signature */
  auditEntity: string;
  /** the record the signature is bound to, when it is not the audit entry's own entity and key */
  subject?: { entity: string; key: string };
  /** set once recorded: the id of the signature row */
  recordedId?: number;
  /** writes the signature row for the change's audit entry, in its transaction; returns the row's id */
  record: SignatureRecorder;
}

/** Records a signature in the transaction of its audit entry. */
export type SignatureRecorder = (
  trx: Tx,
  intent: SignatureIntent,
  entry: { entity: string; entityKey: string; action: string; at: number; auditHash: string },
) => Promise<number>;

export const SYSTEM: Who = { actor: 'system', source: 'qmfg' };
