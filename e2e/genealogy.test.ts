// Genealogy in the browser: the demo combo kit lot's work order shows its two pouch lots (entered),
// one of them leads to its Trace page where the kit lot shows forward, with the pouch lot's own
// kitting as the routing's derived link; an over-consumption entered in the panel is refused on its
// line. Screenshots in test-results/screenshots/ to be looked at.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectText, expectVisible, screenshotDir, useE2E } from './harness.js';

const e2e = useE2E();
const KIT = '158990';

describe('genealogy', () => {
  it('opens the demo kit lot, sees its two pouch lots, and follows one to its forward trace', async () => {
    mkdirSync(screenshotDir, { recursive: true });
    const page = await e2e.newPage({ width: 1440, height: 900 });
    await page.goto(`/work-orders?search=${KIT}`);
    await page.getByTestId(`wo-open-${KIT}`).click();
    await expectVisible(page.getByTestId('gn-section'));
    await expectText(page.getByTestId('gn-in-158970'), '12,000');
    await expectText(page.getByTestId('gn-in-158970'), 'Flu A/B FIA');
    await expectText(page.getByTestId('gn-in-158971'), 'Flu+SARS FIA');
    await expectText(page.getByTestId('gn-in-158971'), 'entered');
    await expectText(page.getByTestId('gn-source'), 'entered by system');
    await page.getByTestId('gn-section').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshotDir, 'genealogy-kit-panel-1440x900.png') });

    await page.getByTestId('gn-in-158970-trace').click();
    await expectVisible(page.getByTestId('page-trace'));
    expect(new URL(page.url()).pathname).toBe('/trace/158970');
    await expectText(page.getByTestId(`gn-row-${KIT}`), 'Flu Combo Kit');
    await expectText(page.getByTestId(`gn-row-${KIT}`), '12,000');
    // the rest of the pouch lot went through its own kitting: derived from the routing
    await expectText(page.getByTestId('gn-row-158970'), 'derived from routing');
    await expectText(page.getByTestId('gn-row-158970'), '36,000');
    await expectText(page.getByTestId('gn-summary'), 'America/Los_Angeles');
    await page.screenshot({ path: join(screenshotDir, 'genealogy-trace-forward-1440x900.png') });

    // backward from the kit lot: both pouch lots with their machine
    await page.getByTestId(`gn-row-${KIT}-trace`).click();
    await page.getByTestId('gn-direction-backward').click();
    await expectText(page.getByTestId('gn-row-158971'), 'Line 11');
    const exported = await e2e.api<{ links: { consumedLot: string }[]; generatedAt: string }>(`/api/genealogy/${KIT}/trace.json?direction=backward`);
    expect(exported.body.links.map((l) => l.consumedLot)).toEqual(['158970', '158971']);
    expect(exported.body.generatedAt).toMatch(/[-+]\d\d:\d\d$/);
  });

  it('refuses taking more of a pouch lot than is left, naming the line in the form', async () => {
    e2e.allowConsoleErrors(/status of 400 .*\/api\/genealogy\/158990/);
    const page = await e2e.newPage({ width: 1440, height: 900 });
    await page.goto(`/work-orders?search=${KIT}`);
    await page.getByTestId(`wo-open-${KIT}`).click();
    await page.getByTestId('gn-edit').click();
    await page.getByTestId('gn-row-quantity-1').fill('40000');
    await page.getByTestId('gn-save').click();
    await expectText(page.getByTestId('field-error-lots.1.quantity'), 'at most 36000 of lot 158971');
    await page.screenshot({ path: join(screenshotDir, 'genealogy-over-consumption-1440x900.png') });
    await page.getByTestId('gn-cancel').click();
    await expectText(page.getByTestId('gn-in-158971'), '12,000');
  });
});
