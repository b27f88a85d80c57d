// SQL of users, sessions, single-sign-on flows, signatures and gate passes (the only place with it).
import type { Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { GatePassTable, SessionTable, SignatureTable, UserTable } from '../../db/tables/auth.js';

export type UserRow = Selectable<UserTable>;
export type SessionRow = SessionTable;
export type SignatureRow = Selectable<SignatureTable>;
export type GatePassRow = GatePassTable;

// bigint columns come back as strings from some drivers: normalise once here
const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function normaliseUser(row: UserRow): UserRow {
  return {
    ...row,
    id: num(row.id),
    active: num(row.active),
    failed_logins: num(row.failed_logins),
    locked_until: numOrNull(row.locked_until),
    must_change_password: num(row.must_change_password),
    password_changed_at: numOrNull(row.password_changed_at),
    last_login_at: numOrNull(row.last_login_at),
    version: num(row.version),
    created_at: num(row.created_at),
    updated_at: num(row.updated_at),
  };
}

// ---- users

export async function getUserById(db: Executor, id: number): Promise<UserRow | undefined> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row && normaliseUser(row);
}

export async function getUserByUsername(db: Executor, username: string): Promise<UserRow | undefined> {
  const row = await db.selectFrom('users').selectAll().where('username', '=', username.toLowerCase()).executeTakeFirst();
  return row && normaliseUser(row);
}

export async function getUserBySubject(db: Executor, issuer: string, subject: string): Promise<UserRow | undefined> {
  const row = await db.selectFrom('users').selectAll().where('oidc_issuer', '=', issuer).where('oidc_subject', '=', subject).executeTakeFirst();
  return row && normaliseUser(row);
}

export async function listUsers(db: Executor): Promise<UserRow[]> {
  return (await db.selectFrom('users').selectAll().orderBy('username').execute()).map(normaliseUser);
}

export async function countUsers(db: Executor): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export type NewUser = Omit<UserTable, 'id' | 'version' | 'created_at' | 'updated_at' | 'failed_logins' | 'locked_until' | 'last_login_at' | 'pin_hash'> & { pin_hash?: string | null };

export async function insertUser(db: Executor, user: NewUser, now: number): Promise<UserRow> {
  await db
    .insertInto('users')
    .values({ ...user, username: user.username.toLowerCase(), failed_logins: 0, locked_until: null, last_login_at: null, version: 1, created_at: now, updated_at: now })
    .execute();
  const created = await getUserByUsername(db, user.username);
  if (!created) throw new Error(`user '${user.username}' vanished right after its insert`);
  return created;
}

export type UserChanges = Partial<Pick<UserTable, 'display_name' | 'email' | 'role' | 'lines' | 'active' | 'password_hash' | 'pin_hash' | 'must_change_password' | 'password_changed_at' | 'oidc_issuer' | 'oidc_subject'>>;

/** Applies changes when the user is still at `expectedVersion`; false = somebody else changed it. */
export async function updateUser(db: Executor, id: number, expectedVersion: number, changes: UserChanges & { failed_logins?: number; locked_until?: number | null }, now: number): Promise<boolean> {
  const res = await db
    .updateTable('users')
    .set({ ...changes, version: expectedVersion + 1, updated_at: now })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/**
 * Counts a failed password check and locks the account when it reaches `maxFailures` (the counter
 * restarts, so the next lock needs as many failures again). Not versioned: security bookkeeping
 * must never fail because an administrator edited the user meanwhile.
 */
export async function recordFailedPassword(db: Executor, id: number, maxFailures: number, lockUntil: number): Promise<{ locked: boolean }> {
  await db.updateTable('users').set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) })).where('id', '=', id).execute();
  const res = await db
    .updateTable('users')
    .set({ failed_logins: 0, locked_until: lockUntil })
    .where('id', '=', id)
    .where('failed_logins', '>=', maxFailures)
    .executeTakeFirst();
  return { locked: Number(res.numUpdatedRows) === 1 };
}

export async function recordSuccessfulLogin(db: Executor, id: number, now: number, passwordHash?: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ failed_logins: 0, locked_until: null, last_login_at: now, ...(passwordHash ? { password_hash: passwordHash } : {}) })
    .where('id', '=', id)
    .execute();
}

export async function resetFailedPasswords(db: Executor, id: number): Promise<void> {
  await db.updateTable('users').set({ failed_logins: 0 }).where('id', '=', id).where('failed_logins', '>', 0).execute();
}

// ---- sessions

export async function insertSession(db: Executor, session: SessionRow): Promise<void> {
  await db.insertInto('sessions').values(session).execute();
}

export interface SessionWithUser {
  session: SessionRow;
  user: UserRow;
}

/** The session and its user in one query: this runs on every request. */
export async function getSessionWithUser(db: Executor, idHash: string): Promise<SessionWithUser | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id_hash', 'sessions.user_id', 'sessions.csrf_hash', 'sessions.method', 'sessions.created_at', 'sessions.last_seen_at',
      'sessions.expires_at', 'sessions.source', 'sessions.user_agent',
      'users.id', 'users.username', 'users.display_name', 'users.email', 'users.role', 'users.lines', 'users.password_hash', 'users.pin_hash', 'users.oidc_issuer',
      'users.oidc_subject', 'users.active', 'users.failed_logins', 'users.locked_until', 'users.must_change_password', 'users.password_changed_at',
      'users.last_login_at', 'users.version', 'users.created_at as user_created_at', 'users.updated_at',
    ])
    .where('sessions.id_hash', '=', idHash)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    session: {
      id_hash: row.id_hash, user_id: num(row.user_id), csrf_hash: row.csrf_hash, method: row.method, created_at: num(row.created_at),
      last_seen_at: num(row.last_seen_at), expires_at: num(row.expires_at), source: row.source, user_agent: row.user_agent,
    },
    user: normaliseUser({
      id: row.id, username: row.username, display_name: row.display_name, email: row.email, role: row.role, lines: row.lines,
      password_hash: row.password_hash, pin_hash: row.pin_hash, oidc_issuer: row.oidc_issuer, oidc_subject: row.oidc_subject, active: row.active,
      failed_logins: row.failed_logins, locked_until: row.locked_until, must_change_password: row.must_change_password,
      password_changed_at: row.password_changed_at, last_login_at: row.last_login_at, version: row.version, created_at: row.user_created_at,
      updated_at: row.updated_at,
    }),
  };
}

export async function touchSession(db: Executor, idHash: string, now: number): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
}

export async function deleteSession(db: Executor, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

/** Ends every session of a user (sign out everywhere, password change, deactivation); keeps `exceptIdHash`. */
export async function deleteSessionsOfUser(db: Executor, userId: number, exceptIdHash?: string): Promise<number> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptIdHash) q = q.where('id_hash', '!=', exceptIdHash);
  const res = await q.executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** Housekeeping: sessions past their absolute end, and abandoned single-sign-on flows. */
export async function deleteExpired(db: Executor, now: number): Promise<number> {
  const sessions = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
  await db.deleteFrom('oidc_flows').where('expires_at', '<', now).execute();
  return Number(sessions.numDeletedRows);
}

export async function countSessionsOfUser(db: Executor, userId: number): Promise<number> {
  const row = await db.selectFrom('sessions').select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow();
  return Number(row.n);
}

// ---- OpenID Connect flows

export async function insertOidcFlow(db: Executor, flow: { id_hash: string; state: string; nonce: string; code_verifier: string; return_to: string; expires_at: number }): Promise<void> {
  await db.insertInto('oidc_flows').values(flow).execute();
}

/** Reads and deletes a flow: each can be completed once. */
export async function takeOidcFlow(db: Executor, idHash: string, now: number) {
  const row = await db.selectFrom('oidc_flows').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
  await db.deleteFrom('oidc_flows').where((eb) => eb.or([eb('id_hash', '=', idHash), eb('expires_at', '<', now)])).execute();
  if (!row || num(row.expires_at) < now) return undefined;
  return row;
}

// ---- signatures and gate passes

function normaliseSignature(row: SignatureRow): SignatureRow {
  return { ...row, id: num(row.id), user_id: num(row.user_id), signed_at: num(row.signed_at), record_version: numOrNull(row.record_version) };
}

export async function insertSignature(db: Executor, row: Omit<SignatureRow, 'id'>): Promise<SignatureRow> {
  await db.insertInto('signatures').values(row).execute();
  const inserted = await db
    .selectFrom('signatures')
    .selectAll()
    .where('audit_hash', '=', row.audit_hash)
    .where('hash', '=', row.hash)
    .executeTakeFirst();
  if (!inserted) throw new Error('signature vanished right after its insert');
  return normaliseSignature(inserted);
}

export async function listSignatures(db: Executor, filter: { entity?: string; entityKeys?: string[]; auditHashes?: string[]; ids?: number[] }): Promise<SignatureRow[]> {
  let q = db.selectFrom('signatures').selectAll();
  if (filter.entity) q = q.where('entity', '=', filter.entity);
  if (filter.entityKeys) {
    if (filter.entityKeys.length === 0) return [];
    q = q.where('entity_key', 'in', filter.entityKeys);
  }
  if (filter.auditHashes) {
    if (filter.auditHashes.length === 0) return [];
    q = q.where('audit_hash', 'in', filter.auditHashes);
  }
  if (filter.ids) {
    if (filter.ids.length === 0) return [];
    q = q.where('id', 'in', filter.ids);
  }
  return (await q.orderBy('id').execute()).map(normaliseSignature);
}

export async function insertGatePass(db: Executor, row: GatePassRow): Promise<void> {
  await db.insertInto('gate_passes').values(row).execute();
}

/**
 * The lots among `lots` (all when omitted) that are signed records: a gate of theirs was passed or
 * the work order carries a signature. Editing such a work order needs a reason.
 */
export async function listSignedLots(db: Executor, lots?: string[]): Promise<Set<string>> {
  if (lots && lots.length === 0) return new Set();
  let passes = db.selectFrom('gate_passes').select('lot').distinct();
  let signed = db.selectFrom('signatures').select('entity_key').distinct().where('entity', '=', 'work-order');
  if (lots) {
    passes = passes.where('lot', 'in', lots);
    signed = signed.where('entity_key', 'in', lots);
  }
  const [a, b] = await Promise.all([passes.execute(), signed.execute()]);
  return new Set([...a.map((r) => r.lot), ...b.map((r) => r.entity_key)]);
}

export async function listGatePasses(db: Executor, lot: string): Promise<GatePassRow[]> {
  const rows = await db.selectFrom('gate_passes').selectAll().where('lot', '=', lot).orderBy('step').execute();
  return rows.map((r) => ({ lot: r.lot, step: num(r.step), passed_at: num(r.passed_at), signature_id: num(r.signature_id) }));
}
