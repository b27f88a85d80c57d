// Test support: a PostgreSQL or MariaDB server of the test's own, in a temporary data directory on a
// free loopback port, that the test may stop, start and kill connections on — never the machine's
// shared services. Needs root (PostgreSQL runs as the postgres user via runuser).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ThrowawayServer {
  dialect: 'postgres' | 'mysql';
  /** server URL without a database name, e.g. postgres://postgres@127.0.0.1:54321 */
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** ends every client connection to `database` except the one doing it */
  killConnections(database: string): Promise<number>;
  /** stops the server (if running) and removes its data directory */
  destroy(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const version = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'postgres'))).sort((a, b) => Number(b) - Number(a))[0];
  if (!version) throw new Error(`no PostgreSQL server under ${root}`);
  return join(root, version, 'bin');
}

export async function startThrowawayPostgres(): Promise<ThrowawayServer> {
  const bin = postgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'qmfg-pg-'));
  chownSync(dir, ...(await postgresIds()));
  const data = join(dir, 'data');
  const port = await freePort();
  const asPostgres = (cmd: string, args: string[]) => run('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { timeout: 60_000 });
  await asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=40`;
  let running = false;
  const url = `postgres://postgres@127.0.0.1:${port}`;
  const server: ThrowawayServer = {
    dialect: 'postgres',
    url,
    port,
    async start() {
      await asPostgres('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', '-t', '30', 'start']);
      running = true;
    },
    async stop() {
      await asPostgres('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);
      running = false;
    },
    async killConnections(database) {
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: `${url}/postgres` });
      await client.connect();
      try {
        const res = await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
        return res.rowCount ?? 0;
      } finally {
        await client.end();
      }
    },
    async destroy() {
      if (running) await asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

async function postgresIds(): Promise<[number, number]> {
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return [Number(uid.stdout.trim()), Number(gid.stdout.trim())];
}

export async function startThrowawayMariadb(): Promise<ThrowawayServer> {
  const dir = mkdtempSync(join(tmpdir(), 'qmfg-my-'));
  const data = join(dir, 'data');
  const port = await freePort();
  await run('mariadb-install-db', ['--no-defaults', `--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db'], { timeout: 60_000 });
  let child: ChildProcess | null = null;
  const url = `mysql://root@127.0.0.1:${port}`;
  const connect = async () => {
    const mysql = await import('mysql2/promise');
    return mysql.createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 1000 });
  };
  const server: ThrowawayServer = {
    dialect: 'mysql',
    url,
    port,
    async start() {
      const proc = spawn('mariadbd', ['--no-defaults', '--user=root', `--datadir=${data}`, `--port=${port}`, `--socket=${join(dir, 's')}`, '--bind-address=127.0.0.1', '--skip-log-bin'], { stdio: 'ignore' });
      child = proc;
      // ready once it answers (bounded: 30 s)
      for (const until = Date.now() + 30_000; ; ) {
        if (proc.exitCode !== null) throw new Error(`mariadbd exited with ${proc.exitCode}`);
        try {
          const conn = await connect();
          await conn.end();
          return;
        } catch (error) {
          if (Date.now() > until) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    },
    async stop() {
      const proc = child;
      if (!proc || proc.exitCode !== null) return;
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGTERM'); // a normal, fast shutdown: connections are closed, the data is kept
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30_000))]);
      child = null;
    },
    async killConnections(database) {
      const conn = await connect();
      try {
        const [rows] = await conn.query('SELECT id FROM information_schema.processlist WHERE db = ? AND id <> CONNECTION_ID()', [database]);
        const ids = (rows as { id: number }[]).map((r) => Number(r.id));
        for (const id of ids) await conn.query(`KILL ${id}`).catch(() => undefined);
        return ids.length;
      } finally {
        await conn.end();
      }
    },
    async destroy() {
      const proc = child;
      if (proc && proc.exitCode === null) {
        const exited = new Promise((resolve) => proc.once('exit', resolve));
        proc.kill('SIGKILL');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
