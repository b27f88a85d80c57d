// Browser journeys against the real thing: the qmfg server started in-process on a fresh SQLite
// file with the demo plant, and Debian's Chromium driven by playwright-core. Every test gets its own
// browser context; console errors and uncaught page errors fail the test unless it declared them.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { loadConfig, type Config } from '../src/config.js';
import { startServer, type Running } from '../src/server/runtime.js';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from '../src/features/auth/access.js';
import type { Role } from '../src/core/permissions.js';
import { createTestUser, signedRouteMatcher, TEST_PASSWORD_COST, type TestUser } from '../src/testing/auth.js';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const screenshotDir = join(repoRoot, 'test-results/screenshots');
const webRoot = join(repoRoot, 'dist/web');

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/**
 * Builds the web app when its sources (or what it imports from the server: schemas, calendar core)
 * are newer than dist/web/index.html. Test files run one after another, so only the first builds.
 */
export function ensureWebBuilt(): void {
  // the web app imports shared schemas and core code from src/, so any change there counts
  const sources = Math.max(newestMtime(join(repoRoot, 'web')), newestMtime(join(repoRoot, 'vite.config.ts')), newestMtime(join(repoRoot, 'src')));
  if (newestMtime(join(webRoot, 'index.html')) >= sources) return;
  execFileSync(process.execPath, [join(repoRoot, 'scripts/build.mjs')], { cwd: repoRoot, stdio: 'inherit' });
}

export interface E2E {
  /** http://127.0.0.1:<port> of the running server */
  readonly baseUrl: string;
  readonly config: Config;
  /**
   * A fresh context and page, signed in as the administrator unless `signedIn: false` (or as
   * `session`); its console and page errors are checked after the test.
   */
  newPage(viewport?: { width: number; height: number }, options?: { signedIn?: boolean; session?: ApiSession }): Promise<Page>;
  /** Declares console errors the test provokes on purpose (e.g. the 409 of a refused delete). */
  allowConsoleErrors(pattern: RegExp): void;
  /**
   * Calls the API directly, e.g. to check what the UI saved or to play "someone else" — as the
   * signed-in administrator (regulated changes signed with the administrator's password), or as
   * `as` (a session from signInApi), or anonymously (`as: null`).
   */
  api<T = unknown>(path: string, init?: { method?: string; body?: unknown; as?: ApiSession | null }): Promise<{ status: number; body: T }>;
  /** The administrator every page is signed in as (unless newPage is asked for an anonymous one). */
  readonly admin: TestUser;
  /** A new user of `role` in the server's database (its password is in the result). */
  createUser(role: Role, options?: { displayName?: string; mustChange?: boolean }): Promise<TestUser>;
  /** Signs a user in through the API, for `api(…, { as })` or a page's cookies. */
  signInApi(user: { username: string; password: string }): Promise<ApiSession>;
  /** Cuts every open connection to the server (live-event streams included), as a network drop would. */
  dropConnections(): void;
  /**
   * Uploads one camera log through the API (multipart, as the Analytics upload does), as `as` or the
   * administrator; fails the test unless the server answers 200. Returns the file's result.
   */
  uploadCameraLog(machine: string, name: string, content: Buffer | string, as?: ApiSession): Promise<{ cycles: number; fileId: number }>;
}

export interface ApiSession {
  sessionId: string;
  csrfToken: string;
}

export interface E2EOptions {
  /** extra configuration, computed before the server starts (e.g. a single-sign-on provider's address) */
  env?: () => Record<string, string> | Promise<Record<string, string>>;
}

/** Registers the hooks of a test file and returns the handle its tests use. */
export function useE2E(options: E2EOptions = {}): E2E {
  let server: Running | undefined;
  let admin: TestUser | undefined;
  let adminSession: ApiSession | undefined;
  let isSigned: ((method: string, path: string) => boolean) | undefined;
  let browser: Browser | undefined;
  let dataDir: string | undefined;
  let config: Config | undefined;
  let contexts: BrowserContext[] = [];
  let problems: string[] = [];
  let allowed: RegExp[] = [];
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    ensureWebBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'qmfg-e2e-'));
    const extra = options.env ? await options.env() : {};
    // a low password-hash cost: the journeys sign in often; the production cost has its own bench
    // its own drop folder: a developer's ./data/drop must not leak into the journeys
    config = loadConfig({ ...process.env, DATABASE_URL: `sqlite:${join(dataDir, 'qmfg.db')}`, QMFG_DATA_DIR: dataDir, QMFG_DROP_DIR: join(dataDir, 'drop'), QMFG_DEMO: '1', QMFG_DEMO_LIVE: '0', PORT: '0', QMFG_PASSWORD_COST: TEST_PASSWORD_COST, QMFG_LOGIN_RATE_PER_MINUTE: '100000', ...extra });
    server = await startServer({ config, port: 0, logger: false, webRoot });
    server.app.server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    admin = await createTestUser(server.handle.db, 'admin', { username: 'e2e-admin', displayName: 'E2E Administrator' });
    adminSession = await signInApi(admin);
    isSigned = signedRouteMatcher(server.app);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });

  afterEach(async () => {
    // close first: a page error raised while closing still counts
    for (const context of contexts) await context.close();
    contexts = [];
    const unexpected = problems.filter((problem) => !allowed.some((pattern) => pattern.test(problem)));
    problems = [];
    allowed = [];
    if (unexpected.length) throw new Error(`the browser reported ${unexpected.length} error(s):\n${unexpected.join('\n')}`);
  });

  afterAll(async () => {
    // the browser goes first so that its live-event streams do not hold the server open
    await browser?.close();
    await server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const baseUrl = () => {
    if (!server) throw new Error('the e2e server is not running (beforeAll failed?)');
    // Node listens on IPv4; "localhost" could resolve to ::1 in Chromium
    return server.url.replace('localhost', '127.0.0.1');
  };

  async function signInApi(user: { username: string; password: string }): Promise<ApiSession> {
    const response = await fetch(`${baseUrl()}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: user.username, password: user.password }),
    });
    if (response.status !== 200) throw new Error(`sign-in of ${user.username} failed: ${response.status} ${await response.text()}`);
    const cookies = new Map(response.headers.getSetCookie().map((c) => c.split(';')[0].split('=') as [string, string]));
    const sessionId = cookies.get(SESSION_COOKIE);
    const csrfToken = cookies.get(CSRF_COOKIE);
    if (!sessionId || !csrfToken) throw new Error('sign-in answered without session cookies');
    return { sessionId, csrfToken };
  }

  return {
    get baseUrl() {
      return baseUrl();
    },
    get config() {
      if (!config) throw new Error('the e2e server is not running (beforeAll failed?)');
      return config;
    },
    get admin() {
      if (!admin) throw new Error('the e2e server is not running (beforeAll failed?)');
      return admin;
    },
    async createUser(role, userOptions = {}) {
      if (!server) throw new Error('the e2e server is not running (beforeAll failed?)');
      return createTestUser(server.handle.db, role, userOptions);
    },
    signInApi,
    async uploadCameraLog(machine, name, content, as) {
      const session = as ?? (await signInApi(this.admin));
      const form = new FormData();
      form.append('file', new Blob([typeof content === 'string' ? content : new Uint8Array(content)], { type: 'text/plain' }), name);
      const response = await fetch(`${baseUrl()}/api/ingest/upload?machine=${machine}`, {
        method: 'POST',
        headers: { cookie: `${SESSION_COOKIE}=${session.sessionId}; ${CSRF_COOKIE}=${session.csrfToken}`, [CSRF_HEADER]: session.csrfToken },
        body: form,
      });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`upload of ${name} to ${machine} failed: ${response.status} ${text}`);
      return (JSON.parse(text) as { files: { cycles: number; fileId: number }[] }).files[0];
    },
    dropConnections() {
      for (const socket of sockets) socket.destroy();
    },
    async newPage(viewport = { width: 1280, height: 800 }, pageOptions = {}) {
      if (!browser) throw new Error('the browser is not running (beforeAll failed?)');
      const context = await browser.newContext({ baseURL: baseUrl(), viewport, timezoneId: 'UTC', locale: 'en-US' });
      contexts.push(context);
      const session = pageOptions.session ?? (pageOptions.signedIn === false ? undefined : adminSession);
      if (session) {
        await context.addCookies([
          { name: SESSION_COOKIE, value: session.sessionId, url: baseUrl(), httpOnly: true, sameSite: 'Lax' },
          { name: CSRF_COOKIE, value: session.csrfToken, url: baseUrl(), httpOnly: false, sameSite: 'Strict' },
        ]);
      }
      context.setDefaultTimeout(10_000);
      // a first load parses the whole app bundle: on a busy 2-core machine that alone can take seconds
      context.setDefaultNavigationTimeout(30_000);
      const page = await context.newPage();
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()} (${message.location().url})`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      return page;
    },
    allowConsoleErrors(pattern: RegExp) {
      allowed.push(pattern);
    },
    async api<T>(path: string, init: { method?: string; body?: unknown; as?: ApiSession | null } = {}) {
      const method = init.method ?? 'GET';
      const session = init.as === undefined ? adminSession : init.as;
      const headers: Record<string, string> = init.body === undefined ? {} : { 'content-type': 'application/json' };
      if (session) {
        headers.cookie = `${SESSION_COOKIE}=${session.sessionId}; ${CSRF_COOKIE}=${session.csrfToken}`;
        headers[CSRF_HEADER] = session.csrfToken;
      }
      let body = init.body;
      // the administrator signs regulated changes made through here (tests of signing bring their own)
      if (init.as === undefined && admin && isSigned?.(method, path) && body !== null && typeof body === 'object' && !('signature' in body)) {
        body = { ...body, signature: { password: admin.password, meaning: 'approved' } };
      }
      const response = await fetch(baseUrl() + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
    },
  };
}

/** Waits until the locator's text contains (or matches) `expected`; fails with what it saw instead. */
export async function expectText(locator: Locator, expected: string | RegExp, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let seen = '(element not found)';
  while (Date.now() < deadline) {
    if ((await locator.count()) === 1) {
      seen = (await locator.innerText()).replace(/\s+/g, ' ').trim();
      if (typeof expected === 'string' ? seen.includes(expected) : expected.test(seen)) return seen;
    } else if ((await locator.count()) > 1) {
      seen = `(${await locator.count()} elements match)`;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`expected ${String(locator)} to show ${String(expected)}, but it showed "${seen}"`);
}

export async function expectVisible(locator: Locator, timeoutMs = 10_000): Promise<void> {
  await locator.waitFor({ state: 'visible', timeout: timeoutMs });
}

export async function expectHidden(locator: Locator, timeoutMs = 10_000): Promise<void> {
  await locator.waitFor({ state: 'hidden', timeout: timeoutMs });
}

export async function expectValue(locator: Locator, expected: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = '';
  while (Date.now() < deadline) {
    seen = await locator.inputValue();
    if (seen === expected) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`expected ${String(locator)} to hold "${expected}", but it held "${seen}"`);
}

/**
 * The demo keeps every iTrak line busy; a journey that plans on a line of its own parks the demo's
 * lots of those lines first (call in beforeAll).
 */
export async function parkDemoLots(e2e: E2E, machines: readonly string[]): Promise<void> {
  const { DEMO_ORDER_LOTS } = await import('../src/features/demo/orders.js');
  for (const { lot } of DEMO_ORDER_LOTS.filter((o) => o.machines[0] !== undefined && machines.includes(o.machines[0]))) {
    const parked = await e2e.api(`/api/work-orders/${lot}/operations/0/park`, { method: 'POST', body: {} });
    if (parked.status !== 200) throw new Error(`parking demo lot ${lot}: ${parked.status} ${JSON.stringify(parked.body)}`);
  }
}
