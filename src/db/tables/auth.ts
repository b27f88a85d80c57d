// Users, sessions, single-sign-on flows, electronic signatures and gate sign-offs.
import type { Generated } from 'kysely';

export interface UserTable {
  id: Generated<number>;
  /** lower-case, unique; what people type at sign-in and what the audit trail records as actor */
  username: string;
  /** the printed name of electronic signatures */
  display_name: string;
  email: string | null;
  /** viewer | operator | lead | planner | quality | manager | admin */
  role: string;
  /** JSON array of process-group keys an operator may report for; [] = every line */
  lines: string;
  /** scrypt$… (see features/auth/passwords.ts); null = single-sign-on only */
  password_hash: string | null;
  /** scrypt$… of the quick sign-in PIN at a line terminal; null = none set */
  pin_hash: string | null;
  oidc_issuer: string | null;
  oidc_subject: string | null;
  /** 0 = deactivated (users are never deleted: the audit trail and signatures refer to them) */
  active: number;
  /** consecutive failed password checks (sign-in or signature) since the last success or lock */
  failed_logins: number;
  locked_until: number | null;
  must_change_password: number;
  password_changed_at: number | null;
  last_login_at: number | null;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface SessionTable {
  /** SHA-256 of the session id: the database never holds a usable cookie value */
  id_hash: string;
  user_id: number;
  /** SHA-256 of the CSRF token handed to the browser with this session */
  csrf_hash: string;
  /** password | oidc */
  method: string;
  created_at: number;
  /** last request the user made themselves (background refreshes do not count) */
  last_seen_at: number;
  /** absolute end, whatever the activity */
  expires_at: number;
  source: string | null;
  user_agent: string | null;
}

/** An OpenID Connect sign-in in progress (between the redirect to the provider and its callback). */
export interface OidcFlowTable {
  id_hash: string;
  state: string;
  nonce: string;
  code_verifier: string;
  return_to: string;
  expires_at: number;
}

/**
 * An electronic signature (21 CFR Part 11 §11.50/§11.70): who (printed name, user), when (server
 * time), what it means, and the exact record version it was applied to (content hash). `hash`
 * seals the row and links it to the audit entry written in the same transaction.
 */
export interface SignatureTable {
  id: Generated<number>;
  entity: string;
  entity_key: string;
  action: string;
  record_version: number | null;
  content_hash: string;
  meaning: string;
  user_id: number;
  username: string;
  printed_name: string;
  role: string;
  signed_at: number;
  audit_hash: string;
  hash: string;
}

/** A passed gate (QC release, supervisor sign-off) after an operation: the signature that opened it. */
export interface GatePassTable {
  lot: string;
  step: number;
  passed_at: number;
  signature_id: number;
}
