// Machine data journeys: a real Line 7 file chosen in its "Line7" folder goes to Line 7 without
// anyone picking the machine; a Line 7 file given to Line 6 waits for an explicit "anyway"; "Show this
// day" jumps the analytics to the file's day; the wrong import is undone with a reason. And the
// machines page turns "Stopped" within seconds after the last cycle (a profile with a 3 s threshold).
// The real files are read from ../shared/data/sensors (the "Line7" folder itself is picked; nothing is copied).
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectText, expectVisible, repoRoot, screenshotDir, useE2E } from './harness.js';

const e2e = useE2E();
const TV = { width: 1920, height: 1080 };
const LAPTOP = { width: 1280, height: 800 };
const sensors = join(repoRoot, '../shared/data/sensors');
const LINE7 = (day: string) => join(sensors, `Line7/PR202210${day}.txt`);

async function shoot(page: Page, name: string): Promise<void> {
  const { width, height } = page.viewportSize() ?? { width: 0, height: 0 };
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(screenshotDir, `${name}-${width}x${height}.png`) });
}

describe('machine data', () => {
  mkdirSync(screenshotDir, { recursive: true });

  it('infers the machine from the folder, warns before a file goes to a machine its lots do not belong to, shows the day, and undoes the wrong import', async () => {
    const session = await e2e.signInApi(e2e.admin);
    // Line 7's 10 Oct file is in already
    await e2e.uploadCameraLog('line7', 'PR20221010.txt', readFileSync(LINE7('10')), session);

    const page = await e2e.newPage(TV);
    await page.goto('/analytics?machines=line7&window=today');
    await page.getByTestId('upload-toggle').click();
    // no silent default: the picker waits for the file to tell
    expect(await page.getByTestId('upload-machine').inputValue()).toBe('');

    // a folder pick of the real "Line7" folder: its four day files, each checked on the server
    await page.getByTestId('upload-folder-input').setInputFiles(join(sensors, 'Line7'));
    for (const day of ['10', '11', '12', '13']) {
      await expectText(page.getByTestId(`upload-suggested-PR202210${day}.txt`), 'belongs to Line 7 (the folder it was chosen in)', 30_000);
      expect(await page.getByTestId(`upload-item-machine-PR202210${day}.txt`).inputValue()).toBe('line7');
    }
    expect(await page.getByTestId('upload-machine').inputValue()).toBe('line7');
    await expectText(page.getByTestId('upload-confirm-PR20221010.txt'), 'Already imported to Line 7 (46,216 cycles)');
    await expectText(page.getByTestId('upload-confirm-PR20221011.txt'), '80,215 cycles · lot 159159 · Tue 11 Oct 2022, 06:11');
    await shoot(page, 'upload-inferred');
    await page.getByTestId('upload-cancel-PR20221010.txt').click();
    await page.getByTestId('upload-go-PR20221011.txt').click();
    await page.getByTestId('upload-go-PR20221012.txt').click();
    await page.getByTestId('upload-cancel-PR20221013.txt').click();
    expect(await page.getByTestId('upload-PR20221013.txt').count()).toBe(0);
    await expectText(page.getByTestId('upload-status-PR20221011.txt'), 'Imported', 60_000);
    await expectText(page.getByTestId('upload-status-PR20221012.txt'), 'Imported', 60_000);
    expect(await page.getByTestId('upload-cycles-PR20221011.txt').innerText()).toBe('80,215');

    // the same bytes under another name: nothing stored twice, and the panel says so plainly
    const copy = 'PR20221011 (1).txt';
    await page.getByTestId('upload-input').setInputFiles({ name: copy, mimeType: 'text/plain', buffer: readFileSync(LINE7('11')) });
    // (the check asks first when it sees the lots on Line 7 already; either way the upload says it plainly)
    await page.waitForFunction((id) => /Waiting for you|Already imported|Imported/.test(document.querySelector(`[data-testid="upload-status-${id}"]`)?.textContent ?? ''), copy, { timeout: 30_000 });
    if ((await page.getByTestId(`upload-status-${copy}`).innerText()) === 'Waiting for you') await page.getByTestId(`upload-go-${copy}`).click();
    await expectText(page.getByTestId(`upload-status-${copy}`), 'Already imported', 60_000);
    expect(await page.getByTestId(`upload-duplicate-${copy}`).innerText()).toMatch(/^Already imported as PR20221011\.txt on \d{1,2} \w{3} \d{4}: nothing stored twice$/);
    expect(await page.getByTestId(`upload-cycles-${copy}`).innerText()).toBe('0');
    await shoot(page, 'upload-duplicate');

    // the mistake of the issue: Line 6 chosen, a Line 7 file given (its lot 159053 started on Line 7 on the 12th)
    await page.getByTestId('upload-machine').selectOption('line6');
    await page.getByTestId('upload-input').setInputFiles(LINE7('13'));
    const warning = await expectText(page.getByTestId('upload-mismatch-PR20221013.txt'), 'made on Line 7, not Line 6', 20_000);
    expect(warning).toBe('This lot (159053) was made on Line 7, not Line 6 — upload to Line 6 anyway?');
    expect(await page.getByTestId('upload-status-PR20221013.txt').innerText()).toBe('Waiting for you');
    await expectText(page.getByTestId('upload-switch-PR20221013.txt'), 'Upload to Line 7 instead');
    await shoot(page, 'upload-mismatch');
    await page.getByTestId('upload-go-PR20221013.txt').click();
    await expectText(page.getByTestId('upload-status-PR20221013.txt'), 'Imported', 60_000);
    const wrongCycles = Number((await page.getByTestId('upload-cycles-PR20221013.txt').innerText()).replace(/,/g, ''));
    expect(wrongCycles).toBeGreaterThan(80_000);

    // "Show this day": the analytics window jumps to 13 Oct on Line 6
    await expectText(page.getByTestId('upload-show-day-PR20221013.txt'), 'Show Thu 13 Oct');
    await page.getByTestId('upload-show-day-PR20221013.txt').click();
    await page.waitForURL(/machines=line6&window=custom&from=2022-10-13T00%3A00&to=2022-10-14T00%3A00/);

    // undo the wrong import from the recent imports, with a reason
    const imports = await e2e.api<{ id: number; name: string; machine: string; status: string; createdBy: string | null }[]>('/api/ingest/files?machine=line6');
    const wrong = imports.body.find((row) => row.name === 'PR20221013.txt');
    expect(wrong).toMatchObject({ machine: 'line6', status: 'active', createdBy: e2e.admin.username });
    const row = page.getByTestId(`recent-import-${wrong?.id}`);
    await expectText(row, 'Line 6');
    await row.getByTestId(`undo-import-${wrong?.id}`).click();
    await expectVisible(page.getByTestId('undo-import-dialog'));
    expect(await page.getByTestId('undo-import-confirm').isDisabled()).toBe(true);
    await page.getByTestId('undo-import-reason').fill('Line 7 file uploaded to Line 6 by mistake');
    await shoot(page, 'upload-undo-dialog');
    await page.getByTestId('undo-import-confirm').click();
    await expectText(page.getByTestId('toast-success'), 'PR20221013.txt taken out of Line 6');
    await expectText(row, 'undone');
    await expectText(page.getByTestId('upload-status-PR20221013.txt'), 'Undone');
    await shoot(page, 'upload-undone');

    const after = await e2e.api<{ machines: { totals: { cycles: number } }[] }>('/api/oee?machine=line6&from=2022-10-13T00:00&to=2022-10-14T00:00');
    expect(after.body.machines[0].totals.cycles).toBe(0);
    const audit = await e2e.api<{ entries?: { action: string; reason: string | null }[] } | { action: string; reason: string | null }[]>('/api/audit?entity=sensor-file');
    const entries = Array.isArray(audit.body) ? audit.body : (audit.body.entries ?? []);
    expect(entries.some((entry) => entry.action === 'undo-import' && entry.reason === 'Line 7 file uploaded to Line 6 by mistake')).toBe(true);
  }, 240_000);

  it('the machines page turns a line "Stopped" within seconds of its last cycle, on the profile\'s threshold', async () => {
    const session = await e2e.signInApi(e2e.admin);
    const profile = { name: 'quick-stop', maxCycleSeconds: 1.1, stopBinsSeconds: [1.1, 2, 3], availabilityLossSeconds: 3, basis: 'firstToLastPart', idealRatePerMinute: 140 };
    expect((await e2e.api('/api/oee/profiles', { method: 'POST', body: profile })).status).toBe(201);
    const machine = await e2e.api<{ version: number }>('/api/machines/line11');
    expect((await e2e.api('/api/machines/line11', { method: 'PATCH', body: { oeeProfile: 'quick-stop', version: machine.body.version } })).status).toBe(200);

    const page = await e2e.newPage(LAPTOP);
    await page.goto('/machines');
    const card = page.getByTestId('machine-state-line11');
    await expectText(card, 'No data');

    // a camera file whose last cycle is now
    const zone = e2e.config.QMFG_TZ;
    const now = Date.now();
    const lines = Array.from({ length: 20 }, (_, i) => {
      const at = DateTime.fromMillis(now - (19 - i) * 400, { zone });
      return `1169100,515151,${String(700000 + i)},1,${at.toFormat('LL/dd/yy HH:mm:ss.SSS')}`;
    });
    const uploaded = await e2e.uploadCameraLog('line11', 'PRSTOP.txt', Buffer.from(`${lines.join('\n')}\n`), session);
    expect(uploaded.cycles).toBe(20);
    await expectText(card, 'Running', 5_000);
    const runningAt = Date.now();
    await shoot(page, 'machine-running');

    // nothing more comes: stopped (or "off shift" outside the calendar's working time) 3 s after the
    // last cycle, shown at the next 5 s tick at the latest — not 3 minutes later
    await page.waitForFunction(() => document.querySelector('[data-testid="machine-state-line11"]')?.getAttribute('data-state') !== 'running', undefined, { timeout: 12_000 });
    const flippedAfter = Date.now() - now;
    expect(flippedAfter).toBeLessThan(12_000);
    expect(Date.now() - runningAt).toBeGreaterThan(0);
    const state = await card.getAttribute('data-state');
    expect(['stopped', 'off-shift']).toContain(state);
    await expectText(card, state === 'stopped' ? 'Stopped' : 'Off shift');
    if (state === 'stopped') await expectText(card, `since ${DateTime.fromMillis(now, { zone }).toFormat('HH:mm:ss')}`);
    await card.locator('xpath=ancestor::article').screenshot({ path: join(screenshotDir, 'machine-stopped-card.png') });
    await shoot(page, 'machine-stopped');
  }, 120_000);
});
