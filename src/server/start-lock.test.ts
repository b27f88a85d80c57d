// Instances started together on one database (issue 17 item 1): on an empty PostgreSQL or MariaDB
// database that does not exist yet, three starts at once all come up — one creates, migrates and seeds
// the demo plant under the start lock, the others wait and find it done — and the plant is seeded once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { prepareDatabase } from './runtime.js';
import { TEST_AUDIT_KEY } from '../testing/databases.js';
import { openDatabase } from '../db/connect.js';

const SERVERS = { postgres: process.env.QMFG_TEST_POSTGRES ?? 'postgres://root@127.0.0.1:5432', mysql: process.env.QMFG_TEST_MYSQL ?? 'mysql://root@127.0.0.1:3306' } as const;
const folders: string[] = [];

async function dropDatabase(dialect: keyof typeof SERVERS, name: string): Promise<void> {
  if (dialect === 'postgres') {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: `${SERVERS.postgres}/postgres` });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.end();
  } else {
    const mysql = await import('mysql2/promise');
    const conn = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
    await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await conn.end();
  }
}

afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describe.each(['postgres', 'mysql'] as const)('three instances started together on a new %s database', (dialect) => {
  it('all come up and the demo plant is seeded once', async () => {
    const name = `qmfg_t_start_${randomBytes(4).toString('hex')}`;
    const url = `${SERVERS[dialect]}/${name}`;
    // each instance has a data folder of its own, as on three hosts; the audit key is the shared secret
    const configOf = () => {
      const folder = mkdtempSync(join(tmpdir(), 'qmfg-start-'));
      folders.push(folder);
      return loadConfig({ DATABASE_URL: url, QMFG_TZ: 'America/Los_Angeles', LOG_LEVEL: 'silent', QMFG_DEMO: '1', QMFG_DEMO_LIVE: '0', QMFG_DATA_DIR: folder, QMFG_AUDIT_KEY: TEST_AUDIT_KEY } as NodeJS.ProcessEnv);
    };
    try {
      const starts = await Promise.allSettled([0, 1, 2].map(() => prepareDatabase(configOf(), true)));
      const failures = starts.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => String(s.reason));
      expect(failures).toEqual([]);
      for (const start of starts) if (start.status === 'fulfilled') await start.value.close();
      const handle = await openDatabase(url);
      try {
        const sites = await handle.db.selectFrom('site').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        const seeds = await handle.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'seed-demo').executeTakeFirstOrThrow();
        const machines = await handle.db.selectFrom('machines').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        expect(Number(sites.n)).toBe(1);
        expect(Number(seeds.n)).toBe(1);
        expect(Number(machines.n)).toBe(19);
      } finally {
        await handle.close();
      }
    } finally {
      await dropDatabase(dialect, name);
    }
  }, 120_000);
});
