// Dialect-aware bulk writes for any table: multi-row INSERT with cached statement text, and
// multi-row upserts that merge columns (add, min, max, replace). The repositories that own a table
// call these; nothing here knows what a table means.
import { CompiledQuery, sql } from 'kysely';
import type { Database, Executor } from './database.js';
import { dialectOf } from './transaction.js';

// ---- bulk insert ----------------------------------------------------------------------------------

/** Parameters per statement stay well under SQLite's 32 766 (and PostgreSQL's 65 535) limit. */
const MAX_PARAMETERS = 30_000;
/**
 * Rows per INSERT. SQLite (in process, a statement is prepared per query): ~250 measured best for
 * 85k cycles, beating single rows and huge statements. PostgreSQL/MySQL pay a round trip per
 * statement: bigger ones win.
 */
const ROWS_PER_STATEMENT = { sqlite: 250, postgres: 500, mysql: 500 } as const;
const insertSqlCache = new Map<string, string>();

/**
 * Multi-row INSERT with the statement text compiled once by Kysely per (dialect, table, columns,
 * row count) and reused: building Kysely's query tree for 85 000 rows costs more than inserting them.
 * `rows` are positional, in `columns` order.
 */
export async function bulkInsert(db: Executor, table: keyof Database, columns: readonly string[], rows: readonly unknown[][]): Promise<void> {
  await bulkInsertWith(db, table, columns, rows.length, (index, out, at) => {
    const row = rows[index];
    for (let c = 0; c < columns.length; c++) out[at + c] = row[c];
  });
}

/**
 * The same, with the values of row `index` written by `writeRow` straight into the statement's
 * parameter array at `at` (no array per row: 85 000 rows make a lot of garbage otherwise).
 */
export async function bulkInsertWith(
  db: Executor,
  table: keyof Database,
  columns: readonly string[],
  rowCount: number,
  writeRow: (index: number, out: unknown[], at: number) => void,
): Promise<void> {
  if (rowCount === 0) return;
  const dialect = dialectOf(db);
  const perStatement = Math.max(1, Math.min(ROWS_PER_STATEMENT[dialect], Math.floor(MAX_PARAMETERS / columns.length)));
  for (let startRow = 0; startRow < rowCount; startRow += perStatement) {
    const count = Math.min(perStatement, rowCount - startRow);
    const cacheKey = `${dialect}|${table}|${columns.join(',')}|${count}`;
    let text = insertSqlCache.get(cacheKey);
    if (text === undefined) {
      const placeholderRow = sql`(${sql.join(columns.map(() => 0))})`;
      text = sql`insert into ${sql.table(table)} (${sql.join(columns.map((column) => sql.ref(column)))}) values ${sql.join(Array.from({ length: count }, () => placeholderRow))}`.compile(db).sql;
      insertSqlCache.set(cacheKey, text);
    }
    const parameters: unknown[] = new Array(count * columns.length);
    for (let r = 0; r < count; r++) writeRow(startRow + r, parameters, r * columns.length);
    await db.executeQuery(CompiledQuery.raw(text, parameters));
  }
}

// ---- upserts (the one place the dialects really differ) -------------------------------------

export type Merge = 'add' | 'min' | 'max' | 'replace';

/**
 * INSERT … ON CONFLICT DO UPDATE (SQLite, PostgreSQL) / ON DUPLICATE KEY UPDATE (MySQL), merging
 * each column with `merges`: counts add, first instants take the minimum, last ones the maximum
 * (NULL = no value: the other side wins). Rows are positional in `columns` order.
 */
export async function upsertRows(
  db: Executor,
  table: keyof Database,
  columns: readonly string[],
  keyColumns: readonly string[],
  rows: readonly unknown[][],
  merges: Record<string, Merge>,
): Promise<void> {
  if (rows.length === 0) return;
  const mysql = dialectOf(db) === 'mysql';
  const incoming = (column: string) => (mysql ? sql`values(${sql.ref(column)})` : sql.ref(`excluded.${column}`));
  const existing = (column: string) => (mysql ? sql.ref(column) : sql.ref(`${table}.${column}`));
  const assignments = Object.entries(merges).map(([column, merge]) => {
    const now = existing(column);
    const add = incoming(column);
    const value =
      merge === 'add' ? sql`${now} + ${add}`
      : merge === 'replace' ? add
      : merge === 'min' ? sql`case when ${add} is null then ${now} when ${now} is null or ${add} < ${now} then ${add} else ${now} end`
      : sql`case when ${add} is null then ${now} when ${now} is null or ${add} > ${now} then ${add} else ${now} end`;
    return sql`${sql.ref(column)} = ${value}`;
  });
  const onConflict = mysql
    ? sql`on duplicate key update ${sql.join(assignments)}`
    : sql`on conflict (${sql.join(keyColumns.map((c) => sql.ref(c)))}) do update set ${sql.join(assignments)}`;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length / 4));
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const values = sql.join(chunk.map((row) => sql`(${sql.join(row)})`));
    await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) values ${values} ${onConflict}`.execute(db);
  }
}
