// Test support: real `qmfg serve` processes (from source, through tsx) sharing one database, as a plant
// runs them behind nginx: each has its own PORT and data folder, all share DATABASE_URL, the audit
// key, the drop folder and the broker. Plus what the tests read them with: a sign-in, an SSE client of
// /api/events, and the database itself (job leases, stored cycles).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../testing/throwaway-server.js';
import { TEST_AUDIT_KEY } from '../../testing/databases.js';
import { TEST_PASSWORD_COST } from '../../testing/auth.js';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from '../../features/auth/access.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SERVER_URLS = {
  postgres: process.env.QMFG_TEST_POSTGRES ?? 'postgres://root@127.0.0.1:5432',
  mysql: process.env.QMFG_TEST_MYSQL ?? 'mysql://root@127.0.0.1:3306',
};
export const TEST_REDIS_URL = process.env.QMFG_TEST_REDIS ?? 'redis://127.0.0.1:6379';
export const TEST_BROKER = process.env.QMFG_TEST_MQTT ?? 'mqtt://127.0.0.1:1883';

export interface Instance {
  name: string;
  port: number;
  url: string;
  child: ChildProcess;
  /** stdout and stderr so far */
  output(): string;
  exited: Promise<number | null>;
}

export interface Plant {
  databaseUrl: string;
  databaseName: string;
  dropDir: string;
  topicPrefix: string;
  env: Record<string, string>;
  instances: Instance[];
}

/** What every instance of a test plant shares; the database does not exist yet (the instances create it). */
export function plantFor(dialect: 'postgres' | 'mysql', extra: Record<string, string> = {}): Omit<Plant, 'instances'> {
  const tag = randomBytes(4).toString('hex');
  const databaseName = `qmfg_t_multi_${tag}`;
  const databaseUrl = `${SERVER_URLS[dialect]}/${databaseName}`;
  const dropDir = mkdtempSync(join(tmpdir(), 'qmfg-multi-drop-'));
  const topicPrefix = `qmfg-multi-${tag}`;
  return {
    databaseUrl,
    databaseName,
    dropDir,
    topicPrefix,
    env: {
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      QMFG_AUDIT_KEY: TEST_AUDIT_KEY,
      QMFG_DROP_DIR: dropDir,
      QMFG_DEMO: '1',
      QMFG_DEMO_LIVE: '0',
      QMFG_DEMO_DAYS: '0',
      QMFG_WATCH: '1',
      QMFG_WATCH_POLLING: '1',
      QMFG_WATCH_INTERVAL_MS: '200',
      QMFG_MQTT_URL: TEST_BROKER,
      QMFG_MQTT_TOPIC_PREFIX: topicPrefix,
      QMFG_PASSWORD_COST: TEST_PASSWORD_COST,
      QMFG_LOGIN_RATE_PER_MINUTE: '100000',
      QMFG_AUDIT_VERIFY_HOURS: '0',
      LOG_LEVEL: 'warn',
      ...extra,
    },
  };
}

/** Spawns `qmfg serve` with the plant's environment, its own port and data folder; resolves once /api/health answers 200 and the start is done. */
export async function startInstance(plant: Omit<Plant, 'instances'>, name: string, timeoutMs = 90_000): Promise<Instance> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), `qmfg-multi-${name}-`));
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...plant.env, PORT: String(port), QMFG_DATA_DIR: dataDir };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'serve'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => {
    rmSync(dataDir, { recursive: true, force: true });
    resolve(code);
  }));
  const instance: Instance = { name, port, url: `http://127.0.0.1:${port}`, child, output: () => output, exited };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}) before it was healthy:\n${output}`);
    const status = await fetch(`${instance.url}/api/health`).then((r) => r.status, () => 0);
    // the start banner follows the first accounts (created after listening)
    if (status === 200 && output.includes('qmfg is running')) return instance;
    if (Date.now() > deadline) throw new Error(`${name} not healthy within ${timeoutMs} ms:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function stopInstance(instance: Instance, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (instance.child.exitCode !== null || instance.child.signalCode !== null) return;
  instance.child.kill(signal);
  const timer = setTimeout(() => instance.child.kill('SIGKILL'), 10_000);
  await instance.exited;
  clearTimeout(timer);
}

/** The demo administrator's password from the start banner of the instance that seeded (printed once). */
export function demoAdminPassword(instances: readonly Instance[]): string {
  for (const instance of instances) {
    const match = /^\s+admin\s+(\S+)\s+/m.exec(instance.output().split('Demo sign-in accounts')[1] ?? '');
    if (match) return match[1];
  }
  throw new Error(`no instance printed the demo sign-in accounts:\n${instances.map((i) => i.output()).join('\n----\n')}`);
}

export interface Session {
  cookie: string;
  csrf: string;
}

export async function signIn(instance: Instance, username: string, password: string): Promise<Session> {
  const response = await fetch(`${instance.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (response.status !== 200) throw new Error(`sign-in at ${instance.name} answered ${response.status}: ${await response.text()}`);
  const cookies = new Map(response.headers.getSetCookie().map((c) => c.split(';')[0].split('=') as [string, string]));
  const session = cookies.get(SESSION_COOKIE);
  const csrf = cookies.get(CSRF_COOKIE);
  if (!session || !csrf) throw new Error('sign-in answered without session cookies');
  return { cookie: `${SESSION_COOKIE}=${session}; ${CSRF_COOKIE}=${csrf}`, csrf };
}

export async function api(instance: Instance, session: Session, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${instance.url}${path}`, {
    method,
    headers: { cookie: session.cookie, [CSRF_HEADER]: session.csrf, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: the text
  }
  return { status: response.status, body: parsed };
}

export interface SseMessage {
  event: string;
  data: string;
  receivedAt: number;
}

/** An open /api/events stream, parsed as it arrives. */
export class EventStream {
  readonly messages: SseMessage[] = [];
  private buffer = '';
  private constructor(readonly response: IncomingMessage) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf('\n\n')) >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const lines = block.split('\n');
        const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
        const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
        if (event) this.messages.push({ event, data, receivedAt: Date.now() });
      }
    });
  }

  static open(instance: Instance, session: Session): Promise<EventStream> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(`${instance.url}/api/events`, { headers: { cookie: session.cookie, accept: 'text/event-stream' } }, (response) => {
        if (response.statusCode !== 200) reject(new Error(`/api/events at ${instance.name} answered ${response.statusCode}`));
        else resolve(new EventStream(response));
      });
      req.on('error', reject);
      req.end();
    });
  }

  /** The first message satisfying `match`, waiting at most `ms`. */
  async next(match: (message: SseMessage) => boolean, ms: number, what: string): Promise<SseMessage> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms (saw ${JSON.stringify(this.messages.map((m) => m.event))})`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  close(): void {
    this.response.destroy();
  }
}

/** Polls `read` until `done` holds (returns the last value read) or `ms` passed. */
export async function until<T>(ms: number, read: () => Promise<T>, done: (value: T) => boolean, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
