// Browser journeys against the real thing: the qmfg server started in-process on a fresh SQLite
// file with the demo plant, and Debian's Chromium driven by playwright-core. Every test gets its own
// browser context; console errors and uncaught page errors fail the test unless it declared them.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { loadConfig, type Config } from '../src/config.js';
import { startServer, type Running } from '../src/server/runtime.js';

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
  /** A fresh context and page; its console and page errors are checked after the test. */
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  /** Declares console errors the test provokes on purpose (e.g. the 409 of a refused delete). */
  allowConsoleErrors(pattern: RegExp): void;
  /** Calls the API directly, e.g. to check what the UI saved or to play "someone else". */
  api<T = unknown>(path: string, init?: { method?: string; body?: unknown }): Promise<{ status: number; body: T }>;
}

/** Registers the hooks of a test file and returns the handle its tests use. */
export function useE2E(): E2E {
  let server: Running | undefined;
  let browser: Browser | undefined;
  let dataDir: string | undefined;
  let config: Config | undefined;
  let contexts: BrowserContext[] = [];
  let problems: string[] = [];
  let allowed: RegExp[] = [];

  beforeAll(async () => {
    ensureWebBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'qmfg-e2e-'));
    config = loadConfig({ ...process.env, DATABASE_URL: `sqlite:${join(dataDir, 'qmfg.db')}`, QMFG_DEMO: '1', PORT: '0' });
    server = await startServer({ config, port: 0, logger: false, webRoot });
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

  return {
    get baseUrl() {
      return baseUrl();
    },
    get config() {
      if (!config) throw new Error('the e2e server is not running (beforeAll failed?)');
      return config;
    },
    async newPage(viewport = { width: 1280, height: 800 }) {
      if (!browser) throw new Error('the browser is not running (beforeAll failed?)');
      const context = await browser.newContext({ baseURL: baseUrl(), viewport, timezoneId: 'UTC', locale: 'en-US' });
      contexts.push(context);
      context.setDefaultTimeout(10_000);
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
    async api<T>(path: string, init: { method?: string; body?: unknown } = {}) {
      const response = await fetch(baseUrl() + path, {
        method: init.method ?? 'GET',
        headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
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
