import type { Generated } from 'kysely';

/** Append-only: the code has no update or delete path for it. Each entry carries the hash of the previous one. */
export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  actor: string;
  entity: string;
  entity_key: string;
  action: string;
  before: string | null;
  after: string | null;
  reason: string | null;
  source: string | null;
  prev_hash: string;
  hash: string;
}

/** Single row: serialises writers of the audit chain (a row lock in PostgreSQL/MySQL). */
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}
