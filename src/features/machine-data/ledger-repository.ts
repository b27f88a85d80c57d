// The only place with SQL for the ingest ledger (ingest_files: what was consumed of each file or
// MQTT stream) and its row errors (ingest_errors).
import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { IngestFileTable } from '../../db/tables/machine-data.js';
import { bulkInsert } from '../../db/bulk.js';

const num = (value: unknown): number => Number(value);
const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

// ---- ingest ledger -----------------------------------------------------------------------------------

export interface LedgerRow {
  id: number;
  machine: string;
  name: string;
  path: string | null;
  source: string;
  identity: string;
  identityBytes: number;
  consumedBytes: number;
  consumedLines: number;
  prefixSha256: string;
  cycles: number;
  errors: number;
  status: 'active' | 'replaced' | 'rejected' | 'undone';
  message: string | null;
  firstAt: number | null;
  lastAt: number | null;
  createdAt: number;
  updatedAt: number;
  createdBy: string | null;
  headSha256: string | null;
  /** the ledger row whose content this one repeats (its consumed prefix, or stored cycles) */
  duplicateOf: number | null;
  /** what the audit trail covers of this row so far */
  auditedCycles: number;
  auditedBytes: number;
  auditedAt: number | null;
}

function toLedger(r: Selectable<IngestFileTable>): LedgerRow {
  return {
    id: num(r.id),
    machine: r.machine_key,
    name: r.name,
    path: r.path,
    source: r.source,
    identity: r.identity,
    identityBytes: num(r.identity_bytes),
    consumedBytes: num(r.consumed_bytes),
    consumedLines: num(r.consumed_lines),
    prefixSha256: r.prefix_sha256,
    cycles: num(r.cycles),
    errors: num(r.errors),
    status: r.status as LedgerRow['status'],
    message: r.message,
    firstAt: numOrNull(r.first_at),
    lastAt: numOrNull(r.last_at),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
    createdBy: r.created_by,
    headSha256: r.head_sha256,
    duplicateOf: numOrNull(r.duplicate_of),
    auditedCycles: num(r.audited_cycles ?? 0),
    auditedBytes: num(r.audited_bytes ?? 0),
    auditedAt: numOrNull(r.audited_at),
  };
}

/** Ledger rows of a file name on a machine that are not superseded or undone (active or rejected). */
export async function ledgerByName(db: Executor, machine: string, name: string): Promise<LedgerRow[]> {
  const rows = await db
    .selectFrom('ingest_files')
    .selectAll()
    .where('machine_key', '=', machine)
    .where('name', '=', name)
    .where('status', 'not in', ['replaced', 'undone'])
    .orderBy('id')
    .execute();
  return rows.map(toLedger);
}

export async function ledgerById(db: Executor, id: number): Promise<LedgerRow | undefined> {
  const row = await db.selectFrom('ingest_files').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toLedger(row);
}

export interface NewLedgerRow {
  machine: string;
  name: string;
  path: string | null;
  source: string;
  identity: string;
  identityBytes: number;
  prefixSha256: string;
  status: 'active' | 'rejected';
  message: string | null;
  /** who imported it (uploads), else null */
  createdBy?: string | null;
  /** sha256 of the first identityBytes bytes without the name (null for MQTT streams) */
  headSha256?: string | null;
  /** a copy of this row's content: the new row starts where it stands (its prefix counts as consumed) */
  duplicateOf?: LedgerRow | null;
}

/** Removes a ledger row that never moved from where it started (its first batch, or a copy's audit, failed). */
export async function deleteEmptyLedger(db: Executor, fileId: number, startedAt = 0): Promise<void> {
  await db.deleteFrom('ingest_errors').where('file_id', '=', fileId).execute();
  await db.deleteFrom('ingest_files').where('id', '=', fileId).where('consumed_bytes', '=', startedAt).where('cycles', '=', 0).execute();
}

export async function insertLedger(db: Executor, row: NewLedgerRow, now: number): Promise<LedgerRow> {
  const values = {
    machine_key: row.machine, name: row.name, path: row.path, source: row.source, identity: row.identity, identity_bytes: row.identityBytes,
    consumed_bytes: 0, consumed_lines: 0, prefix_sha256: row.prefixSha256, cycles: 0, errors: 0, status: row.status, message: row.message,
    first_at: null, last_at: null, created_at: now, updated_at: now, created_by: row.createdBy ?? null, head_sha256: row.headSha256 ?? null,
    duplicate_of: null as number | null,
  };
  const original = row.duplicateOf;
  if (original) {
    Object.assign(values, { consumed_bytes: original.consumedBytes, consumed_lines: original.consumedLines, prefix_sha256: original.prefixSha256, duplicate_of: original.id });
  }
  await db.insertInto('ingest_files').values(values).execute();
  // read back by the unique (machine, identity): portable, unlike RETURNING / insertId
  const stored = await db.selectFrom('ingest_files').selectAll().where('machine_key', '=', row.machine).where('identity', '=', row.identity).executeTakeFirstOrThrow();
  return toLedger(stored);
}

/** Retires a row whose file changed under it; its identity is freed for the row that takes over. */
export async function markLedgerReplaced(db: Executor, id: number, message: string, now: number): Promise<void> {
  await db
    .updateTable('ingest_files')
    .set({ status: 'replaced', message, identity: `replaced:${id}`, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/**
 * Retires the rows that repeated an undone file (their skipped prefix or cycles are not stored any
 * more): the same bytes coming again are imported, not taken for already stored.
 */
export async function retireCopiesOf(db: Executor, originalId: number, message: string, now: number): Promise<number> {
  const copies = await db.selectFrom('ingest_files').select(['id']).where('duplicate_of', '=', originalId).where('status', '=', 'active').execute();
  for (const copy of copies) await markLedgerReplaced(db, num(copy.id), message, now);
  return copies.length;
}

export async function updateLedgerIdentity(db: Executor, id: number, identity: string, identityBytes: number, headSha256: string, path: string | null, now: number): Promise<void> {
  await db.updateTable('ingest_files').set({ identity, identity_bytes: identityBytes, head_sha256: headSha256, path, updated_at: now }).where('id', '=', id).execute();
}

/** The identity lengths (bytes hashed into head_sha256) among a machine's active file rows: a new file's head is hashed at each. */
export async function ledgerHeadLengths(db: Executor, machine: string): Promise<number[]> {
  const rows = await db
    .selectFrom('ingest_files')
    .select(['identity_bytes'])
    .distinct()
    .where('machine_key', '=', machine)
    .where('status', '=', 'active')
    .where('head_sha256', 'is not', null)
    .execute();
  return rows.map((r) => num(r.identity_bytes));
}

/** Active rows of a machine whose first bytes hash to one of `heads` and that consumed at most `maxBytes`: largest prefix first. */
export async function ledgerByHead(db: Executor, machine: string, heads: readonly string[], maxBytes: number): Promise<LedgerRow[]> {
  if (heads.length === 0) return [];
  const rows = await db
    .selectFrom('ingest_files')
    .selectAll()
    .where('machine_key', '=', machine)
    .where('head_sha256', 'in', [...heads])
    .where('status', '=', 'active')
    .where('consumed_bytes', '>', 0)
    .where('consumed_bytes', '<=', maxBytes)
    .orderBy('consumed_bytes', 'desc')
    .orderBy('id')
    .limit(20)
    .execute();
  return rows.map(toLedger);
}

/** Records how far the audit trail covers a ledger row (in the transaction of the entry). */
export async function markLedgerAudited(db: Executor, id: number, cycles: number, bytes: number, now: number): Promise<void> {
  await db.updateTable('ingest_files').set({ audited_cycles: cycles, audited_bytes: bytes, audited_at: now }).where('id', '=', id).execute();
}

export interface LedgerProgress {
  consumedBytes: number;
  consumedLines: number;
  prefixSha256: string;
  addCycles: number;
  addErrors: number;
  firstAt: number | null;
  lastAt: number | null;
  path: string | null;
  /** the file whose cycles this batch repeated (kept only if the row has none yet) */
  duplicateOf?: number | null;
}

/**
 * Moves the ledger forward inside the batch's transaction, only if nobody else moved it since it
 * was read (false → a concurrent import got there first and this batch must roll back).
 */
export async function advanceLedger(db: Executor, id: number, expectedConsumedBytes: number, progress: LedgerProgress, now: number): Promise<boolean> {
  const minAt = (column: 'first_at', value: number | null) =>
    value === null ? sql.ref(column) : sql`case when ${sql.ref(column)} is null or ${sql.ref(column)} > ${value} then ${value} else ${sql.ref(column)} end`;
  const maxAt = (column: 'last_at', value: number | null) =>
    value === null ? sql.ref(column) : sql`case when ${sql.ref(column)} is null or ${sql.ref(column)} < ${value} then ${value} else ${sql.ref(column)} end`;
  const result = await db
    .updateTable('ingest_files')
    .set((eb) => ({
      consumed_bytes: progress.consumedBytes,
      consumed_lines: progress.consumedLines,
      prefix_sha256: progress.prefixSha256,
      cycles: eb('cycles', '+', progress.addCycles),
      errors: eb('errors', '+', progress.addErrors),
      first_at: minAt('first_at', progress.firstAt) as RawBuilder<number | null>,
      last_at: maxAt('last_at', progress.lastAt) as RawBuilder<number | null>,
      path: progress.path,
      updated_at: now,
      ...(progress.duplicateOf ? { duplicate_of: eb.fn.coalesce('duplicate_of', eb.val(progress.duplicateOf)) } : {}),
    }))
    .where('id', '=', id)
    .where('consumed_bytes', '=', expectedConsumedBytes)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface LedgerFilter {
  machine?: string;
  status?: string;
  /** only rows of these sources (file, upload, mqtt, demo) */
  sources?: readonly string[];
  limit: number;
}

export async function listLedger(db: Executor, filter: LedgerFilter): Promise<LedgerRow[]> {
  let query = db.selectFrom('ingest_files').selectAll();
  if (filter.machine) query = query.where('machine_key', '=', filter.machine);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.sources && filter.sources.length > 0) query = query.where('source', 'in', [...filter.sources]);
  const rows = await query.orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
  return rows.map(toLedger);
}

export async function machineHasData(db: Executor, machine: string): Promise<boolean> {
  const row = await db.selectFrom('ingest_files').select(['id']).where('machine_key', '=', machine).limit(1).executeTakeFirst();
  return row !== undefined;
}

// ---- ingest errors ---------------------------------------------------------------------------------

export async function countStoredErrors(db: Executor, fileId: number): Promise<number> {
  const row = await db.selectFrom('ingest_errors').select(db.fn.countAll<number>().as('n')).where('file_id', '=', fileId).executeTakeFirst();
  return num(row?.n ?? 0);
}

export async function insertErrors(db: Executor, fileId: number, machine: string, errors: readonly { line: number; message: string }[], now: number): Promise<void> {
  await bulkInsert(db, 'ingest_errors', ['file_id', 'machine_key', 'line', 'message', 'created_at'], errors.map((e) => [fileId, machine, e.line, e.message, now]));
}

export interface StoredError {
  id: number;
  fileId: number;
  file: string;
  machine: string;
  line: number;
  message: string;
  createdAt: number;
}

export async function listErrors(db: Executor, filter: { machine?: string; fileId?: number; limit: number }): Promise<StoredError[]> {
  let query = db
    .selectFrom('ingest_errors as e')
    .innerJoin('ingest_files as f', 'f.id', 'e.file_id')
    .select(['e.id', 'e.file_id', 'f.name', 'e.machine_key', 'e.line', 'e.message', 'e.created_at']);
  if (filter.machine) query = query.where('e.machine_key', '=', filter.machine);
  if (filter.fileId !== undefined) query = query.where('e.file_id', '=', filter.fileId);
  const rows = await query.orderBy('e.id', 'desc').limit(filter.limit).execute();
  return rows.map((r) => ({ id: num(r.id), fileId: num(r.file_id), file: r.name, machine: r.machine_key, line: num(r.line), message: r.message, createdAt: num(r.created_at) }));
}

// ---- undo and the pre-upload check --------------------------------------------------------------------

/** Ledger rows of a machine with cycles, other than undone ones, before or after a file id (arrival order). */
export async function filesAround(db: Executor, machine: string, fileId: number, side: 'before' | 'after'): Promise<{ id: number; cycles: number; firstAt: number; lastAt: number }[]> {
  let query = db
    .selectFrom('ingest_files')
    .select(['id', 'cycles', 'first_at', 'last_at'])
    .where('machine_key', '=', machine)
    .where('status', '!=', 'undone')
    .where('cycles', '>', 0)
    .where('first_at', 'is not', null);
  query = side === 'before' ? query.where('id', '<', fileId).orderBy('id', 'desc').limit(1) : query.where('id', '>', fileId).orderBy('id');
  const rows = await query.execute();
  return rows.map((r) => ({ id: num(r.id), cycles: num(r.cycles), firstAt: num(r.first_at), lastAt: num(r.last_at) }));
}

export async function markLedgerUndone(db: Executor, id: number, message: string, now: number): Promise<void> {
  await db.updateTable('ingest_files').set({ status: 'undone', message, identity: `undone:${id}`, updated_at: now }).where('id', '=', id).execute();
}

/** Active ledger rows of this file identity on any machine (the same file imported before). */
export async function ledgerByIdentity(db: Executor, identity: string): Promise<{ id: number; machine: string; cycles: number }[]> {
  const rows = await db.selectFrom('ingest_files').select(['id', 'machine_key', 'cycles']).where('identity', '=', identity).where('status', '=', 'active').execute();
  return rows.map((r) => ({ id: num(r.id), machine: r.machine_key, cycles: num(r.cycles) }));
}
