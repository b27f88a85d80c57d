// The frame and the admin screens: every page loads cleanly, machines can be created with field
// errors shown where they belong, refused deletes say why, and stale edits are caught.
import { describe, it, expect } from 'vitest';
import { DateTime } from 'luxon';
import type { Machine, Product } from '../src/features/plant/schemas.js';
import type { User } from '../src/features/auth/schemas.js';
import { expectHidden, expectText, expectValue, expectVisible, useE2E } from './harness.js';

const e2e = useE2E();

describe('shell', () => {
  it('renders the frame and every page from the navigation without errors', async () => {
    const page = await e2e.newPage({ width: 1920, height: 1080 });
    await page.goto('/');
    await page.waitForURL('**/board');
    await expectVisible(page.getByTestId('page-board'));
    await expectText(page.getByTestId('site-name'), e2e.config.QMFG_SITE_NAME);
    await expectText(page.getByTestId('live-indicator'), 'Live');

    // the clock shows plant time, not the browser's (the browser runs in UTC)
    const clock = await expectText(page.getByTestId('plant-clock'), /\d{2}:\d{2}/);
    const shown = /(\d{2}):(\d{2})/.exec(clock);
    const plantNow = DateTime.now().setZone(e2e.config.QMFG_TZ);
    const shownMinutes = Number(shown?.[1]) * 60 + Number(shown?.[2]);
    const nowMinutes = plantNow.hour * 60 + plantNow.minute;
    expect(Math.min(Math.abs(shownMinutes - nowMinutes), 1440 - Math.abs(shownMinutes - nowMinutes))).toBeLessThanOrEqual(1);

    const pages: [nav: string, url: string, marker: string][] = [
      ['nav-work-orders', '/work-orders', 'page-work-orders'],
      ['nav-machines', '/machines', 'machine-card-line7'],
      ['nav-analytics', '/analytics', 'page-analytics'],
      ['nav-calendar', '/calendar', 'week-grid'],
      ['nav-admin', '/admin/process-groups', 'row-kitting'],
      ['nav-board', '/board', 'page-board'],
    ];
    const documentRequests: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'document') documentRequests.push(request.url());
    });
    for (const [nav, url, marker] of pages) {
      await page.getByTestId(nav).click();
      await page.waitForURL(`**${url}`);
      await expectVisible(page.getByTestId(marker));
    }
    // client-side routing: no page was loaded again
    expect(documentRequests).toEqual([]);
  });

  it('shows the machines grouped by process group', async () => {
    const page = await e2e.newPage();
    await page.goto('/machines');
    const machines = await e2e.api<Machine[]>('/api/machines');
    await expectVisible(page.getByTestId('machine-card-kit3'));
    expect(await page.locator('[data-testid^="machine-card-"]').count()).toBe(machines.body.length);
    await expectText(page.getByTestId('machine-group-kitting'), 'Kitting 1');
    await expectText(page.getByTestId('machine-card-line7'), 'iTrak (legacy analysis)');
    expect(await page.getByTestId('machine-group-kitting').getByTestId('machine-card-line7').count()).toBe(0);
  });

  it('updates an open screen when someone else changes the plant (live events, no reload)', async () => {
    // a machine with no jobs queued: one with a queue cannot be disabled
    const page = await e2e.newPage();
    await page.goto('/machines');
    await expectText(page.getByTestId('machine-card-swab1'), 'Enabled');
    await expectText(page.getByTestId('live-indicator'), 'Live');
    let documents = 0;
    page.on('request', (request) => {
      if (request.resourceType() === 'document') documents++;
    });
    const current = await e2e.api<Machine>('/api/machines/swab1');
    const patched = await e2e.api('/api/machines/swab1', { method: 'PATCH', body: { enabled: false, name: 'Swab poucher 1 (maintenance)', version: current.body.version } });
    expect(patched.status).toBe(200);
    await expectText(page.getByTestId('machine-card-swab1'), 'Swab poucher 1 (maintenance)');
    await expectText(page.getByTestId('machine-card-swab1'), 'Disabled');
    expect(documents).toBe(0);
  });

  it('answers an unknown address with a page, not a blank screen', async () => {
    const page = await e2e.newPage();
    await page.goto('/no-such-screen');
    await expectVisible(page.getByTestId('not-found'));
  });
});

describe('admin', () => {
  it('creates a machine, showing a field error for an invalid key first', async () => {
    const page = await e2e.newPage();
    await page.goto('/admin/machines');
    await expectVisible(page.getByTestId('row-line7'));
    await page.getByTestId('create-machine').click();
    await page.getByTestId('input-key').fill('Line 12');
    await page.getByTestId('input-name').fill('Line 12');
    await page.getByTestId('input-group').selectOption('pouching-itrak');
    await page.getByTestId('form-save').click();
    await expectText(page.getByTestId('field-error-key'), 'lower-case');
    // the user's input is still there
    await expectValue(page.getByTestId('input-name'), 'Line 12');
    expect((await e2e.api('/api/machines/line12')).status).toBe(404);

    await page.getByTestId('input-key').fill('line12');
    await page.getByTestId('form-save').click();
    await expectHidden(page.getByTestId('machine-form'));
    await expectText(page.getByTestId('row-line12'), 'Pouching – iTrak');
    await expectText(page.getByTestId('toast-success'), 'Machine Line 12 created');
    const created = await e2e.api<Machine>('/api/machines/line12');
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ key: 'line12', name: 'Line 12', group: 'pouching-itrak', enabled: true });

    // the machines page shows it in its group without a reload of the app
    await page.getByTestId('nav-machines').click();
    await expectVisible(page.getByTestId('machine-group-pouching-itrak').getByTestId('machine-card-line12'));
  });

  it('maps a server-side field error onto its field (duplicate item number)', async () => {
    e2e.allowConsoleErrors(/status of 400/);
    const page = await e2e.newPage();
    await page.goto('/admin/products');
    await page.getByTestId('create-product').click();
    await page.getByTestId('input-key').fill('flu-ab-2');
    await page.getByTestId('input-itemNumber').fill('123');
    await page.getByTestId('input-name').fill('Flu A/B FIA (second source)');
    await page.getByTestId('input-shortName').fill('Flu A/B 2');
    await page.getByTestId('step-rate-0').fill('4500');
    await page.getByTestId('form-save').click();
    await expectText(page.getByTestId('field-error-itemNumber'), '7 digits');

    // valid for the schema, refused by the server: the item number belongs to another product
    await page.getByTestId('input-itemNumber').fill('1169100');
    await page.getByTestId('form-save').click();
    await expectText(page.getByTestId('field-error-itemNumber'), "already belongs to product 'flu-ab'");
    await expectValue(page.getByTestId('input-name'), 'Flu A/B FIA (second source)');
    expect((await e2e.api('/api/products/flu-ab-2')).status).toBe(404);
  });

  it('refuses to delete a process group that is still used and says by what', async () => {
    e2e.allowConsoleErrors(/status of 409/);
    const page = await e2e.newPage();
    await page.goto('/admin/process-groups');
    await page.getByTestId('delete-kitting').click();
    await page.getByTestId('reason-input').fill('area closed');
    await page.getByTestId('confirm-ok').click();
    await expectText(page.getByTestId('confirm-error'), "process group 'kitting' is still used by machines kit1, kit2, kit3");
    await page.getByTestId('confirm-cancel').click();
    await expectVisible(page.getByTestId('row-kitting'));
    expect((await e2e.api('/api/process-groups/kitting')).status).toBe(200);
  });

  it('creates and deletes an unused process group', async () => {
    const page = await e2e.newPage();
    await page.goto('/admin/process-groups');
    await page.getByTestId('create-process-group').click();
    await page.getByTestId('input-key').fill('sterilisation');
    await page.getByTestId('input-name').fill('Sterilisation');
    await page.getByTestId('input-sortOrder').fill('5');
    await page.getByTestId('form-save').click();
    await expectText(page.getByTestId('row-sterilisation'), 'Sterilisation');
    await page.getByTestId('delete-sterilisation').click();
    // a delete asks why: without a reason nothing happens
    await page.getByTestId('confirm-ok').click();
    await expectText(page.getByTestId('field-error-reason'), 'Give the reason');
    await page.getByTestId('reason-input').fill('created for a trial');
    await page.getByTestId('confirm-ok').click();
    await expectHidden(page.getByTestId('row-sterilisation'));
    expect((await e2e.api('/api/process-groups/sterilisation')).status).toBe(404);
  });

  it('tells the user when someone else changed the machine meanwhile, and reloads it on request', async () => {
    e2e.allowConsoleErrors(/status of 409/);
    const page = await e2e.newPage();
    await page.goto('/admin/machines');
    await page.getByTestId('edit-line8').click();
    await page.getByTestId('input-name').fill('Line 8 (mine)');

    const current = await e2e.api<Machine>('/api/machines/line8');
    const theirs = await e2e.api<Machine>('/api/machines/line8', { method: 'PATCH', body: { name: 'Line 8 (theirs)', version: current.body.version } });
    expect(theirs.status).toBe(200);

    await page.getByTestId('form-save').click();
    await expectText(page.getByTestId('stale-banner'), 'Someone else changed this machine');
    await expectValue(page.getByTestId('input-name'), 'Line 8 (mine)');
    await page.getByTestId('stale-reload').click();
    await expectValue(page.getByTestId('input-name'), 'Line 8 (theirs)');
    await page.getByTestId('input-name').fill('Line 8 (mine, again)');
    await page.getByTestId('form-save').click();
    await expectHidden(page.getByTestId('machine-form'));
    expect((await e2e.api<Machine>('/api/machines/line8')).body.name).toBe('Line 8 (mine, again)');
  });

  it('writes column headers as words (not capitals), with what a unit or abbreviation means', async () => {
    const page = await e2e.newPage();
    await page.goto('/admin/oee-profiles');
    await expectVisible(page.getByTestId('row-profile-itrak-legacy'));
    const headers = (await page.getByTestId('admin-oee-profiles').locator('th').allInnerTexts()).map((h) => h.trim()).filter((h) => h && h !== 'Actions');
    expect(headers).toEqual(['Profile', 'Max cycle (s)', 'Stop classes (s)', 'Availability loss (s)', 'Loading time', 'Ideal rate (/min)']);
    expect(await page.getByRole('columnheader', { name: 'Max cycle (s)' }).getAttribute('title')).toMatch(/in seconds/);
    await page.getByTestId('tab-machines').click();
    await expectVisible(page.getByTestId('row-line7'));
    expect((await page.getByTestId('admin-machines').locator('th').allInnerTexts()).map((h) => h.trim())).toContain('Sort order');
  });

  it("sets an operator's lines by ticking machines (a line is a machine)", async () => {
    const operator = await e2e.createUser('operator');
    const page = await e2e.newPage();
    await page.goto('/admin/users');
    await page.getByTestId(`edit-user-${operator.username}`).click();
    await expectVisible(page.getByTestId('input-lines'));
    await page.getByTestId('line-line7').check();
    await page.getByTestId('line-line8').check();
    await page.getByTestId('form-save').click();
    await expectHidden(page.getByTestId('user-form'));
    expect((await e2e.api<User>(`/api/users/${operator.id}`)).body.lines).toEqual(['line7', 'line8']);
    await page.getByTestId(`edit-user-${operator.username}`).click();
    expect(await page.getByTestId('line-line7').isChecked()).toBe(true);
    expect(await page.getByTestId('line-line9').isChecked()).toBe(false);
  });

  it("edits a product's routing: add a step with a gate, move it, change the colour", async () => {
    const page = await e2e.newPage();
    await page.goto('/admin/products');
    await page.getByTestId('edit-rsv').click();
    await expectVisible(page.getByTestId('step-1'));
    await page.getByTestId('step-add').click();
    await page.getByTestId('step-group-2').selectOption('swab');
    await page.getByTestId('step-rate-2').fill('1200');
    await page.getByTestId('step-setup-2').fill('15');
    await page.getByTestId('step-gate-2').check();
    await page.getByTestId('step-gate-name-2').fill('Supervisor sign-off');
    await page.getByTestId('step-gate-hours-2').fill('2');
    await page.getByTestId('step-gate-role-2').selectOption('lead');
    await page.getByTestId('step-up-2').click();
    await page.getByTestId('input-color').fill('#123abc');
    await page.getByTestId('form-save').click();
    await expectHidden(page.getByTestId('product-form'));
    await expectText(page.getByTestId('row-rsv'), 'Supervisor sign-off');

    const saved = await e2e.api<Product>('/api/products/rsv');
    expect(saved.body.color).toBe('#123abc');
    expect(saved.body.routing.map((step) => step.group)).toEqual(['pouching-itrak', 'swab', 'kitting']);
    expect(saved.body.routing[1]).toEqual({ group: 'swab', ratePerHour: 1200, setupMinutes: 15, gate: { name: 'Supervisor sign-off', hours: 2, role: 'lead' } });

    // removing every step is refused client-side with the schema's message
    await page.getByTestId('edit-rsv').click();
    for (let i = 2; i >= 0; i--) await page.getByTestId(`step-remove-${i}`).click();
    await page.getByTestId('form-save').click();
    await expectText(page.getByTestId('field-error-routing'), 'at least one routing step');
    expect((await e2e.api<Product>('/api/products/rsv')).body.routing).toHaveLength(3);
  });
});

describe('controls per role', () => {
  it('shows a viewer the calendar and the machines without controls they cannot use', async () => {
    const viewer = await e2e.createUser('viewer');
    const page = await e2e.newPage({ width: 1280, height: 800 }, { session: await e2e.signInApi(viewer) });
    await page.goto('/calendar');
    await expectVisible(page.getByTestId('week-grid'));
    await expectVisible(page.getByTestId('holidays-panel'));
    expect(await page.locator('[data-testid^="day-edit-"]').count(), 'day headers open an editor').toBe(0);
    expect(await page.locator('.day-edit-icon').count(), 'pencils on the days').toBe(0);
    expect(await page.getByTestId('holiday-form').count(), '"Add a holiday" form').toBe(0);
    expect(await page.getByRole('button', { name: 'Add holiday' }).count()).toBe(0);
    await expectText(page.getByTestId('calendar-subtitle'), 'Only a planner, a manager or an administrator can change it.');
    // a click on a day opens nothing
    await page.getByTestId('day-wed').click();
    await page.waitForTimeout(200);
    expect(await page.getByTestId('day-editor-shifts').count()).toBe(0);

    await page.getByTestId('nav-machines').click();
    await expectVisible(page.getByTestId('machine-card-line7'));
    expect(await page.getByText('Manage machines').count(), '"Manage machines" leads to an empty page for a viewer').toBe(0);
    expect(await page.getByTestId('nav-admin').count()).toBe(0);
  });

  it('shows quality no Load, Park or Hold on a work order, but lets them close a step', async () => {
    const quality = await e2e.createUser('quality');
    const page = await e2e.newPage({ width: 1280, height: 800 }, { session: await e2e.signInApi(quality) });
    await page.goto('/work-orders');
    await page.getByTestId('wo-open-160101').click();
    await expectVisible(page.getByTestId('op-actions'));
    for (const control of ['action-load', 'action-machine', 'action-park', 'action-hold', 'action-release']) {
      expect(await page.getByTestId(control).count(), `${control} shown to quality`).toBe(0);
    }
    await expectVisible(page.getByTestId('action-close'));
    expect(await page.getByTestId('wo-new').count()).toBe(0);
  });

  it('words a refusal plainly, with whom to ask and without permission keys', async () => {
    // a planner whose role is taken away while the calendar is open: the page still offers the form
    e2e.allowConsoleErrors(/status of 403/);
    const planner = await e2e.createUser('planner');
    const page = await e2e.newPage({ width: 1280, height: 800 }, { session: await e2e.signInApi(planner) });
    await page.goto('/calendar');
    await expectVisible(page.getByTestId('holiday-form'));
    const current = await e2e.api<User>(`/api/users/${planner.id}`);
    expect(current.status).toBe(200);
    const demoted = await e2e.api(`/api/users/${planner.id}`, { method: 'PATCH', body: { role: 'viewer', version: current.body.version } });
    expect(demoted.status, JSON.stringify(demoted.body)).toBe(200);

    await page.getByTestId('holiday-date').fill('2031-12-24');
    await page.getByTestId('holiday-name').fill('Christmas Eve');
    await page.getByTestId('holiday-add').click();
    const shown = await expectText(page.getByTestId('holiday-error'), "You don't have permission to change the production calendar — ask a planner, a manager or an administrator.");
    expect(shown).not.toMatch(/calendar:write|does not allow|role \(/);
  });
});
