// Genealogy in the browser: the demo combo kit lot's work order shows its two pouch lots (entered),
// one of them leads to its Trace page where the kit lot shows forward, with the pouch lot's own
// kitting as the routing's derived link; an over-consumption entered in the panel is refused on its
// line. Screenshots in test-results/screenshots/ to be looked at.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectText, expectVisible, screenshotDir, useE2E } from './harness.js';

const e2e = useE2E();
const KIT = '159080';

describe('genealogy', () => {
  it('opens the demo kit lot, sees its two pouch lots, and follows one to its forward trace', async () => {
    mkdirSync(screenshotDir, { recursive: true });
    const page = await e2e.newPage({ width: 1440, height: 900 });
    await page.goto(`/work-orders?search=${KIT}`);
    await page.getByTestId(`wo-open-${KIT}`).click();
    await expectVisible(page.getByTestId('gn-section'));
    await expectText(page.getByTestId('gn-in-159070'), '12,000');
    await expectText(page.getByTestId('gn-in-159070'), 'Flu A/B FIA');
    await expectText(page.getByTestId('gn-in-159071'), 'Flu+SARS FIA');
    await expectText(page.getByTestId('gn-in-159071'), 'entered');
    await expectText(page.getByTestId('gn-source'), 'entered by system');
    await page.getByTestId('gn-section').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshotDir, 'genealogy-kit-panel-1440x900.png') });

    await page.getByTestId('gn-in-159070-trace').click();
    await expectVisible(page.getByTestId('page-trace'));
    expect(new URL(page.url()).pathname).toBe('/trace/159070');
    await expectText(page.getByTestId(`gn-row-${KIT}`), 'Flu Combo Kit');
    await expectText(page.getByTestId(`gn-row-${KIT}`), '12,000');
    // the rest of the pouch lot went through its own kitting: derived from the routing
    await expectText(page.getByTestId('gn-row-159070'), 'derived from routing');
    await expectText(page.getByTestId('gn-row-159070'), '36,000');
    await expectText(page.getByTestId('gn-summary'), 'America/Los_Angeles');
    await page.screenshot({ path: join(screenshotDir, 'genealogy-trace-forward-1440x900.png') });

    // backward from the kit lot: both pouch lots with their machine
    await page.getByTestId(`gn-row-${KIT}-trace`).click();
    await page.getByTestId('gn-direction-backward').click();
    await expectText(page.getByTestId('gn-row-159071'), 'Line 11');
    const exported = await e2e.api<{ links: { consumedLot: string }[]; generatedAt: string }>(`/api/genealogy/${KIT}/trace.json?direction=backward`);
    expect(exported.body.links.map((l) => l.consumedLot)).toEqual(['159070', '159071']);
    expect(exported.body.generatedAt).toMatch(/[-+]\d\d:\d\d$/);
  });

  it('refuses taking more of a pouch lot than is left, naming the line in the form', async () => {
    e2e.allowConsoleErrors(/status of 400 .*\/api\/genealogy\/159080/);
    const page = await e2e.newPage({ width: 1440, height: 900 });
    await page.goto(`/work-orders?search=${KIT}`);
    await page.getByTestId(`wo-open-${KIT}`).click();
    await page.getByTestId('gn-edit').click();
    await page.getByTestId('gn-row-quantity-1').fill('40000');
    await page.getByTestId('gn-save').click();
    await expectText(page.getByTestId('field-error-lots.1.quantity'), 'at most 36000 of lot 159071');
    await page.screenshot({ path: join(screenshotDir, 'genealogy-over-consumption-1440x900.png') });
    await page.getByTestId('gn-cancel').click();
    await expectText(page.getByTestId('gn-in-159071'), '12,000');
  });
});
