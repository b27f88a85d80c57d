// The Monitoring page in a browser, on test data built through the API (deterministic, whatever the
// demo seeds): a film-thickness channel on line9 with 5 stable hours and then 3 hours of slow drift,
// limits set from the stable hours, and an SPC alert rule. The journey picks line9 and the channel,
// sees signal markers on the chart and the drift named in the signals list, the SPC alert in the
// machine's alert list, sets new limits as a quality user (a field error first), and the page is shot
// at 1920×1080 and 1024×768 with every control a 44 px touch target.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from '../src/features/auth/access.js';
import { expectText, expectVisible, screenshotDir, useE2E } from './harness.js';

const e2e = useE2E({ env: () => ({ QMFG_ALERT_INTERVAL_SECONDS: '2' }) });

const MACHINE = 'line9';
const CHANNEL = 'e2e-film';
const PERIOD_S = 10;
const HOUR = 3_600_000;

/** A seeded normal generator (Box–Muller on a linear congruential generator): the same file every run. */
function normals(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return (state + 1) / 4_294_967_297;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/**
 * Eight hours of film thickness ending at `end`, one reading every 10 s, as a LabVIEW file with
 * absolute plant-local times: noise σ 0.4 µm around 0.125 mm with a slow wander and a few single
 * spikes; after 5 h the mean creeps up by 1.5 µm over the last 3 h.
 */
function driftingLvm(end: number, zone: string): string {
  const noise = normals(14);
  const start = end - 8 * HOUR;
  const lines = ['LabVIEW Measurement\t', 'Separator\tTab', 'X_Columns\tOne', 'Time_Pref\tAbsolute', '***End_of_Header***\t', 'Channels\t1\t', '***End_of_Header***\t\t', `X_Value\t${CHANNEL}`];
  for (let at = start, i = 0; at < end; at += PERIOD_S * 1000, i++) {
    const hours = (at - start) / HOUR;
    const wander = 0.0001 * Math.sin((2 * Math.PI * hours) / 2.5);
    const drift = hours > 5 ? 0.0015 * ((hours - 5) / 3) : 0;
    const spike = i % 997 === 500 ? 0.004 : 0;
    const value = 0.125 + wander + drift + spike + 0.0004 * noise();
    lines.push(`${DateTime.fromMillis(at, { zone }).toFormat('yyyy/LL/dd HH:mm:ss.SSS')}\t${value.toFixed(6)}`);
  }
  return `${lines.join('\n')}\n`;
}

async function uploadLvm(name: string, text: string): Promise<{ stored: number; errors: unknown[] }> {
  const session = await e2e.signInApi(e2e.admin);
  const form = new FormData();
  form.append('file', new Blob([text], { type: 'text/plain' }), name);
  const response = await fetch(`${e2e.baseUrl}/api/machines/${MACHINE}/channels/measurements?channel=${CHANNEL}`, {
    method: 'POST',
    headers: { cookie: `${SESSION_COOKIE}=${session.sessionId}; ${CSRF_COOKIE}=${session.csrfToken}`, [CSRF_HEADER]: session.csrfToken },
    body: form,
  });
  const body = await response.text();
  expect(response.status, body).toBe(200);
  return (JSON.parse(body) as { files: { stored: number; errors: unknown[] }[] }).files[0];
}

/** Buttons, links, inputs and selects of the page under 44 px high. */
async function smallControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('button, a, input:not([type=checkbox]):not([type=radio]), select, textarea')]
      .filter((e) => {
        const box = e.getBoundingClientRect();
        return box.width > 0 && box.height > 0 && box.height < 43.5;
      })
      .map((e) => `${e.dataset.testid ?? e.tagName} ${Math.round(e.getBoundingClientRect().height)} px`),
  );
}

/** The signal markers drawn on the means chart (the "signals" series of the ECharts option). */
async function signalMarkers(page: Page): Promise<{ count: number; tooltipRules: string[] }> {
  return page.getByTestId('spc-means-chart').evaluate((element) => {
    const chart = (element as HTMLElement & { qmfgChart?: { getOption(): { series: { name: string; data: { rule: string; ruleName: string }[] }[] } } }).qmfgChart;
    const series = chart?.getOption().series.find((s) => s.name === 'signals');
    return { count: series?.data.length ?? 0, tooltipRules: (series?.data ?? []).map((d) => `${d.ruleName} (${d.rule})`) };
  });
}

let end = 0;

describe('monitoring page', () => {
  mkdirSync(screenshotDir, { recursive: true });
  beforeAll(async () => {
    const zone = e2e.config.QMFG_TZ;
    end = Math.floor(Date.now() / 60_000) * 60_000;
    const created = await e2e.api(`/api/machines/${MACHINE}/channels`, {
      method: 'POST',
      body: { key: CHANNEL, name: 'Film thickness (test)', quantity: 'thickness', unit: 'mm', target: 0.125, lsl: 0.123, usl: 0.127, samplePeriodSeconds: PERIOD_S },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const upload = await uploadLvm('film-line9.lvm', driftingLvm(end, zone));
    expect(upload.errors).toEqual([]);
    expect(upload.stored).toBe(8 * 360);
    const limits = await e2e.api(`/api/machines/${MACHINE}/channels/${CHANNEL}/spc/limits`, {
      method: 'POST',
      body: {
        baselineFrom: DateTime.fromMillis(end - 8 * HOUR, { zone }).toISO(),
        baselineTo: DateTime.fromMillis(end - 3 * HOUR, { zone }).toISO(),
        subgroupMinutes: 5,
        rules: 'western-electric',
        reason: 'first limits from the stable morning',
      },
    });
    expect(limits.status, JSON.stringify(limits.body)).toBe(201);
    const rule = await e2e.api('/api/alerts/rules', { method: 'POST', body: { kind: 'spc', scope: 'machine', scopeKey: MACHINE } });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
  }, 120_000);

  it('shows the drift on the chart, in the signals and as an SPC alert; quality sets new limits', { timeout: 180_000 }, async () => {
    e2e.allowConsoleErrors(/status of 400/);
    const page = await e2e.newPage({ width: 1920, height: 1080 });
    await page.goto('/board');
    await page.getByTestId('nav-monitoring').click();
    await expectVisible(page.getByTestId('page-monitoring'));
    await page.getByTestId('monitoring-machine').selectOption(MACHINE);
    await page.getByTestId(`channel-tab-${CHANNEL}`).click();
    await page.waitForURL(`**/monitoring/${MACHINE}/${CHANNEL}**`);
    await expectVisible(page.getByTestId('spc-means-chart'), 30_000);

    const markers = await signalMarkers(page);
    expect(markers.count, 'signal markers on the chart').toBeGreaterThan(0);
    expect(markers.tooltipRules).toContain('EWMA drift (ewma-drift)');
    // the list names the drift in its own summary line, whatever number of rule-1 points follow it
    const drift = await expectText(page.getByTestId('spc-signal-summary-ewma-drift'), /^EWMA drift (once|\d+ times), /);
    const signals = await expectText(page.getByTestId('spc-signals'), /EWMA drift/);
    expect(await page.getByTestId('spc-signal').count()).toBe(markers.count);
    // newest first, each with the plant's offset
    const times = await page.getByTestId('spc-signal').locator('time').evaluateAll((els) => els.map((e) => Date.parse(e.getAttribute('datetime') ?? '')));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    await expectText(page.getByTestId('spc-signal').first(), /[+-]\d\d:\d\d/);
    await expectText(page.getByTestId('spc-words'), /signal/i);
    await expectVisible(page.getByTestId('spc-drift-chart'));
    await expectVisible(page.getByTestId('spc-histogram'));
    // capability: a number or "no data" for each index, never a bare 0 for a missing one
    for (const index of ['cp', 'cpk', 'pp', 'ppk']) await expectText(page.getByTestId(`capability-${index}`), /\d\.\d\d|no data/);
    await expectText(page.getByTestId('limits-history'), 'first limits from the stable morning');

    // the alert engine (every 2 s here) raises the SPC alert; the card follows the alerts topic
    await expectVisible(page.getByTestId('spc-alert-spc'), 60_000);
    await expectVisible(page.getByTestId('spc-alerts-link'));

    await page.waitForTimeout(500);
    await page.screenshot({ path: join(screenshotDir, 'monitoring-1920x1080.png') });
    await page.screenshot({ path: join(screenshotDir, 'monitoring-1920x1080-full.png'), fullPage: true });
    const smallAtTv = await smallControls(page);

    // a quality user sets new limits: a too-short baseline is refused at its field first
    const quality = await e2e.createUser('quality', { displayName: 'Quinn Quality' });
    const tablet = await e2e.newPage({ width: 1024, height: 768 }, { session: await e2e.signInApi(quality) });
    await tablet.goto(`/monitoring/${MACHINE}/${CHANNEL}?window=8h`);
    await expectVisible(tablet.getByTestId('spc-means-chart'), 30_000);
    await tablet.waitForTimeout(500);
    await tablet.screenshot({ path: join(screenshotDir, 'monitoring-1024x768.png') });
    await tablet.screenshot({ path: join(screenshotDir, 'monitoring-1024x768-full.png'), fullPage: true });
    await tablet.getByTestId('limits-open').click();
    const zone = e2e.config.QMFG_TZ;
    const local = (ms: number) => DateTime.fromMillis(ms, { zone }).toFormat("yyyy-LL-dd'T'HH:mm");
    await tablet.getByTestId('limits-from').fill(local(end - 8 * HOUR));
    await tablet.getByTestId('limits-to').fill(local(end - 8 * HOUR + 20 * 60_000));
    await tablet.getByTestId('limits-reason').fill('new film supplier');
    await tablet.getByTestId('limits-save').click();
    await expectText(tablet.getByTestId('field-error-baselineFrom'), /subgroup/);
    await tablet.getByTestId('limits-form').screenshot({ path: join(screenshotDir, 'monitoring-limits-form-error.png') });
    await tablet.getByTestId('limits-to').fill(local(end - 4 * HOUR));
    await tablet.getByTestId('limits-rules').selectOption('nelson');
    await tablet.getByTestId('limits-save').click();
    await expectText(tablet.getByTestId('limits-version-2'), 'new film supplier');
    await expectText(tablet.getByTestId('limits-version-2'), 'Nelson');
    const versions = await e2e.api<{ version: number; rules: string; createdBy: string }[]>(`/api/machines/${MACHINE}/channels/${CHANNEL}/spc/limits`);
    expect(versions.body.map((v) => [v.version, v.rules])).toEqual([[2, 'nelson'], [1, 'western-electric']]);
    await tablet.getByTestId('limits-history').scrollIntoViewIfNeeded();
    await tablet.waitForTimeout(300);
    await tablet.screenshot({ path: join(screenshotDir, 'monitoring-1024x768-limits.png') });
    const smallAtTablet = await smallControls(tablet);

    // a viewer sees the chart but not the form
    const viewer = await e2e.newPage({ width: 1024, height: 768 }, { session: await e2e.signInApi(await e2e.createUser('viewer')) });
    await viewer.goto(`/monitoring/${MACHINE}/${CHANNEL}`);
    await expectVisible(viewer.getByTestId('limits-history'), 30_000);
    expect(await viewer.getByTestId('limits-open').count()).toBe(0);

    expect(signals).toContain(drift);
    expect(smallAtTv).toEqual([]);
    expect(smallAtTablet).toEqual([]);
  });
});
