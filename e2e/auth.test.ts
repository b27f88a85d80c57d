// Signing in and out in the browser, what each role sees, electronic signatures through the UI,
// the audit screen, and a <script> in notes rendered as text.
import { describe, expect, it } from 'vitest';
import type { WorkOrder } from '../src/features/orders/schemas.js';
import { expectHidden, expectText, expectVisible, useE2E } from './harness.js';

const e2e = useE2E();

async function pouchedLot(lot: string, notes = ''): Promise<WorkOrder> {
  const created = await e2e.api<WorkOrder>('/api/work-orders', { method: 'POST', body: { lot, product: 'strep-a-plus', quantity: 8000, notes } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect((await e2e.api(`/api/work-orders/${lot}/operations/0/load`, { method: 'POST', body: { machine: 'line10', mode: 'append' } })).status).toBe(200);
  // nothing was counted: closing short, with its reason
  const closed = await e2e.api<WorkOrder>(`/api/work-orders/${lot}/operations/0/close`, { method: 'POST', body: { reason: 'counted on paper' } });
  expect(closed.status).toBe(200);
  return closed.body;
}

describe('signing in and out', () => {
  it('shows the sign-in page, refuses a wrong password, then lands where the user was going', async () => {
    e2e.allowConsoleErrors(/status of 401/);
    const user = await e2e.createUser('planner', { displayName: 'Petra Planner' });
    const page = await e2e.newPage(undefined, { signedIn: false });
    await page.goto('/work-orders?status=open');
    await expectVisible(page.getByTestId('page-login'));
    expect(await page.getByTestId('login-sso').count()).toBe(0); // no SSO configured here
    await page.getByTestId('login-username').fill(user.username);
    await page.getByTestId('login-password').fill('not the password');
    await page.getByTestId('login-submit').click();
    await expectText(page.getByTestId('login-error'), 'Wrong user name or password');
    await page.getByTestId('login-password').fill(user.password);
    await page.getByTestId('login-submit').click();
    await expectVisible(page.getByTestId('page-work-orders'));
    expect(new URL(page.url()).search).toBe('?status=open');
    await expectText(page.getByTestId('user-menu-name'), 'Petra Planner');
    await expectText(page.getByTestId('user-menu-role'), 'Planner');
    // the session cookie is out of the page's reach
    expect(await page.evaluate(() => document.cookie)).not.toContain('qmfg_session');

    await page.getByTestId('user-menu').click();
    await page.getByTestId('sign-out').click();
    await expectText(page.getByTestId('login-notice'), 'You have signed out');
    // the old session is gone on the server too
    await page.reload();
    await expectVisible(page.getByTestId('page-login'));
  });

  it('signs out everywhere: another browser with the same user is signed out at its next request', async () => {
    e2e.allowConsoleErrors(/status of 401/);
    const user = await e2e.createUser('operator', { displayName: 'Otto Operator' });
    const first = await e2e.newPage(undefined, { session: await e2e.signInApi(user) });
    const second = await e2e.newPage(undefined, { session: await e2e.signInApi(user) });
    await first.goto('/machines');
    await second.goto('/machines');
    await expectVisible(second.getByTestId('machine-card-line7'));
    await first.getByTestId('user-menu').click();
    await first.getByTestId('sign-out-everywhere').click();
    await expectText(first.getByTestId('login-notice'), 'signed out everywhere (2 sessions ended)');
    await second.getByTestId('nav-calendar').click();
    await expectVisible(second.getByTestId('page-login'));
  });
});

describe('roles in the interface', () => {
  it('hides what a viewer cannot do (and the server refuses it anyway)', async () => {
    const viewer = await e2e.createUser('viewer');
    const session = await e2e.signInApi(viewer);
    const page = await e2e.newPage(undefined, { session });
    await page.goto('/work-orders');
    await expectVisible(page.getByTestId('page-work-orders'));
    expect(await page.getByTestId('nav-board').count()).toBe(1);
    expect(await page.getByTestId('nav-audit').count()).toBe(0);
    expect(await page.getByTestId('nav-admin').count()).toBe(0);
    expect(await page.getByTestId('wo-new').count()).toBe(0);
    expect(await page.getByTestId('wo-import-button').count()).toBe(0);
    const refused = await e2e.api('/api/work-orders', { method: 'POST', body: { lot: 'VIEW1', product: 'strep-a-plus', quantity: 1 }, as: session });
    expect(refused.status).toBe(403);
  });

  it('shows quality the audit screen, and the administrator everything', async () => {
    const quality = await e2e.createUser('quality');
    const page = await e2e.newPage(undefined, { session: await e2e.signInApi(quality) });
    await page.goto('/board');
    await expectVisible(page.getByTestId('nav-audit'));
    // quality's part of Admin is the OEE profiles
    await page.getByTestId('nav-admin').click();
    await expectVisible(page.getByTestId('admin-oee-profiles'));
    expect(await page.locator('[data-testid^="tab-"]').evaluateAll((tabs) => tabs.map((t) => t.getAttribute('data-testid')))).toEqual(['tab-oee-profiles']);
    const admin = await e2e.newPage();
    await admin.goto('/board');
    await expectVisible(admin.getByTestId('nav-admin'));
    await expectVisible(admin.getByTestId('nav-audit'));
  });
});

describe('electronic signatures in the work-order panel', () => {
  it('a wrong password leaves the QC gate closed; the right one shows the manifestation; an edit invalidates a signature', async () => {
    e2e.allowConsoleErrors(/status of 403/);
    await pouchedLot('E2ESIG1');
    const quality = await e2e.createUser('quality', { displayName: 'Quirin Quality' });
    const page = await e2e.newPage(undefined, { session: await e2e.signInApi(quality) });
    await page.goto('/work-orders');
    await page.getByTestId('wo-row-E2ESIG1').click();
    await expectVisible(page.getByTestId('wo-sign-offs'));
    await expectText(page.getByTestId('gate-0-state'), 'waiting for its signature');

    await page.getByTestId('gate-0-sign').click();
    await expectText(page.getByTestId('signature-signer'), 'Quirin Quality');
    await page.getByTestId('signature-password').fill('wrong password');
    await page.getByTestId('signature-submit').click();
    await expectText(page.getByTestId('signature-error'), 'The password is wrong');
    const still = await e2e.api<{ gates: { passedAt: string | null }[] }>('/api/work-orders/E2ESIG1/sign-offs');
    expect(still.body.gates[0].passedAt).toBeNull();

    await page.getByTestId('signature-password').fill(quality.password);
    await page.getByTestId('signature-submit').click();
    await expectHidden(page.getByTestId('signature-dialog'));
    await expectText(page.getByTestId('gate-0-signature'), /Released by Quirin Quality \(.+\) · .+ valid for this version/);

    // closing the work order, signed; then someone edits it: the signature no longer holds
    await page.getByTestId('wo-close-sign').click();
    await page.getByTestId('signature-reason').fill('batch record complete');
    await page.getByTestId('signature-password').fill(quality.password);
    await page.getByTestId('signature-submit').click();
    await expectHidden(page.getByTestId('signature-dialog'));
    const signed = page.locator('[data-testid^="wo-signature-"][data-testid$="-valid"]');
    await expectVisible(signed);
    const wo = await e2e.api<WorkOrder>('/api/work-orders/E2ESIG1');
    expect((await e2e.api(`/api/work-orders/E2ESIG1`, { method: 'PATCH', body: { notes: 'edited after signing', version: wo.body.version, reason: 'note added after review' } })).status).toBe(200);
    await expectVisible(page.locator('[data-testid^="wo-signature-"][data-testid$="-invalid"]'));
    await expectText(page.locator('[data-testid^="wo-signature-"][data-testid$="-invalid"]'), 'no longer valid');
  });
});

describe('administration', () => {
  it('creates a user, who must choose their own password at the first sign-in', async () => {
    const page = await e2e.newPage();
    await page.goto('/admin/users');
    await page.getByTestId('create-user').click();
    await page.getByTestId('input-username').fill('Olga.Op');
    await page.getByTestId('input-displayName').fill('Olga Operator');
    await page.getByTestId('input-role').selectOption('operator');
    await page.getByTestId('input-password').fill('first pass phrase 2026');
    await page.getByTestId('input-reason').fill('new starter on line 7');
    await page.getByTestId('form-save').click();
    await expectVisible(page.getByTestId('row-user-olga.op'));
    await expectText(page.getByTestId('row-user-olga.op'), 'must change password');

    const olga = await e2e.newPage(undefined, { signedIn: false });
    await olga.goto('/board');
    await olga.getByTestId('login-username').fill('olga.op');
    await olga.getByTestId('login-password').fill('first pass phrase 2026');
    await olga.getByTestId('login-submit').click();
    await expectVisible(olga.getByTestId('page-password-change'));
    await olga.getByTestId('password-current').fill('first pass phrase 2026');
    await olga.getByTestId('password-new').fill('harbour lights at dawn');
    await olga.getByTestId('password-repeat').fill('harbour lights at dawn');
    await olga.getByTestId('password-submit').click();
    await expectVisible(olga.getByTestId('page-board'));
    await expectText(olga.getByTestId('user-menu-role'), 'Operator');
  });

  it('changes an OEE profile only with an electronic signature', async () => {
    e2e.allowConsoleErrors(/status of 403/);
    const created = await e2e.api('/api/oee/profiles', {
      method: 'POST',
      body: { name: 'e2e-tight', maxCycleSeconds: 1.1, stopBinsSeconds: [1.1, 12, 60, 300], availabilityLossSeconds: 60, basis: 'calendar', idealRatePerMinute: 140 },
    });
    expect(created.status).toBe(201);
    const quality = await e2e.createUser('quality', { displayName: 'Quentin Quality' });
    const page = await e2e.newPage(undefined, { session: await e2e.signInApi(quality) });
    await page.goto('/admin/oee-profiles');
    await page.getByTestId('edit-profile-e2e-tight').click();
    await page.getByTestId('input-availabilityLossSeconds').fill('120');
    await page.getByTestId('form-save').click();
    await page.getByTestId('signature-reason').fill('count only stops of 2 min and more as downtime');
    await page.getByTestId('signature-password').fill('not it');
    await page.getByTestId('signature-submit').click();
    await expectText(page.getByTestId('signature-error'), 'The password is wrong');
    expect((await e2e.api<{ version: number }>('/api/oee/profiles/e2e-tight')).body.version).toBe(1);
    await page.getByTestId('signature-password').fill(quality.password);
    await page.getByTestId('signature-submit').click();
    await expectText(page.getByTestId('row-profile-e2e-tight'), 'e2e-tight@v2');
    const audit = await e2e.api<{ action: string; actor: string; reason: string; signature: { printedName: string; meaning: string; valid: boolean } | null }[]>(
      '/api/audit?entity=oee-profile&entityKey=e2e-tight',
    );
    expect(audit.body[0]).toMatchObject({ action: 'update', actor: quality.username, reason: 'count only stops of 2 min and more as downtime' });
    expect(audit.body[0].signature).toMatchObject({ printedName: 'Quentin Quality', meaning: 'approved', valid: true });
  });
});

describe('audit screen', () => {
  it('filters by user and record, shows signatures, and exports what it shows', async () => {
    await pouchedLot('E2EAUD1');
    const page = await e2e.newPage();
    await page.goto('/audit');
    await expectVisible(page.getByTestId('audit-table'));
    await page.getByTestId('audit-filter-user').selectOption(e2e.admin.username);
    await page.getByTestId('audit-filter-key').fill('E2EAUD1');
    await expectText(page.getByTestId('audit-table'), 'Loaded (end of queue)');
    const rows = page.locator('[data-testid^="audit-row-"]');
    await expect.poll(() => rows.count()).toBe(3);
    expect(new URL(page.url()).searchParams.get('key')).toBe('E2EAUD1');
    const href = await page.getByTestId('audit-export-csv').getAttribute('href');
    expect(href).toContain(`actor=${e2e.admin.username}`);
    expect(href).toContain('entityKey=E2EAUD1');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/^qmfg-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await new Response(await download.createReadStream() as unknown as ReadableStream).text();
    expect(csv.trim().split('\r\n')).toHaveLength(4);
  });
});

describe('untrusted text', () => {
  it('renders a <script> in notes as inert text', async () => {
    const notes = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2"> "quoted" & <b>bold</b>';
    const created = await e2e.api<WorkOrder>('/api/work-orders', { method: 'POST', body: { lot: 'XSS1', product: 'strep-a-plus', quantity: 100, notes } });
    expect(created.status).toBe(201);
    const page = await e2e.newPage();
    await page.goto('/work-orders?search=XSS1');
    await page.getByTestId('wo-row-XSS1').click();
    await expectVisible(page.getByTestId('wo-summary'));
    await expectText(page.getByTestId('wo-summary'), '<script>window.__xss = 1</script>');
    expect(await page.getByTestId('wo-summary').locator('script, img, b').count()).toBe(0);
    // nothing ran
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    // and the page is served with a content security policy that refuses inline scripts
    const response = await page.request.get('/work-orders');
    expect(response.headers()['content-security-policy']).toContain("script-src 'self'");
  });
});
