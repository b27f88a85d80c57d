// Helpers of bench/live.bench.ts: the real `qmfg serve` (and `qmfg simulate`) in processes of their
// own on a fresh SQLite file, CPU time of a process from /proc, HTTP sign-in, percentiles.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { prepareDatabase } from '../src/server/runtime.js';
import { createTestUser, TEST_AUTH_ENV, type TestUser } from '../src/testing/auth.js';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from '../src/features/auth/access.js';
import type { Db } from '../src/db/database.js';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const MQTT_URL = process.env.QMFG_TEST_MQTT ?? 'mqtt://127.0.0.1:1883';
const CLI = join(repoRoot, 'dist/cli.js');

export const log = (message: string) => process.stderr.write(`live: ${message}\n`);
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Spread {
  n: number;
  p50: number;
  p95: number;
  max: number;
}

/** Nearest-rank percentiles of ms values (NaN when there are none). */
export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => (sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * p) - 1))]);
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), max: sorted.length ? sorted[sorted.length - 1] : Number.NaN };
}

export const describe = (s: Spread) => `n ${s.n}, p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, max ${s.max.toFixed(1)} ms`;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Environment of a bench server on its own SQLite file, topic prefix and MQTT session: a broker
 * shared with tests and other benches must not mix their messages.
 */
export function benchEnv(dir: string, label: string, extra: Record<string, string> = {}): Record<string, string> {
  const prefix = `bench-${label}-${process.pid}-${Date.now().toString(36)}`;
  return {
    ...(process.env as Record<string, string>),
    ...TEST_AUTH_ENV,
    NODE_ENV: 'production',
    DATABASE_URL: `sqlite:${join(dir, 'qmfg.db')}`,
    QMFG_DROP_DIR: join(dir, 'drop'),
    QMFG_DATA_DIR: dir,
    QMFG_DEMO: '1',
    QMFG_DEMO_LIVE: '0',
    QMFG_MQTT_URL: MQTT_URL,
    QMFG_MQTT_TOPIC_PREFIX: prefix,
    QMFG_MQTT_CLIENT_ID: `${prefix}-server`,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    ...extra,
  };
}

/** Migrates and seeds the demo plant into the bench's database, adds an administrator, then closes it. */
export async function prepareDemo(env: Record<string, string>, more?: (db: Db, zone: string) => Promise<void>): Promise<TestUser> {
  const config = loadConfig(env);
  const handle = await prepareDatabase(config, true);
  try {
    const admin = await createTestUser(handle.db, 'admin', { username: 'bench-admin' });
    if (more) await more(handle.db, config.QMFG_TZ);
    return admin;
  } finally {
    await handle.close();
  }
}

export interface Child {
  process: ChildProcess;
  pid: number;
  /** everything it printed so far */
  output(): string;
  /** resolves once the output matches (rejects after timeoutMs or when the process exits) */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

/** Runs `qmfg <args>` (the built bundle, as `npx qmfg` does) in a process of its own. */
export function spawnCli(args: string[], env: Record<string, string>): Child {
  // QMFG_BENCH_PROFILE=<dir>: a V8 CPU profile of each process, written when it stops
  const profile = process.env.QMFG_BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.QMFG_BENCH_PROFILE] : [];
  const child = spawn(process.execPath, [...profile, CLI, ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > 4_000_000) output = output.slice(-1_000_000);
    for (const wake of waiters) wake();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => {
    exited = true;
    for (const wake of waiters) wake();
    resolve();
  }));
  return {
    process: child,
    pid: child.pid ?? 0,
    output: () => output,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`qmfg ${args[0]}: no ${pattern} within ${timeoutMs / 1000} s; last output:\n${output.slice(-1500)}`)), timeoutMs);
        const check = () => {
          if (pattern.test(output)) done();
          else if (exited) done(new Error(`qmfg ${args[0]} exited (${child.exitCode}) before ${pattern}; last output:\n${output.slice(-1500)}`));
        };
        const done = (error?: Error) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (error) reject(error);
          else resolve();
        };
        waiters.add(check);
        check();
      });
    },
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(killer);
    },
  };
}

/** `qmfg serve` on a free port; resolves when it listens. */
export async function startServe(env: Record<string, string>): Promise<Child & { base: string }> {
  const port = await freePort();
  const child = spawnCli(['serve', '--port', String(port)], { ...env, PORT: String(port) });
  await child.waitFor(/qmfg is running/, 60_000);
  return Object.assign(child, { base: `http://127.0.0.1:${port}` });
}

const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU seconds of a process so far (all its threads), from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // the command name may hold spaces and parentheses: fields are counted after its closing one
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields from the 3rd (state): utime is the 14th, stime the 15th of the whole line
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

export interface HttpSession {
  cookie: string;
  headers: Record<string, string>;
}

export async function signInHttp(base: string, user: { username: string; password: string }): Promise<HttpSession> {
  const response = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: user.username, password: user.password }),
  });
  if (response.status !== 200) throw new Error(`sign-in of ${user.username}: ${response.status} ${await response.text()}`);
  const cookies = new Map(response.headers.getSetCookie().map((c) => c.split(';')[0].split('=') as [string, string]));
  const session = cookies.get(SESSION_COOKIE);
  const csrf = cookies.get(CSRF_COOKIE);
  if (!session || !csrf) throw new Error('sign-in answered without session cookies');
  const cookie = `${SESSION_COOKIE}=${session}; ${CSRF_COOKIE}=${csrf}`;
  return { cookie, headers: { cookie, [CSRF_HEADER]: csrf } };
}

export async function api<T>(base: string, session: HttpSession, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...session.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${path}: ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}
