// The machine-health page in a browser: verdicts with reasons for each machine, the MTBF sparklines
// and micro-stop chart drawn, the correlation panel's words, and every control a 44 px touch target.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectText, expectVisible, screenshotDir, useE2E } from './harness.js';
import { SENSORS } from '../src/testing/machine-data.js';

const e2e = useE2E();

describe('maintenance page', () => {
  it('shows health verdicts, charts and the correlation words; controls are touch-sized', { timeout: 180_000 }, async () => {
    for (const day of ['PR20221010.txt', 'PR20221011.txt', 'PR20221012.txt', 'PR20221013.txt']) {
      await e2e.uploadCameraLog('line7', day, readFileSync(join(SENSORS, 'Line7', day)));
    }
    const page = await e2e.newPage({ width: 1024, height: 768 });
    await page.goto('/board');
    await page.getByTestId('nav-monitoring').click();
    await page.getByTestId('tab-maintenance').click();
    await expectVisible(page.getByTestId('page-maintenance'));
    await page.getByTestId('maintenance-days').selectOption('7');
    await page.getByTestId('maintenance-to').fill('2022-10-13');
    const verdict = await expectText(page.getByTestId('verdict-line7'), /^(ok|watch|maintenance suggested)$/, 20_000);
    expect(verdict).toBe('watch');
    await expectText(page.getByTestId('health-line7'), /Not enough baseline/);
    await expectVisible(page.getByTestId('mtbf-spark-micro').first());
    await page.getByTestId('health-details-line7').click();
    await expectVisible(page.getByTestId('micro-chart-line7'));
    await page.getByTestId('corr-machine').selectOption('line7');
    await expectText(page.getByTestId('correlation-words'), /^Compared rate while running with micro-stops per running hour, per hour/, 20_000);
    await expectVisible(page.getByTestId('correlation-scatter'));
    const small = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('[data-testid="page-maintenance"] button, [data-testid="page-maintenance"] a, [data-testid="page-maintenance"] input, [data-testid="page-maintenance"] select')]
        .filter((e) => {
          const box = e.getBoundingClientRect();
          return box.height > 0 && box.height < 43.5;
        })
        .map((e) => e.dataset.testid ?? e.tagName),
    );
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(screenshotDir, 'maintenance-1024x768.png') });
    await page.getByTestId('health-line7').screenshot({ path: join(screenshotDir, 'maintenance-line7.png') });
    await page.getByTestId('correlation-panel').screenshot({ path: join(screenshotDir, 'maintenance-correlation.png') });
    expect(small).toEqual([]);
  });
});
