// The andon / TV view on a wall screen (issue 12 item 3), 1920×1080, opened with a TV device link and
// no one signed in: a machine's state message over a real MQTT broker turns its tile "stopped"
// within 2 s, and "running" again after the next message; the key figures are ≥ 48 px with ≥ 7:1
// contrast on the computed colours; screenshots of both states. A revoked link is refused.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stateMessage } from '../src/features/machine-data/mqtt.js';
import { parkDemoLots, screenshotDir, useE2E } from './harness.js';

// the broker is shared: this run's own topic prefix
const PREFIX = `qmfg-e2e-tv-${randomBytes(3).toString('hex')}`;
const e2e = useE2E({ env: () => ({ QMFG_MQTT_URL: 'mqtt://127.0.0.1:1883', QMFG_MQTT_TOPIC_PREFIX: PREFIX, QMFG_MQTT_CLIENT_ID: `${PREFIX}-server` }) });
const TV = { width: 1920, height: 1080 };

/** WCAG contrast of two rgb() colours. */
function contrast(a: number[], b: number[]): number {
  const lum = ([r, g, bl]: number[]) => {
    const c = [r, g, bl].map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** Every key figure on the page: its text, font size, colour and the first opaque background behind it. */
async function keyFigures(page: Page) {
  return page.$$eval('[data-key-figure]', (elements) =>
    elements.map((element) => {
      const parse = (value: string) => (value.match(/[\d.]+/g) ?? []).map(Number);
      const style = getComputedStyle(element);
      let node: Element | null = element;
      let background = [0, 0, 0];
      while (node) {
        const bg = parse(getComputedStyle(node).backgroundColor);
        if (bg.length >= 3 && (bg.length === 3 || bg[3] > 0)) {
          background = bg.slice(0, 3);
          break;
        }
        node = node.parentElement;
      }
      return { what: element.getAttribute('data-key-figure'), text: element.textContent ?? '', fontPx: parseFloat(style.fontSize), color: parse(style.color).slice(0, 3), background };
    }),
  );
}

/** ms until the tile shows `state` (polled every 25 ms), failing after `limitMs`. */
async function msUntilState(page: Page, machine: string, state: string, limitMs: number): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < limitMs) {
    if ((await page.getAttribute(`[data-testid="tv-tile-${machine}"]`, 'data-state')) === state) return Date.now() - start;
    await page.waitForTimeout(25);
  }
  throw new Error(`${machine} did not turn ${state} within ${limitMs} ms (it shows ${await page.getAttribute(`[data-testid="tv-tile-${machine}"]`, 'data-state')})`);
}

describe('TV view', () => {
  let client: mqtt.MqttClient;
  beforeAll(async () => {
    client = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { clientId: `${PREFIX}-test`, protocolVersion: 5 });
    mkdirSync(screenshotDir, { recursive: true });
  });
  afterAll(async () => client?.endAsync());
  const publishState = (machine: string, state: 'running' | 'stopped', reason?: string) =>
    client.publishAsync(`${PREFIX}/${machine}/state`, stateMessage(state, Date.now(), reason), { qos: 1 });

  it('a wall screen with a TV link shows a machine turning stopped within 2 s of its state message, and running again; legible at 1920×1080', async () => {
    const created = await e2e.api<{ id: number; link: string; token: string }>('/api/tv-devices', { method: 'POST', body: { name: 'E2E wall', groups: ['pouching-itrak'] } });
    expect(created.status).toBe(201);
    // the plant works around the clock for this journey, so that a stop is "stopped" (not "off shift") whenever it runs
    const calendar = await e2e.api<{ default: { days: Record<string, unknown>; version: number } }>('/api/calendar');
    const allDay = Object.fromEntries(Object.keys(calendar.body.default.days).map((day) => [day, [['00:00', '24:00']]]));
    const put = await e2e.api('/api/calendar/default', { method: 'PUT', body: { days: allDay, version: calendar.body.default.version, reason: 'TV journey: work around the clock' } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    // a job of its own on Line 7 (the demo keeps every iTrak line busy: its lots there are parked first), so that its tile has every figure
    await parkDemoLots(e2e, ['line7']);
    expect((await e2e.api('/api/work-orders', { method: 'POST', body: { lot: '778801', product: 'flu-ab', quantity: 120000 } })).status).toBe(201);
    expect((await e2e.api('/api/work-orders/778801/operations/0/load', { method: 'POST', body: { machine: 'line7', mode: 'insert', position: 0 } })).status).toBeLessThan(300);
    // the line makes parts of it: cycles over MQTT, one every 0.5 s over the last 30 s (plant-local times)
    const now = Date.now();
    const lines = Array.from({ length: 60 }, (_, i) => `1169100,778801,${200001 + i},1,${DateTime.fromMillis(now - (59 - i) * 500, { zone: e2e.config.QMFG_TZ }).toFormat('MM/dd/yy HH:mm:ss.SSS')}`);
    const page = await e2e.newPage(TV, { signedIn: false });
    // (before the first state message the tile may show "no data": the API answers 200 regardless)
    await page.goto(created.body.link);
    await page.waitForSelector('[data-testid="tv-tile-line7"]');
    // the token left the address (the device cookie holds it, httpOnly)
    expect(page.url()).not.toContain(created.body.token);
    expect(await page.evaluate(() => document.cookie)).not.toContain('qmfg_tv');
    // the server's subscription comes up in the background: send the cycles until the tile runs the job
    for (let attempt = 0; ; attempt++) {
      await client.publishAsync(`${PREFIX}/line7/cycles`, lines.join('\n') + '\n', { qos: 1 });
      try {
        await msUntilState(page, 'line7', 'running', 1_000);
        break;
      } catch (error) {
        if (attempt >= 10) throw error;
      }
    }
    expect(await page.textContent('[data-testid="tv-group"]')).toContain('iTrak');
    // the live stream is open before we measure
    await page.waitForFunction(() => document.querySelector('[data-testid="tv-live"]')?.textContent === '', null, { timeout: 10_000 });

    await publishState('line7', 'stopped', 'e2e pause');
    const toStopped = await msUntilState(page, 'line7', 'stopped', 2_000);
    expect(await page.textContent('[data-testid="tv-state-line7"]')).toMatch(/^Stopped \d+ min$/);
    // and it stays so once the refetches that the events started have answered
    await page.waitForTimeout(1500);
    expect(await page.getAttribute('[data-testid="tv-tile-line7"]', 'data-state')).toBe('stopped');
    expect(await page.textContent('[data-testid="tv-tile-line7"]')).toContain('Lot 778801');
    await page.screenshot({ path: join(screenshotDir, 'tv-stopped-1920x1080.png') });

    await publishState('line7', 'running');
    const toRunning = await msUntilState(page, 'line7', 'running', 2_000);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(screenshotDir, 'tv-running-1920x1080.png') });
    console.log(`TV: state message → tile stopped in ${toStopped} ms, running again in ${toRunning} ms (target < 2000 ms)`);

    // legible from 5 m: every key figure ≥ 48 px, ≥ 7:1 against what is behind it
    const figures = await keyFigures(page);
    expect(figures.length).toBeGreaterThan(6 * 3);
    const small = figures.filter((f) => f.fontPx < 48).map((f) => `${f.what} "${f.text}" ${f.fontPx}px`);
    expect(small).toEqual([]);
    const faint = figures.map((f) => ({ ...f, ratio: contrast(f.color, f.background) })).filter((f) => f.ratio < 7).map((f) => `${f.what} "${f.text}" ${f.ratio.toFixed(2)}:1`);
    expect(faint).toEqual([]);
    // the stopped colours too (the tile's background changes with its state)
    await publishState('line7', 'stopped');
    await msUntilState(page, 'line7', 'stopped', 2_000);
    const stoppedFigures = (await keyFigures(page)).map((f) => ({ ...f, ratio: contrast(f.color, f.background) })).filter((f) => f.ratio < 7);
    expect(stoppedFigures.map((f) => `${f.what} "${f.text}" ${f.ratio.toFixed(2)}:1`)).toEqual([]);

    // revoked: the open screen's stream ends and a reload is refused with a readable message
    e2e.allowConsoleErrors(/401|Unauthorized/);
    expect((await e2e.api(`/api/tv-devices/${created.body.id}/revoke`, { method: 'POST' })).status).toBe(200);
    await page.reload();
    await page.waitForSelector('[data-testid="tv-refused"]');
    expect(await page.textContent('[data-testid="tv-refused"]')).toMatch(/revoked/);
  });

  it('an administrator creates a TV screen in Admin → TV screens (its link shown once), the link opens the view, Revoke ends it', async () => {
    const admin = await e2e.newPage({ width: 1280, height: 800 });
    await admin.goto('/admin/tv-screens');
    await admin.getByTestId('tv-screen-new').click();
    await admin.getByTestId('input-name').fill('Hall C east wall');
    await admin.getByTestId('group-kitting').check();
    await admin.getByTestId('form-save').click();
    const link = await admin.getByTestId('tv-link-value').inputValue();
    expect(link).toMatch(/\/tv\?token=[\w-]{32}&groups=kitting$/);
    await admin.getByTestId('form-save').click();
    const row = admin.locator('tr', { hasText: 'Hall C east wall' });
    await row.waitFor();
    expect(await row.textContent()).toContain('active');
    // the link is not shown again anywhere in the list
    expect(await admin.textContent('[data-testid="tv-screens-tab"]')).not.toContain(new URL(link).searchParams.get('token')!);

    const wall = await e2e.newPage(TV, { signedIn: false });
    await wall.goto(link);
    await wall.waitForSelector('[data-testid="tv-group"]');
    expect(await wall.textContent('[data-testid="tv-group"]')).toBe('Kitting');

    // the open wall's stream ends at once and its next read is a 401
    e2e.allowConsoleErrors(/401|Unauthorized/);
    await row.getByRole('button', { name: 'Revoke' }).click();
    await admin.locator('tr', { hasText: 'Hall C east wall' }).filter({ hasText: 'revoked' }).waitFor();
    await wall.reload();
    await wall.waitForSelector('[data-testid="tv-refused"]');
  });
});
