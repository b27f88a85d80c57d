// Test support: a fresh, migrated database per test file on each of the three dialects.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../config.js';
import { openDatabase, type DatabaseHandle } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import type { DialectName } from '../db/database.js';
import { prepareAuditTrail } from '../features/audit/integrity.js';

export const DIALECTS: DialectName[] = ['sqlite', 'postgres', 'mysql'];

/** The audit key of test databases (a fixed test value: never a real plant's). */
export const TEST_AUDIT_KEY = 'test-audit-key-0123456789abcdef0123456789abcdef';

const SERVER_URLS = {
  postgres: process.env.QMFG_TEST_POSTGRES ?? 'postgres://root@127.0.0.1:5432',
  mysql: process.env.QMFG_TEST_MYSQL ?? 'mysql://root@127.0.0.1:3306',
};

export interface TestDatabase extends DatabaseHandle {
  url: string;
  config: Config;
  /** closes and drops the database */
  destroy(): Promise<void>;
}

/** Creates and migrates a uniquely named database (a temp file for SQLite), on `server` when given (a test's own server). */
export async function createTestDatabase(dialect: DialectName, label = 'test', env: Record<string, string> = {}, server?: string): Promise<TestDatabase> {
  const serverUrl = dialect === 'sqlite' ? '' : (server ?? SERVER_URLS[dialect]);
  const name = `qmfg_t_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase().slice(0, 20)}_${randomBytes(4).toString('hex')}`;
  let url: string;
  // every test database has its own data folder (the audit trail's checkpoint file lives there)
  const folder = mkdtempSync(join(tmpdir(), 'qmfg-test-'));
  if (dialect === 'sqlite') {
    url = `sqlite:${join(folder, 'test.db')}`;
  } else {
    url = `${serverUrl}/${name}`;
  }
  const handle = await openDatabase(url);
  await migrateToLatest(handle.db);
  const config = loadConfig({ DATABASE_URL: url, QMFG_TZ: 'America/Los_Angeles', LOG_LEVEL: 'silent', QMFG_DEMO: '1', QMFG_DATA_DIR: folder, QMFG_AUDIT_KEY: TEST_AUDIT_KEY, ...env } as NodeJS.ProcessEnv);
  // as a start does: the audit key installed for appendAudit, the trail anchored
  await prepareAuditTrail(handle.db, config);
  return {
    ...handle,
    url,
    config,
    async destroy() {
      await handle.close();
      rmSync(folder, { recursive: true, force: true });
      if (dialect !== 'sqlite') await dropDatabase(dialect, name, serverUrl);
    },
  };
}

async function dropDatabase(dialect: DialectName, name: string, serverUrl: string): Promise<void> {
  if (dialect === 'postgres') {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: `${serverUrl}/postgres` });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.end();
  } else {
    const mysql = await import('mysql2/promise');
    const u = new URL(serverUrl);
    const conn = await mysql.createConnection({ host: u.hostname, port: Number(u.port || 3306), user: u.username || 'root', password: u.password });
    await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await conn.end();
  }
}
