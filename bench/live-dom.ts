// bench/live.bench.ts (a): MQTT message → browser DOM update at 8 machines × 140 cycles/min. The
// real `qmfg serve` (own process, fresh SQLite, still demo plant, MQTT ingest from the local
// Mosquitto) and Debian's Chromium showing the TV view (/tv with a TV token). This process publishes
// one camera line per message (the cycle's instant = its send time) for the lot each machine runs;
// each message adds one part, so message k of a machine is shown once the tile's count reaches
// count-before + k. A MutationObserver in each page notes when a tile's count changes (wall clock,
// same machine); a message's latency is the first time its machine's count is at or past its number,
// minus its send time. One screen (the iTrak group) first, then 4 screens (2 per group), same run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { chromium, type Browser, type Page } from 'playwright-core';
import { cameraLine } from '../src/core/simulation/index.js';
import { DEMO_PRODUCTS } from '../src/features/demo/plant.js';
import type { TvResponse } from '../src/features/tv/schemas.js';
import type { Figure } from './lib.js';
import { api, benchEnv, describe, log, prepareDemo, signInHttp, sleep, spread, startServe, type HttpSession } from './live-lib.js';

const MACHINES = 8;
const CYCLES_PER_MINUTE = 140;
const PHASE_SECONDS = 30;
/** after the last message: the notifier's trailing flush (5 s today), the re-plan and the screens' refetch */
const DRAIN_MS = 12_000;
const GROUPS = ['pouching-itrak', 'pouching-dipstick'];
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];

/**
 * Runs in the page (a string, so that no bundler helper leaks into it): notes [machine, count, ms]
 * whenever a tile's count ("12 000 / 150 000") changes. A `data-testid="tv-produced-<machine>"`
 * element is preferred when the page has one.
 */
const OBSERVER = `(() => {
  const log = [];
  const last = new Map();
  const read = () => {
    const at = Date.now();
    for (const tile of document.querySelectorAll('[data-testid^="tv-tile-"]')) {
      const machine = tile.getAttribute('data-testid').slice('tv-tile-'.length);
      const el = tile.querySelector('[data-testid="tv-produced-' + machine + '"]') || tile.querySelector('.tv-job .tv-small');
      if (!el) continue;
      const count = Number(el.textContent.split('/')[0].replace(/[^0-9]/g, ''));
      if (last.get(machine) !== count) { last.set(machine, count); log.push([machine, count, at]); }
    }
  };
  new MutationObserver(read).observe(document.body, { subtree: true, childList: true, characterData: true });
  read();
  window.__benchLog = log;
  return last.size;
})()`;

interface Target {
  machine: string;
  lot: string;
  item: string;
}

interface Sent {
  machine: string;
  /** the tile's count once this message is in */
  expected: number;
  sentAt: number;
}

interface Screen {
  group: string;
  page: Page;
}

async function tiles(base: string, session: HttpSession): Promise<TvResponse> {
  return api<TvResponse>(base, session, `/api/tv?groups=${GROUPS.join(',')}`);
}

async function counts(base: string, session: HttpSession): Promise<Map<string, number>> {
  const answer = await tiles(base, session);
  return new Map(answer.groups.flatMap((g) => g.tiles).map((t) => [t.machine, t.produced ?? 0]));
}

/** Arrival instants of the 'production' events (and the machines they name) on a stream of this process. */
function watchEvents(base: string, session: HttpSession, signal: AbortSignal): { at: number; machines: string[] }[] {
  const seen: { at: number; machines: string[] }[] = [];
  void (async () => {
    const response = await fetch(`${base}/api/events`, { headers: { cookie: session.cookie }, signal });
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      const at = Date.now();
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!block.startsWith('event: production')) continue;
        const data = block.split('\n').find((line) => line.startsWith('data: '));
        const event = data ? (JSON.parse(data.slice(6)) as { data?: { machines?: string[] } }) : {};
        seen.push({ at, machines: event.data?.machines ?? [] });
      }
    }
  })().catch(() => undefined);
  return seen;
}

async function openScreens(browser: Browser, base: string, links: Map<string, string>, groups: string[]): Promise<Screen[]> {
  const screens: Screen[] = [];
  for (const group of groups) {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, timezoneId: 'UTC', locale: 'en-US' });
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    page.on('pageerror', (error) => log(`dom: page error on ${group}: ${error.message}`));
    // one group, no rotation during the run
    await page.goto(`${base}${links.get(group)}&rotate=3600`);
    await page.waitForSelector('[data-testid^="tv-tile-"]');
    // the live stream is open (the indicator says nothing then)
    await page.waitForSelector('[data-testid="tv-live"]:not(.tv-live-off)', { state: 'attached' });
    const observed = (await page.evaluate(OBSERVER)) as number;
    log(`dom: screen ${group} open, observing ${observed} tiles`);
    screens.push({ group, page });
  }
  return screens;
}

export async function domBench(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'qmfg-bench-live-dom-'));
  const env = benchEnv(dir, 'dom');
  const admin = await prepareDemo(env);
  const server = await startServe(env);
  let browser: Browser | undefined;
  const client = await mqtt.connectAsync(env.QMFG_MQTT_URL, { protocolVersion: 5, clientId: `${env.QMFG_MQTT_TOPIC_PREFIX}-publisher` });
  try {
    // the still demo ingests its days of sensor data a moment after start: wait until that is in
    await server.waitFor(/demo sensor data/, 180_000);
    await server.waitFor(/MQTT: subscribed/, 30_000);
    const session = await signInHttp(server.base, admin);
    const links = new Map<string, string>();
    for (const group of GROUPS) {
      const device = await api<{ link: string }>(server.base, session, '/api/tv-devices', { name: `bench ${group}`, groups: [group] });
      links.set(group, device.link);
    }
    const answer = await tiles(server.base, session);
    const zone = answer.zone;
    const items = new Map(DEMO_PRODUCTS.map((p) => [p.key, p.itemNumber]));
    const targets: Target[] = answer.groups
      .flatMap((g) => g.tiles)
      .filter((t) => t.lot !== null && t.product !== null)
      .slice(0, MACHINES)
      .map((t) => ({ machine: t.machine, lot: t.lot!, item: items.get(t.product!.key)! }));
    if (targets.length < MACHINES) throw new Error(`only ${targets.length} machines with a job on the TV groups (${targets.map((t) => t.machine).join(', ')})`);
    log(`dom: publishing to ${targets.map((t) => `${t.machine} (lot ${t.lot})`).join(', ')}`);

    const serial = new Map(targets.map((t) => [t.machine, 0]));
    const publish = async (target: Target, id: string): Promise<number> => {
      const sentAt = Date.now();
      const n = serial.get(target.machine)! + 1;
      serial.set(target.machine, n);
      const line = cameraLine({ at: sentAt, lot: target.lot, item: target.item, serial: 900_000 + n, rework: false }, zone);
      await client.publishAsync(`${env.QMFG_MQTT_TOPIC_PREFIX}/${target.machine}/cycles`, `${line}\n`, { qos: 1, properties: { userProperties: { id } } });
      return sentAt;
    };

    // warm-up: one cycle each (the first live cycle replaces a seeded count with machine data's), then settle
    const before = await counts(server.base, session);
    for (const target of targets) await publish(target, `bench-warm:${target.machine}`);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const now = await counts(server.base, session);
      if (targets.every((t) => now.get(t.machine) !== before.get(t.machine))) break;
      await sleep(500);
    }
    await sleep(DRAIN_MS);
    const base = await counts(server.base, session);
    let sentSoFar = 0;

    const stopEvents = new AbortController();
    const productionEvents = watchEvents(server.base, session, stopEvents.signal);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const figures: Figure[] = [];
    for (const [label, groups] of [
      ['1 screen', ['pouching-itrak']],
      ['4 screens', ['pouching-itrak', 'pouching-dipstick', 'pouching-itrak', 'pouching-dipstick']],
    ] as const) {
      const screens = await openScreens(browser, server.base, links, [...groups]);
      await sleep(2000);
      const sent: Sent[] = [];
      const intervalMs = 60_000 / CYCLES_PER_MINUTE;
      const started = performance.now();
      const perMachine = Math.floor((PHASE_SECONDS * 1000) / intervalMs);
      // each machine on its own steady clock, staggered across the interval
      await Promise.all(
        targets.map(async (target, i) => {
          for (let k = 0; k < perMachine; k++) {
            const wait = started + (i * intervalMs) / targets.length + k * intervalMs - performance.now();
            if (wait > 0) await sleep(wait);
            const index = sentSoFar + k + 1;
            const sentAt = await publish(target, `bench:${target.machine}:${index}`);
            sent.push({ machine: target.machine, expected: base.get(target.machine)! + index, sentAt });
          }
        }),
      );
      sentSoFar += perMachine;
      await sleep(DRAIN_MS);
      const latencies: number[] = [];
      let missing = 0;
      let early = 0;
      for (const screen of screens) {
        const seen = (await screen.page.evaluate('window.__benchLog')) as [string, number, number][];
        const machines = new Set(seen.map(([m]) => m));
        for (const message of sent) {
          if (!machines.has(message.machine)) continue;
          const shown = seen.find(([m, count, at]) => m === message.machine && count >= message.expected && at >= message.sentAt - 1000);
          if (!shown) missing++;
          else if (shown[2] < message.sentAt) early++;
          else latencies.push(shown[2] - message.sentAt);
        }
        const updates = seen.filter(([, , at]) => at >= sent[0].sentAt).length;
        log(`dom: ${label}, ${screen.group}: ${updates} count changes on ${machines.size} tiles`);
      }
      // the server's share: the first production event naming the machine after the message was sent
      const toEvent = sent.flatMap((m) => {
        const event = productionEvents.find((e) => e.at >= m.sentAt && e.machines.includes(m.machine));
        return event ? [event.at - m.sentAt] : [];
      });
      log(`dom: ${label}: message → 'production' event on an SSE stream (upper bound of the server's share): ${describe(spread(toEvent))}`);
      const result = spread(latencies);
      log(`dom: ${label}: ${sent.length} messages, ${describe(result)}, ${missing} never shown, ${early} shown before sent (count mismatch)`);
      figures.push({ name: `dom: MQTT → TV tile p95, ${MACHINES} machines × ${CYCLES_PER_MINUTE}/min, ${label} (p50 ${result.p50.toFixed(0)} ms)`, value: result.p95, unit: 'ms', target: 250 });
      figures.push({ name: `dom: messages never shown or miscounted, ${label}`, value: missing + early, unit: '', target: 1 });
      for (const screen of screens) await screen.page.context().close();
    }
    stopEvents.abort();
    return figures;
  } finally {
    await browser?.close();
    await client.endAsync();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
