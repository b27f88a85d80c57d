// Every screen at the three sizes people use it at: a phone (390×844), a tablet (1024×768) and a 1080p
// TV on the shop floor. Each page is shot to test-results/screenshots/ for people to look at, and
// checked for what makes a screen unusable: the page scrolling sideways, the header's parts on top of
// each other, buttons off the screen, the columns that matter (Status, Late, OEE) out of reach, and
// touch targets under 44 px.
import { mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { beforeAll, describe, it, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { DateTime } from 'luxon';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from '../src/features/auth/access.js';
import { expectHidden, expectVisible, repoRoot, screenshotDir, useE2E } from './harness.js';

const e2e = useE2E();
const PHONE = { width: 390, height: 844 };
const TABLET = { width: 1024, height: 768 };
const TV = { width: 1920, height: 1080 };
const VIEWPORTS = [PHONE, TABLET, TV];

/** the real sensor logs, outside the project (never copied into it) */
const sensors = join(repoRoot, '../shared/data/sensors');
const DAY_VIEW = '/analytics?machines=line7,line8&window=custom&from=2022-10-11T00:00&to=2022-10-12T00:00';

/** A column that must be visible, or reachable by scrolling its own table (not the page). */
interface KeyColumn {
  table: string;
  header: string;
}

/** What makes a screen unusable at this size; empty when it is fine. Runs in the page. */
async function layoutProblems(page: Page, columns: KeyColumn[]): Promise<string[]> {
  return page.evaluate((keyColumns) => {
    const problems: string[] = [];
    const width = window.innerWidth;
    const describe = (element: Element) => {
      const text = ((element as HTMLElement).innerText || element.getAttribute('aria-label') || element.getAttribute('data-testid') || '').trim().replace(/\s+/g, ' ');
      return `${element.tagName.toLowerCase()} "${text.slice(0, 30)}"`;
    };
    const shown = (element: Element) => {
      const box = element.getBoundingClientRect();
      if (box.width <= 1 || box.height <= 1) return false;
      const style = getComputedStyle(element);
      return style.visibility !== 'hidden' && style.display !== 'none';
    };
    /** the nearest ancestor that scrolls sideways on its own (a table's scroll area, the board) */
    const sideScroller = (element: Element): HTMLElement | null => {
      for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
        const overflow = getComputedStyle(parent).overflowX;
        if ((overflow === 'auto' || overflow === 'scroll') && parent.scrollWidth > parent.clientWidth + 1) return parent;
      }
      return null;
    };

    const overflow = document.documentElement.scrollWidth - window.innerWidth;
    if (overflow > 1) {
      // name where it starts: elements sticking out whose parent does not
      const culprits = [...document.body.querySelectorAll('*')]
        .filter((element) => shown(element) && element.getBoundingClientRect().right > width + 1 && !sideScroller(element))
        .filter((element) => !element.parentElement || element.parentElement.getBoundingClientRect().right <= width + 1)
        .slice(0, 3)
        .map((element) => `${element.tagName.toLowerCase()}${element.className ? `.${String(element.className).split(' ')[0]}` : ''}${element.getAttribute('data-testid') ? `[${element.getAttribute('data-testid')}]` : ''}`);
      problems.push(`the page scrolls sideways by ${overflow} px (from ${culprits.join(', ')})`);
    }

    // the header: the pieces of brand, navigation (or its menu button) and status must not sit on each other
    const header = document.querySelector('.app-header');
    if (header) {
      // a part squeezed to nothing still has its pieces on show
      const parts = [...header.children];
      const piecesOf = (part: Element) => (part.children.length ? [...part.children].filter(shown) : [part]);
      for (let i = 0; i < parts.length; i++) {
        for (let j = i + 1; j < parts.length; j++) {
          for (const x of piecesOf(parts[i])) {
            for (const y of piecesOf(parts[j])) {
              const a = x.getBoundingClientRect();
              const b = y.getBoundingClientRect();
              const overlap = Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
              if (overlap) problems.push(`header: ${describe(x)} overlaps ${describe(y)}`);
            }
          }
        }
      }
    }

    // every control is on the screen, unless it sits in an area that scrolls sideways on its own
    for (const control of document.querySelectorAll('button, a.button, input:not([type=checkbox]):not([type=radio]):not([type=file]), select')) {
      if (!shown(control) || control.closest('.visually-hidden')) continue;
      const box = control.getBoundingClientRect();
      if (box.left >= -1 && box.right <= width + 1) continue;
      if (sideScroller(control)) continue;
      problems.push(`${describe(control)} is off the screen (${Math.round(box.left)}–${Math.round(box.right)} px of ${width})`);
    }

    // the columns that matter: on screen, or reachable by their table's own scroll; the first column stays
    for (const { table, header: label } of keyColumns) {
      const root = document.querySelector(`[data-testid="${table}"]`);
      if (!root) {
        problems.push(`${table}: not on the page`);
        continue;
      }
      // the header's words, without a sort arrow
      const th = [...root.querySelectorAll('th')].find((cell) => (cell.textContent ?? '').replace(/[↕▲▼]/g, '').trim().toLowerCase() === label.toLowerCase());
      if (!th || !shown(th)) {
        problems.push(`${table}: column "${label}" is not shown`);
        continue;
      }
      let box = th.getBoundingClientRect();
      if (box.left >= -1 && box.right <= width + 1) continue;
      const scroller = sideScroller(th);
      if (!scroller) {
        problems.push(`${table}: column "${label}" is cut off (${Math.round(box.left)}–${Math.round(box.right)} px) and the table does not scroll`);
        continue;
      }
      const before = scroller.scrollLeft;
      scroller.scrollLeft += box.right - Math.min(width, scroller.getBoundingClientRect().right) + 8;
      box = th.getBoundingClientRect();
      const area = scroller.getBoundingClientRect();
      if (box.right > Math.min(width, area.right) + 1 || box.left < Math.max(0, area.left) - 1) {
        problems.push(`${table}: column "${label}" cannot be scrolled into view`);
      }
      const first = th.parentElement?.firstElementChild?.getBoundingClientRect();
      if (first && first.left < area.left - 1) problems.push(`${table}: the first column scrolls away with "${label}" (it should stay in place)`);
      scroller.scrollLeft = before;
    }
    return problems;
  }, columns);
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

/** Shoots the page and collects what is wrong with it (checked together at the end of the journey). */
async function shoot(page: Page, name: string, found: string[], columns: KeyColumn[] = []): Promise<void> {
  const { width, height } = page.viewportSize() ?? { width: 0, height: 0 };
  // let animations (panels sliding in, toasts, charts) finish
  await page.waitForTimeout(name.startsWith('analytics') ? 700 : 350);
  await page.screenshot({ path: join(screenshotDir, `${name}-${width}x${height}.png`) });
  for (const problem of await layoutProblems(page, columns)) found.push(`${name} at ${width}×${height}: ${problem}`);
  for (const control of await smallTouchTargets(page)) found.push(`${name} at ${width}×${height}: ${control} is under 44 px`);
}

/** Goes to a page through the main navigation, opening the menu first where it is folded away (phone). */
async function navigate(page: Page, target: string): Promise<void> {
  const link = page.getByTestId(`nav-${target}`);
  if (!(await link.isVisible())) {
    await page.getByTestId('nav-menu').click();
    await expectVisible(link);
  }
  await link.click();
  await page.waitForURL(`**/${target}**`);
  // the folded menu closes again once a page is chosen
  if (await page.getByTestId('nav-menu').isVisible()) await expectHidden(link, 2000);
}

/** Uploads a camera log as the administrator (multipart, like the page's upload). */
async function uploadSensorFile(machine: string, path: string): Promise<void> {
  const session = await e2e.signInApi(await e2e.createUser('admin'));
  const form = new FormData();
  form.append('file', new Blob([readFileSync(path)]), basename(path));
  const response = await fetch(`${e2e.baseUrl}/api/ingest/upload?machine=${machine}`, {
    method: 'POST',
    headers: { cookie: `${SESSION_COOKIE}=${session.sessionId}; ${CSRF_COOKIE}=${session.csrfToken}`, [CSRF_HEADER]: session.csrfToken },
    body: form,
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

describe('screenshots', () => {
  mkdirSync(screenshotDir, { recursive: true });
  beforeAll(async () => {
    await uploadSensorFile('line7', join(sensors, 'Line7/PR20221011.txt'));
    await uploadSensorFile('line8', join(sensors, 'Line8/PR20221011.txt'));
  }, 120_000);

  it('the sign-in screen fits every size', async () => {
    const found: string[] = [];
    for (const viewport of VIEWPORTS) {
      const page = await e2e.newPage(viewport, { signedIn: false });
      await page.goto('/login');
      await expectVisible(page.getByTestId('login-form'));
      await shoot(page, 'sign-in', found);
    }
    expect(found).toEqual([]);
  });

  for (const viewport of VIEWPORTS) {
    it(`every page is usable at ${viewport.width}×${viewport.height}`, { timeout: 180_000 }, async () => {
      const found: string[] = [];
      const page = await e2e.newPage(viewport);
      await page.goto('/board');
      await expectVisible(page.getByTestId('board'));
      await shoot(page, 'board', found);
      if (viewport === PHONE) {
        // on a phone the navigation folds behind a menu button, and opens over the page
        expect(await page.getByTestId('nav-menu').isVisible(), 'no menu button on a phone').toBe(true);
        expect(await page.getByTestId('nav-work-orders').isVisible(), 'the navigation is not folded away on a phone').toBe(false);
        await page.getByTestId('nav-menu').click();
        await expectVisible(page.getByTestId('nav-work-orders'));
        await shoot(page, 'menu', found);
        await page.getByTestId('nav-menu').click();
      } else {
        expect(await page.getByTestId('nav-menu').isVisible(), 'a menu button where the navigation fits').toBe(false);
      }

      await navigate(page, 'work-orders');
      await expectVisible(page.getByTestId('wo-table'));
      await shoot(page, 'work-orders', found, [
        { table: 'wo-table', header: 'Status' },
        { table: 'wo-table', header: 'Late' },
      ]);
      await page.locator('[data-testid^="wo-open-"]').first().click();
      await expectVisible(page.getByTestId('wo-actions'));
      await shoot(page, 'work-order-panel', found);
      await page.keyboard.press('Escape');

      await navigate(page, 'machines');
      await expectVisible(page.getByTestId('machine-card-kit3'));
      await shoot(page, 'machines', found);

      await navigate(page, 'monitoring');
      await expectVisible(page.locator('[data-testid="spc-view"], [data-testid="monitoring-empty"]').first(), 30_000);
      await shoot(page, 'monitoring-page', found);

      await page.goto(DAY_VIEW);
      await expectVisible(page.getByTestId('table-comparison'), 30_000);
      await expectVisible(page.getByTestId('table-shifts'));
      await shoot(page, 'analytics', found, [
        { table: 'table-comparison', header: 'OEE' },
        { table: 'table-shifts', header: 'OEE' },
      ]);
      await page.getByTestId('table-shifts').scrollIntoViewIfNeeded();
      await shoot(page, 'analytics-tables', found, [{ table: 'table-shifts', header: 'OEE' }]);

      await navigate(page, 'calendar');
      await expectVisible(page.getByTestId('week-grid'));
      await shoot(page, 'calendar', found);
      await page.getByTestId('day-edit-fri').click();
      await expectVisible(page.getByTestId('day-editor-shifts'));
      await page.getByTestId('shift-add').click();
      await page.getByTestId('shift-end-2').fill('06:00');
      await shoot(page, 'calendar-day-editor', found);
      await page.getByTestId('day-save').click();
      await expectVisible(page.getByTestId('apply-choice'));
      await page.getByTestId('apply-week').check();
      await page.getByTestId('reason-input').fill('night shift for the stock count');
      await shoot(page, 'calendar-apply', found);
      await page.getByTestId('apply-confirm').click();
      await expectVisible(page.getByTestId('week-overridden-badge'));
      const plantToday = DateTime.now().setZone(e2e.config.QMFG_TZ).toISODate() ?? '';
      await page.getByTestId('holiday-date').fill(plantToday);
      await page.getByTestId('holiday-name').fill('Inventory count');
      await page.getByTestId('holiday-add').click();
      await expectVisible(page.getByTestId('holiday-list').locator('li').first());
      await shoot(page, 'calendar-overridden', found);
      // leave the shared database as the next viewport expects it
      await e2e.api(`/api/calendar/holidays/${plantToday}`, { method: 'DELETE' });
      await page.getByTestId('week-reset').click();
      await page.getByTestId('reason-input').fill('stock count done');
      await page.getByTestId('confirm-ok').click();
      await expectVisible(page.getByTestId('week-default-badge'));

      await navigate(page, 'audit');
      await expectVisible(page.getByTestId('audit-table'));
      await shoot(page, 'audit', found);

      await navigate(page, 'admin');
      await expectVisible(page.getByTestId('row-kitting'));
      await shoot(page, 'admin-process-groups', found);
      await page.getByTestId('tab-machines').click();
      await expectVisible(page.getByTestId('row-line7'));
      await shoot(page, 'admin-machines', found);
      await page.getByTestId('edit-line7').click();
      await expectVisible(page.getByTestId('machine-form'));
      await shoot(page, 'admin-machine-form', found);
      await page.getByTestId('form-cancel').click();
      await page.getByTestId('tab-products').click();
      await expectVisible(page.getByTestId('row-rsv'));
      await shoot(page, 'admin-products', found);
      await page.getByTestId('edit-flu-ab').click();
      await expectVisible(page.getByTestId('routing-editor'));
      await shoot(page, 'admin-product-form', found);
      await page.getByTestId('form-cancel').click();
      await page.getByTestId('tab-oee-profiles').click();
      await expectVisible(page.getByTestId('row-profile-itrak-legacy'));
      await shoot(page, 'admin-oee-profiles', found);
      await page.getByTestId('tab-users').click();
      await expectVisible(page.getByTestId('row-user-e2e-admin'));
      await shoot(page, 'admin-users', found);
      await page.getByTestId('edit-user-e2e-admin').click();
      await expectVisible(page.getByTestId('user-form'));
      await shoot(page, 'admin-user-form', found);
      await page.getByTestId('form-cancel').click();

      expect(found).toEqual([]);
    });
  }
});
