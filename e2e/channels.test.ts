// Admin → Channels: a channel is added with a field error shown first, a measurement file uploaded
// shows what was stored and its bad line, and every control of the tab is a 44 px touch target.
import { describe, expect, it } from 'vitest';
import type { Channel } from '../src/features/measurements/schemas.js';
import { expectHidden, expectText, expectVisible, useE2E } from './harness.js';

const e2e = useE2E();

describe('measurement channels', () => {
  it('adds a channel (field error first), uploads a file, and deletes the channel with a reason', async () => {
    e2e.allowConsoleErrors(/status of 400/);
    const page = await e2e.newPage();
    await page.goto('/admin/channels');
    await expectVisible(page.getByTestId('admin-channels'));
    await page.getByTestId('input-channels-machine').selectOption('line7');
    await page.getByTestId('create-channel').click();
    await page.getByTestId('input-key').fill('seal-temp');
    await page.getByTestId('input-name').fill('Seal temperature');
    await page.getByTestId('input-quantity').fill('temperature');
    await page.getByTestId('input-unit').selectOption('°C');
    await page.getByTestId('input-lsl').fill('190');
    await page.getByTestId('input-usl').fill('170');
    await page.getByTestId('form-save').click();
    await expectText(page.getByTestId('field-error-usl'), 'USL must be above LSL');
    await page.getByTestId('input-lsl').fill('170');
    await page.getByTestId('input-usl').fill('190');
    await page.getByTestId('form-save').click();
    await expectHidden(page.getByTestId('channel-form'));
    await expectText(page.getByTestId('row-seal-temp'), 'Seal temperature');
    const created = await e2e.api<Channel>('/api/machines/line7/channels/seal-temp');
    expect(created.body).toMatchObject({ unit: '°C', lsl: 170, usl: 190, samplePeriodSeconds: 1 });

    // touch targets of the tab (its form closed, its upload form open)
    const small = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid="admin-channels"] button, [data-testid="admin-channels"] select, [data-testid="admin-channels"] input')]
        .filter((e) => {
          const box = e.getBoundingClientRect();
          return box.width > 1 && box.height > 1 && box.height < 44;
        })
        .map((e) => e.getAttribute('data-testid') ?? e.tagName),
    );
    expect(small).toEqual([]);

    await page.getByTestId('input-measurement-files').setInputFiles({
      name: 'temps.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('time,seal-temp\n2026-12-03T06:00:00,181.5\nsoon,182\n2026-12-03T06:00:02,182.5\n'),
    });
    await page.getByTestId('upload-measurements').click();
    await expectText(page.getByTestId('measurement-upload-results'), '2 samples stored, 1 bad line');
    await expectText(page.getByTestId('measurement-upload-results'), "temps.csv:3: timestamp 'soon'");

    await page.getByTestId('delete-seal-temp').click();
    await page.getByTestId('reason-input').fill('sensor moved to line 8');
    await page.getByTestId('confirm-ok').click();
    await expectHidden(page.getByTestId('row-seal-temp'));
    expect((await e2e.api('/api/machines/line7/channels/seal-temp')).status).toBe(404);
  });
});
