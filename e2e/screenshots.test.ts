// Screenshots of the main screens on a 1080p TV and a 1280×800 tablet/laptop, written to
// test-results/screenshots/ for people to look at. Each shot also checks that the page has no
// horizontal overflow (nothing cut off at the right edge) and that touch targets are ≥ 44 px.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { DateTime } from 'luxon';
import { expectVisible, screenshotDir, useE2E } from './harness.js';

const e2e = useE2E();
const VIEWPORTS = [
  { width: 1920, height: 1080 },
  { width: 1280, height: 800 },
];

async function shoot(page: Page, name: string): Promise<void> {
  const { width, height } = page.viewportSize() ?? { width: 0, height: 0 };
  // let animations (panels sliding in, toasts) finish
  await page.waitForTimeout(350);
  await page.screenshot({ path: join(screenshotDir, `${name}-${width}x${height}.png`) });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${name} at ${width}×${height} scrolls sideways`).toBeLessThanOrEqual(0);
  expect(await smallTouchTargets(page), `${name} at ${width}×${height} has controls under 44 px`).toEqual([]);
}

/** Buttons, links and inputs that are visible but smaller than a finger (44 px high). */
async function smallTouchTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const small: string[] = [];
    for (const element of document.querySelectorAll<HTMLElement>('button, a, input:not([type=checkbox]):not([type=radio]), select')) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      if (box.height < 43.5) small.push(`${element.tagName.toLowerCase()} "${(element.innerText || element.getAttribute('aria-label') || element.getAttribute('data-testid') || '').trim().slice(0, 30)}" ${Math.round(box.height)} px`);
    }
    return small;
  });
}

describe('screenshots', () => {
  mkdirSync(screenshotDir, { recursive: true });
  for (const viewport of VIEWPORTS) {
    it(`board, machines, admin and calendar at ${viewport.width}×${viewport.height}`, async () => {
      const page = await e2e.newPage(viewport);
      await page.goto('/board');
      await expectVisible(page.getByTestId('page-board'));
      await shoot(page, 'board');

      await page.getByTestId('nav-machines').click();
      await expectVisible(page.getByTestId('machine-card-kit3'));
      await shoot(page, 'machines');

      await page.getByTestId('nav-admin').click();
      await expectVisible(page.getByTestId('row-kitting'));
      await shoot(page, 'admin-process-groups');
      await page.getByTestId('tab-machines').click();
      await expectVisible(page.getByTestId('row-line7'));
      await shoot(page, 'admin-machines');
      await page.getByTestId('edit-line7').click();
      await expectVisible(page.getByTestId('machine-form'));
      await shoot(page, 'admin-machine-form');
      await page.getByTestId('form-cancel').click();
      await page.getByTestId('tab-products').click();
      await expectVisible(page.getByTestId('row-rsv'));
      await shoot(page, 'admin-products');
      await page.getByTestId('edit-flu-ab').click();
      await expectVisible(page.getByTestId('routing-editor'));
      await shoot(page, 'admin-product-form');
      await page.getByTestId('form-cancel').click();

      await page.getByTestId('nav-calendar').click();
      await expectVisible(page.getByTestId('week-grid'));
      await shoot(page, 'calendar');
      await page.getByTestId('day-edit-fri').click();
      await expectVisible(page.getByTestId('day-editor-shifts'));
      await page.getByTestId('shift-add').click();
      await page.getByTestId('shift-end-2').fill('06:00');
      await shoot(page, 'calendar-day-editor');
      await page.getByTestId('day-save').click();
      await expectVisible(page.getByTestId('apply-choice'));
      await page.getByTestId('apply-week').check();
      await page.getByTestId('reason-input').fill('night shift for the stock count');
      await shoot(page, 'calendar-apply');
      await page.getByTestId('apply-confirm').click();
      await expectVisible(page.getByTestId('week-overridden-badge'));
      const plantToday = DateTime.now().setZone(e2e.config.QMFG_TZ).toISODate() ?? '';
      await page.getByTestId('holiday-date').fill(plantToday);
      await page.getByTestId('holiday-name').fill('Inventory count');
      await page.getByTestId('holiday-add').click();
      await expectVisible(page.getByTestId('holiday-list').locator('li').first());
      await shoot(page, 'calendar-overridden');
      // leave the shared database as the next viewport expects it
      await e2e.api(`/api/calendar/holidays/${plantToday}`, { method: 'DELETE' });
      await page.getByTestId('week-reset').click();
      await page.getByTestId('reason-input').fill('stock count done');
      await page.getByTestId('confirm-ok').click();
      await expectVisible(page.getByTestId('week-default-badge'));
    });
  }
});
