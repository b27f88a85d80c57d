// Opens the database named by DATABASE_URL with the matching Kysely dialect, creating the database
// (or the SQLite file's folder) when it is missing. Failures become one-line ConfigErrors naming the setting.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Kysely, MysqlDialect, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { ConfigError } from '../config.js';
import type { Database, DialectName } from './database.js';

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: DialectName;
  /** what the URL points at, without credentials, for logs */
  describe: string;
  close(): Promise<void>;
}

/** A connection pool's state as its driver reports it (the metrics' database pool). */
export interface PoolStats {
  /** connections open (idle + in use) */
  total: number;
  idle: number;
  /** queries waiting for a connection */
  waiting: number;
  max: number;
}

/** The pool behind each opened database, asked at scrape time; SQLite has none (one connection in process). */
const poolStats = new WeakMap<object, () => PoolStats>();

/** The pool state of a database opened here, or null (SQLite, or a database opened elsewhere). */
export function poolStatsOf(db: object): PoolStats | null {
  return poolStats.get(db)?.() ?? null;
}

export function dialectOfUrl(url: string): DialectName {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgres';
  if (/^(mysql|mariadb):\/\//.test(url)) return 'mysql';
  throw new ConfigError(`DATABASE_URL: unsupported scheme in "${url}" (use sqlite:, postgres:// or mysql://)`);
}

function parseUrl(url: string): URL {
  try {
    return new URL(url);
  } catch {
    throw new ConfigError(`DATABASE_URL: "${url}" is not a valid URL`);
  }
}

function reason(error: unknown): string {
  const e = error as { code?: string; message?: string; errors?: { message?: string }[] };
  const message = e.message || e.errors?.map((x) => x.message).join('; ') || String(error);
  return e.code && !message.includes(e.code) ? `${e.code} ${message}` : message;
}

async function openSqlite(url: string): Promise<DatabaseHandle> {
  const { default: SQLite } = await import('better-sqlite3');
  const location = url.slice('sqlite:'.length).replace(/^\/\//, '') || './data/qmfg.db';
  const memory = location === ':memory:';
  const file = memory ? ':memory:' : resolve(location);
  let sqlite;
  try {
    if (!memory) mkdirSync(dirname(file), { recursive: true });
    sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // a page cache of 16 MiB (default 2 MiB): a month of packed gaps for 19 machines alone is ~5 MB, read by every
    // plant-wide OEE; more would only grow the process during big imports (the upload test bounds its RSS)
    sqlite.pragma('cache_size = -16384');
  } catch (error) {
    throw new ConfigError(`DATABASE_URL: cannot open SQLite database ${file}: ${reason(error)}`);
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', describe: `sqlite ${file}`, close: () => db.destroy() };
}

async function openPostgres(url: string): Promise<DatabaseHandle> {
  const { default: pg } = await import('pg');
  // Instants are bigint epoch ms: return them as numbers (safe up to year 287 396), and numerics as floats.
  pg.types.setTypeParser(20, (v) => Number(v));
  pg.types.setTypeParser(1700, (v) => Number(v));
  const target = parseUrl(url);
  const database = decodeURIComponent(target.pathname.slice(1)) || 'qmfg';
  const where = `${target.hostname}:${target.port || 5432}/${database}`;
  const urlFor = (db: string) => {
    const u = new URL(url);
    u.pathname = `/${encodeURIComponent(db)}`;
    return u.toString();
  };
  const tryConnect = async (db: string) => {
    const client = new pg.Client({ connectionString: urlFor(db), connectionTimeoutMillis: 5000 });
    await client.connect();
    return client;
  };
  try {
    const probe = await tryConnect(database);
    await probe.end();
  } catch (error) {
    if ((error as { code?: string }).code !== '3D000') {
      throw new ConfigError(`DATABASE_URL: cannot connect to PostgreSQL at ${where}: ${reason(error)}`);
    }
    // database does not exist yet: create it from the maintenance database
    try {
      const admin = await tryConnect('postgres');
      await admin.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`).catch((e) => {
        // created meanwhile by another instance: 42P04, or 23505 when both inserted into pg_database at once
        const code = (e as { code?: string }).code;
        if (code !== '42P04' && code !== '23505') throw e;
      });
      await admin.end();
    } catch (e) {
      throw new ConfigError(`DATABASE_URL: database ${database} is missing and cannot be created at ${where}: ${reason(e)}`);
    }
  }
  const pool = new pg.Pool({ connectionString: urlFor(database), max: 10, connectionTimeoutMillis: 5000 });
  // A connection closed by the server (restart, failover, pg_terminate_backend, DROP … WITH (FORCE))
  // emits 'error'; without a listener that crashes the process. The pool listens on idle clients
  // only, so every client gets its own listener for the time it is checked out: the query running
  // on it fails (→ 503), the broken client is not reused, and the next query reconnects.
  const lost = (error: unknown) => console.warn(`qmfg: PostgreSQL connection lost (${reason(error)}); reconnecting on next use`);
  pool.on('error', lost);
  pool.on('connect', (client) => client.on('error', lost));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  poolStats.set(db, () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: 10 }));
  return { db, dialect: 'postgres', describe: `postgres ${where}`, close: () => db.destroy() };
}

async function openMysql(url: string): Promise<DatabaseHandle> {
  const mysql = await import('mysql2');
  const target = parseUrl(url);
  const database = decodeURIComponent(target.pathname.slice(1)) || 'qmfg';
  const where = `${target.hostname}:${target.port || 3306}/${database}`;
  const common = {
    host: target.hostname,
    port: Number(target.port || 3306),
    user: decodeURIComponent(target.username || 'root'),
    password: decodeURIComponent(target.password),
    supportBigNumbers: true,
    bigNumberStrings: false,
    decimalNumbers: true,
    connectTimeout: 5000,
    timezone: 'Z',
  };
  try {
    const admin = await mysql.createConnection(common).promise();
    await admin.query(`CREATE DATABASE IF NOT EXISTS \`${database.replace(/`/g, '``')}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
    await admin.end();
  } catch (error) {
    throw new ConfigError(`DATABASE_URL: cannot connect to MySQL/MariaDB at ${where}: ${reason(error)}`);
  }
  const pool = mysql.createPool({ ...common, database, connectionLimit: 10 });
  // As for PostgreSQL: a connection killed or lost emits 'error' (possibly more than once, and the
  // pool's own listener is a `once`); a listener per connection keeps that from crashing the process.
  pool.on('connection', (connection) => connection.on('error', (error: unknown) => console.warn(`qmfg: MySQL connection lost (${reason(error)}); reconnecting on next use`)));
  const db = new Kysely<Database>({ dialect: new MysqlDialect({ pool }) });
  // mysql2 keeps these lists on the pool without typing them (stable since 1.x)
  const lists = pool as unknown as { _allConnections?: { length: number }; _freeConnections?: { length: number }; _connectionQueue?: { length: number } };
  poolStats.set(db, () => ({ total: lists._allConnections?.length ?? 0, idle: lists._freeConnections?.length ?? 0, waiting: lists._connectionQueue?.length ?? 0, max: 10 }));
  return { db, dialect: 'mysql', describe: `mysql ${where}`, close: () => db.destroy() };
}

export async function openDatabase(url: string): Promise<DatabaseHandle> {
  const dialect = dialectOfUrl(url);
  const handle = dialect === 'sqlite' ? await openSqlite(url) : dialect === 'postgres' ? await openPostgres(url) : await openMysql(url);
  try {
    await sql`select 1`.execute(handle.db);
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw new ConfigError(`DATABASE_URL: cannot reach the ${dialect} database (${handle.describe}): ${reason(error)}`);
  }
  return handle;
}
