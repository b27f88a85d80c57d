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
  /** position in the chain (1, 2, …); null for entries written before the keyed scheme (issue 16) */
  seq: number | null;
  /** which key signed `mac` (first 8 hex of the key's SHA-256); null before the keyed scheme */
  key_id: string | null;
  /** HMAC-SHA256 over (seq, hash) with that key: the database cannot recompute it */
  mac: string | null;
}

/** Single row: serialises writers of the audit chain (a row lock in PostgreSQL/MySQL). */
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
  /** the signed anchor: entries up to anchor_seq are the plain-hash chain before the keyed scheme, ending at anchor_hash */
  anchor_seq: number | null;
  anchor_hash: string | null;
  anchor_at: number | null;
  anchor_key_id: string | null;
  anchor_mac: string | null;
}

/** Runs of the verification of the trail (the admin screen shows the last). Written by features/audit only. */
export interface AuditVerificationTable {
  id: Generated<number>;
  started_at: number;
  finished_at: number;
  /** 'daily' | 'start' | 'manual' | 'cli' */
  origin: string;
  actor: string;
  ok: number;
  entries: number;
  checkpoints: number;
  bad_entry_id: number | null;
  problem: string | null;
  message: string | null;
}
