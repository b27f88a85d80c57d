// The audit-trail review at QC release in the browser: a quality user opens a pouched lot whose
// trail has one exception (its quantity edited after entry), sees the item in the release dialog,
// cannot sign until it is marked reviewed, reviews it with a comment and signs; the gate then shows
// "Reviewed 1 item". The periodic review page is reached from the audit trail.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WorkOrder } from '../src/features/orders/schemas.js';
import { expectText, expectVisible, screenshotDir, useE2E } from './harness.js';

const e2e = useE2E();

describe('review at QC release', () => {
  it('a quality user reviews the one exception of a lot, then signs its release', async () => {
    const lot = 'E2ERV1';
    const created = await e2e.api<WorkOrder>('/api/work-orders', { method: 'POST', body: { lot, product: 'strep-a-plus', quantity: 8000 } });
    expect(created.status).toBe(201);
    expect((await e2e.api(`/api/work-orders/${lot}/operations/0/load`, { method: 'POST', body: { machine: 'line10', mode: 'append' } })).status).toBe(200);
    expect((await e2e.api(`/api/work-orders/${lot}/operations/0/counts`, { method: 'POST', body: { produced: 7800 } })).status).toBe(200);
    const before = (await e2e.api<WorkOrder>(`/api/work-orders/${lot}`)).body;
    const edited = await e2e.api<WorkOrder>(`/api/work-orders/${lot}`, { method: 'PATCH', body: { version: before.version, quantity: 7800 } });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect((await e2e.api(`/api/work-orders/${lot}/operations/0/close`, { method: 'POST', body: {} })).status).toBe(200);

    const quality = await e2e.createUser('quality', { displayName: 'Quinn Reviewer' });
    const page = await e2e.newPage({ width: 1280, height: 900 }, { session: await e2e.signInApi(quality) });
    await page.goto(`/work-orders?search=${lot}`);
    await page.getByTestId(`wo-row-${lot}`).click();
    await page.getByTestId('gate-0-sign').click();
    await expectVisible(page.getByTestId('rv-review'));
    const items = page.getByTestId('rv-item');
    expect(await items.count()).toBe(1);
    await expectText(items.first(), /Changed after entry/i);
    await expectText(page.getByTestId('rv-item-what'), 'Quantity');
    await page.getByTestId('signature-password').fill(quality.password);
    // not reviewed yet: the release cannot be signed
    await expectVisible(page.getByTestId('signature-blocked'));
    expect(await page.getByTestId('signature-submit').isDisabled()).toBe(true);
    mkdirSync(screenshotDir, { recursive: true });
    await page.getByTestId('rv-item-comment').fill('quantity corrected to the pouches counted');
    await page.getByTestId('rv-item-check').check();
    expect(await page.getByTestId('signature-submit').isDisabled()).toBe(false);
    await page.screenshot({ path: join(screenshotDir, 'release-review-dialog.png') });
    await page.getByTestId('signature-submit').click();

    await expectText(page.getByTestId('gate-0-review'), 'Reviewed 1 item');
    await page.getByTestId('gate-0-review').locator('summary').click();
    await expectText(page.getByTestId('gate-0-review'), 'quantity corrected to the pouches counted');
    await expectVisible(page.getByTestId('gate-0-signature-valid'));
    await page.screenshot({ path: join(screenshotDir, 'release-review-signed.png') });

    // the server agrees: the gate's signature carries the review
    const signOffs = await e2e.api<{ gates: { review: { reviewer: string; itemCount: number } | null }[] }>(`/api/work-orders/${lot}/sign-offs`);
    expect(signOffs.body.gates[0].review).toMatchObject({ reviewer: quality.username, itemCount: 1 });

    // the periodic review, reached from the audit trail
    await page.goto('/audit');
    await page.getByTestId('audit-periodic-review').click();
    await expectVisible(page.getByTestId('page-periodic-review'));
    await expectVisible(page.getByTestId('rv-periodic-sign'));
    await page.screenshot({ path: join(screenshotDir, 'release-review-periodic.png'), fullPage: false });
  });
});
