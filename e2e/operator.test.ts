// The operator screen at the line (issue 13), on a tablet (1024×768): Line 7's real 13 Oct file is
// in; an operator of Line 7 gives reasons to three stops (one split in two, one an override of a
// reason somebody gave, with the justification), books scrap (a negative quantity refused under its
// field; an entry deleted after a confirmation), enters the crew (a field error on 30 hours) and the
// notes while somebody else's scrap arrives live without losing the typing, and submits; the lead
// signs with password and meaning; the report then shows signed and a further edit is refused; the
// next shift (by the stepper) shows the handover until acknowledged; the lead reopens and the report
// names what changed since signing. Screenshots at 1024×768 and 390×844; every control on the page
// is at least 48 px for gloved fingers.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { LossesResponse } from '../src/features/oee/loss-schemas.js';
import type { OperatorView } from '../src/features/shift-reports/schemas.js';
import { expectHidden, expectText, expectVisible, repoRoot, screenshotDir, useE2E } from './harness.js';

const e2e = useE2E();
const TABLET = { width: 1024, height: 768 };
const PHONE = { width: 390, height: 844 };
const LINE7_13 = join(repoRoot, '../shared/data/sensors/Line7/PR20221013.txt');

interface Node { id: string; label: string; category?: string; retired?: boolean; children?: Node[] }
const leaves = (nodes: Node[], trail: Node[] = []): { leaf: Node; branches: Node[] }[] =>
  nodes.flatMap((n) => (n.children && n.children.length > 0 ? leaves(n.children, [...trail, n]) : [{ leaf: n, branches: trail }]));

async function giveLines(userId: number, lines: string[]): Promise<void> {
  const user = await e2e.api<{ version: number }>(`/api/users/${userId}`);
  const updated = await e2e.api(`/api/users/${userId}`, { method: 'PATCH', body: { lines, version: user.body.version, reason: 'works on Line 7' } });
  expect(updated.status, JSON.stringify(updated.body)).toBe(200);
}

async function shoot(page: Page, name: string): Promise<void> {
  const { width, height } = page.viewportSize() ?? { width: 0, height: 0 };
  // the first screen is what the operator reads at a glance
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(screenshotDir, `${name}-${width}x${height}.png`) });
  await page.screenshot({ path: join(screenshotDir, `${name}-${width}x${height}-full.png`), fullPage: true });
}

/** Walks the picker down to `leaf` with its branch buttons, then chooses it. */
async function pick(page: Page, picker: string, target: { leaf: Node; branches: Node[] }): Promise<void> {
  const top = page.getByTestId(`${picker}-top`);
  if (await top.isEnabled()) await top.click();
  for (const branch of target.branches) await page.getByTestId(`${picker}-choice-${branch.id}`).click();
  await page.getByTestId(`${picker}-choice-${target.leaf.id}`).click();
}

const clock = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toFormat('HH:mm');

describe('operator screen', () => {
  mkdirSync(screenshotDir, { recursive: true });

  it('reasons for three stops (a split, an override), scrap, crew, submit; the lead signs; then it is locked', async () => {
    const zone = e2e.config.QMFG_TZ;
    const shiftStart = DateTime.fromISO('2022-10-13T06:30', { zone }).toMillis();
    await e2e.uploadCameraLog('line7', 'PR20221013.txt', readFileSync(LINE7_13));

    const operator = await e2e.createUser('operator', { displayName: 'Olga Operator' });
    const lead = await e2e.createUser('lead', { displayName: 'Lars Lead' });
    await giveLines(operator.id, ['line7']);
    await giveLines(lead.id, ['line7']);
    const operatorSession = await e2e.signInApi(operator);

    const before = await e2e.api<OperatorView>(`/api/operator/line7?shift=${shiftStart}`);
    expect(before.status, JSON.stringify(before.body)).toBe(200);
    expect(before.body.shift.startMs).toBe(shiftStart);
    const tree = before.body.tree.tree.nodes as Node[];
    const stopLeaves = leaves(tree).filter((l) => !l.leaf.retired && l.leaf.category && !['startupReject', 'productionReject'].includes(l.leaf.category));
    const breakdown = stopLeaves.find((l) => l.leaf.category === 'breakdown' && l.branches.length > 0) ?? stopLeaves[0];
    const setup = stopLeaves.find((l) => l.leaf.category === 'setup') ?? stopLeaves[1];
    const planned = stopLeaves.find((l) => l.leaf.category === 'plannedDowntime') ?? stopLeaves[2];
    const long = before.body.stops.filter((s) => s.seconds >= 300 && s.segments.length === 0);
    expect(long.length).toBeGreaterThanOrEqual(3);
    const [plain, split, overridden] = long;

    // somebody else gave the third stop a reason already: the operator's change is an override
    const earlier = await e2e.api(`/api/stops/line7/${overridden.startMs}/reasons`, { method: 'PUT', body: { segments: [{ reason: planned.leaf.id }] } });
    expect(earlier.status, JSON.stringify(earlier.body)).toBe(200);

    // the loss model of the shift before the operator's report: the stops have no reasons, nothing is scrapped
    const lossesUrl = `/api/oee/losses?machine=line7&from=2022-10-13T06:30&to=2022-10-13T14:45`;
    const lossesBefore = (await e2e.api<LossesResponse>(lossesUrl)).body.machines[0];
    const breakdownBefore = lossesBefore.pareto.find((c) => c.category === 'breakdown');
    expect(breakdownBefore?.reasons.some((r) => r.label.endsWith(breakdown.leaf.label)) ?? false).toBe(false);

    const page = await e2e.newPage(TABLET, { session: operatorSession });
    await page.goto('/board');
    await page.getByTestId('nav-operator').click();
    await page.waitForURL(/\/operator\/line7$/);
    await page.goto(`/operator/line7?shift=${shiftStart}`);
    await expectVisible(page.getByTestId('op-stops'));
    await expectText(page.getByTestId('op-shift-label'), DateTime.fromMillis(shiftStart, { zone }).toFormat('HH:mm'));
    await expectText(page.getByTestId('op-report-state'), 'Draft');
    const openBefore = before.body.openStops - 1;
    await expectText(page.getByTestId('op-open-stops'), `${openBefore} need a reason`);
    await expectText(page.getByTestId(`op-stop-reason-${plain.startMs}`), 'Needs a reason');
    await expectText(page.getByTestId('op-minor-stops'), `${before.body.minorStops.count.toLocaleString('en-US')} minor stops`);

    // 1. one reason, drilled down the tree
    await page.getByTestId(`op-stop-${plain.startMs}`).click();
    await expectVisible(page.getByTestId('stop-reason-dialog'));
    await page.getByTestId('stop-reason-save').click();
    await expectText(page.getByTestId('chosen-1-error'), 'choose a reason');
    await pick(page, 'picker-1', breakdown);
    await expectText(page.getByTestId('chosen-1'), breakdown.leaf.label);
    await page.getByTestId('stop-comment-1').fill('pocket 14 jammed');
    await shoot(page, 'operator-reason-picker');
    await page.getByTestId('stop-reason-save').click();
    await expectHidden(page.getByTestId('stop-reason-dialog'));
    await expectText(page.getByTestId(`op-stop-reason-${plain.startMs}`), breakdown.leaf.label);
    await expectText(page.getByTestId('op-open-stops'), `${openBefore - 1} need a reason`);

    // 2. split in two at a time inside the stop, each part its own reason
    const at = DateTime.fromMillis(split.startMs + (split.endMs - split.startMs) / 2, { zone }).startOf('minute').toMillis();
    await page.getByTestId(`op-stop-${split.startMs}`).click();
    await pick(page, 'picker-1', setup);
    await page.getByTestId('split-stop').click();
    await page.getByTestId('split-time').fill(clock(at, zone));
    const firstMinutes = Math.floor((at - split.startMs) / 60_000);
    await expectText(page.getByTestId('split-parts'), `First part ${firstMinutes} min`);
    await pick(page, 'picker-2', breakdown);
    await shoot(page, 'operator-split');
    await page.getByTestId('stop-reason-save').click();
    await expectHidden(page.getByTestId('stop-reason-dialog'));
    await expectText(page.getByTestId(`op-stop-reason-${split.startMs}`), 'split');

    // 3. the override: the justification is asked for, and kept
    await page.getByTestId(`op-stop-${overridden.startMs}`).click();
    await expectText(page.getByTestId('stop-reason-current'), planned.leaf.label);
    await pick(page, 'picker-1', setup);
    await page.getByTestId('stop-reason-save').click();
    await expectVisible(page.getByTestId('reason-dialog'));
    await page.getByTestId('confirm-ok').click();
    await expectVisible(page.getByTestId('field-error-reason'));
    await page.getByTestId('reason-input').fill('it was the format change, not a break');
    await page.getByTestId('confirm-ok').click();
    await expectHidden(page.getByTestId('stop-reason-dialog'));
    await expectText(page.getByTestId(`op-stop-reason-${overridden.startMs}`), setup.leaf.label);

    const after = (await e2e.api<OperatorView>(`/api/operator/line7?shift=${shiftStart}`)).body;
    const stopOf = (startMs: number) => after.stops.find((s) => s.startMs === startMs);
    expect(stopOf(plain.startMs)?.segments.map((s) => [s.reason, s.comment])).toEqual([[breakdown.leaf.id, 'pocket 14 jammed']]);
    expect(stopOf(split.startMs)?.segments.map((s) => [s.reason, s.startMs])).toEqual([[setup.leaf.id, split.startMs], [breakdown.leaf.id, at]]);
    expect(stopOf(overridden.startMs)?.segments.map((s) => [s.reason, s.by])).toEqual([[setup.leaf.id, operator.username]]);
    expect(after.openStops).toBe(before.body.openStops - 3);
    const audit = await e2e.api<{ reason: string | null }[]>('/api/audit?entity=stop');
    expect(audit.body.map((entry) => entry.reason)).toContain('it was the format change, not a break');

    // scrap: a negative quantity is refused under its field, then booked
    const scrapReason = leaves(tree).find((l) => l.leaf.category === 'productionReject' && !l.leaf.retired);
    expect(scrapReason).toBeDefined();
    await page.getByTestId('scrap-reason').selectOption(scrapReason!.leaf.id);
    await page.getByTestId('scrap-quantity').fill('-5');
    await page.getByTestId('scrap-add').click();
    await expectText(page.getByTestId('field-error-quantity'), 'must be 0 or more');
    await page.getByTestId('scrap-quantity').fill('12');
    await page.getByTestId('scrap-add').click();
    await expectText(page.getByTestId('scrap-list'), `12 · lot ${after.current?.lot ?? after.lots[0]}`);
    await expectText(page.getByTestId('op-scrap'), '12 units');

    // crew: a user from the list and a typed name
    await page.getByTestId('crew-add').click();
    await page.getByTestId('crew-person-0').selectOption(operator.username);
    await page.getByTestId('crew-hours-0').fill('7.5');
    await page.getByTestId('crew-add').click();
    await page.getByTestId('crew-name-1').fill('Tina Temp');
    await page.getByTestId('crew-hours-1').fill('30');
    await page.getByTestId('crew-save').click();
    await expectText(page.getByTestId('field-error-crew.1.hours'), 'at most 24 hours');
    await page.getByTestId('crew-hours-1').fill('8');
    await expectText(page.getByTestId('crew-total'), '2 people · 15.5 hours');
    await page.getByTestId('crew-save').click();
    await expectText(page.getByTestId('crew-summary'), '2 people · 15.5 h saved');
    // live: somebody else books scrap while the operator types the notes; the list follows, the typing stays
    await page.getByTestId('notes-notes').fill('Film splice at 09:10');
    const lot = after.current?.lot ?? after.lots[0];
    const other = await e2e.api(`/api/shift-logs/line7/${shiftStart}/scrap`, { method: 'POST', body: { lot, reason: scrapReason!.leaf.id, quantity: 3 } });
    expect(other.status, JSON.stringify(other.body)).toBe(200);
    await expectText(page.getByTestId('op-scrap'), '15 units');
    expect(await page.getByTestId('notes-notes').inputValue()).toBe('Film splice at 09:10');
    // the other entry was a mistake: deleted after a confirmation
    const booked = (await e2e.api<OperatorView>(`/api/operator/line7?shift=${shiftStart}`)).body.log.scrap;
    const mistaken = booked.find((entry) => entry.quantity === 3);
    await page.getByTestId(`scrap-delete-${mistaken?.id}`).click();
    await page.getByTestId('confirm-ok').click();
    await expectText(page.getByTestId('op-scrap'), '12 units');
    await page.getByTestId('notes-open-issues').fill('Sealer bar 2 runs hot');
    await page.getByTestId('notes-save').click();
    await expectText(page.getByTestId('toast-success'), 'Notes saved');

    // gloves: every control on the page at least 48 px
    const small = await page.getByTestId('page-operator').evaluate((root) =>
      [...root.querySelectorAll('button, select, input, a.button')]
        .map((el) => ({ el, box: el.getBoundingClientRect() }))
        .filter(({ box }) => box.width > 0 && box.height > 0)
        .filter(({ el, box }) => box.height < 48 || (el.tagName === 'BUTTON' && box.width < 48))
        .map(({ el, box }) => `${el.tagName} ${el.getAttribute('data-testid') ?? el.textContent?.trim()} ${Math.round(box.width)}×${Math.round(box.height)}`),
    );
    expect(small).toEqual([]);
    await shoot(page, 'operator');
    await page.getByTestId('op-crew').screenshot({ path: join(screenshotDir, 'operator-crew-1024x768.png') });
    await page.setViewportSize(PHONE);
    await shoot(page, 'operator');
    for (const card of ['op-stops', 'op-scrap', 'op-crew']) await page.getByTestId(card).screenshot({ path: join(screenshotDir, `operator-${card.slice(3)}-390x844.png`) });
    await page.setViewportSize(TABLET);

    await page.getByTestId('report-submit').click();
    await expectText(page.getByTestId('op-report-state'), 'Submitted');
    expect(await page.getByTestId('report-sign').count()).toBe(0);

    // the lead signs: password and meaning
    const leadPage = await e2e.newPage(TABLET, { session: await e2e.signInApi(lead) });
    await leadPage.goto(`/operator/line7?shift=${shiftStart}`);
    await expectText(leadPage.getByTestId('op-report-state'), 'Submitted');
    await leadPage.getByTestId('report-sign').click();
    await expectVisible(leadPage.getByTestId('signature-dialog'));
    await leadPage.getByTestId('signature-meaning').selectOption('reviewed');
    await leadPage.getByTestId('signature-password').fill(lead.password);
    await leadPage.getByTestId('signature-submit').click();
    await expectHidden(leadPage.getByTestId('signature-dialog'));
    await expectText(leadPage.getByTestId('op-report-state'), 'Signed');
    await expectText(leadPage.getByTestId('report-locked'), 'The report is locked');
    await expectText(leadPage.getByTestId('op-signed-banner'), 'Signed by Lars Lead');
    await expectText(leadPage.locator('[data-testid^="report-signature-"]').first(), 'Lars Lead');
    await shoot(leadPage, 'operator-signed');

    // the operator's screen follows live and turns read-only; the server refuses a further edit
    await expectText(page.getByTestId('op-report-state'), 'Signed');
    await expectHidden(page.getByTestId('scrap-add'));
    expect(await page.getByTestId(`op-stop-${plain.startMs}`).evaluate((el) => el.tagName)).toBe('DIV');
    // the next shift, by the stepper: the handover shows until acknowledged
    await page.getByTestId('op-shift-next').click();
    await page.waitForURL(/shift=\d+/);
    await expectText(page.getByTestId('handover-issues'), 'Sealer bar 2 runs hot');
    await expectText(page.getByTestId('handover-notes'), 'Film splice at 09:10');
    await shoot(page, 'operator-handover');
    await page.getByTestId('handover-comment').fill('checked bar 2');
    await page.getByTestId('handover-ack').click();
    await expectHidden(page.getByTestId('op-handover'));
    const nextShift = Number(new URL(page.url()).searchParams.get('shift'));
    expect(nextShift).toBe(after.nextShiftStartMs);

    const signed = (await e2e.api<OperatorView>(`/api/operator/line7?shift=${shiftStart}`)).body.log;
    expect(signed).toMatchObject({ state: 'signed', signedBy: lead.username, submittedBy: operator.username, notes: 'Film splice at 09:10', headCount: 2, crewHours: 15.5 });
    expect(signed.scrap.map((s) => s.quantity)).toEqual([12]);
    expect(signed.acknowledgements).toMatchObject([{ username: operator.username, comment: 'checked bar 2' }]);
    expect(signed.signatures.map((s) => [s.meaning, s.printedName])).toEqual([['reviewed', 'Lars Lead']]);
    const refused = await e2e.api<{ error: { message: string } }>(`/api/shift-logs/line7/${shiftStart}`, { method: 'PUT', body: { version: signed.version, notes: 'too late' }, as: operatorSession });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/signed/);
    const stopRefused = await e2e.api(`/api/stops/line7/${plain.startMs}/reasons`, { method: 'PUT', body: { segments: [{ reason: setup.leaf.id }], changeReason: 'late change' }, as: operatorSession });
    expect(stopRefused.status).toBe(409);

    // Analytics follows the signed report: the reasons given are in its Pareto, the scrap has taken quality down
    const lossesAfter = (await e2e.api<LossesResponse>(lossesUrl)).body.machines[0];
    expect(lossesAfter.quality!).toBeLessThan(lossesBefore.quality!);
    expect(lossesAfter.pareto.find((c) => c.category === 'productionReject')?.seconds).toBeGreaterThan(0);
    expect(lossesAfter.pareto.find((c) => c.category === 'setup')?.reasons.map((r) => r.label)).toContain([...setup.branches.map((b) => b.label), setup.leaf.label].join(' › '));
    await leadPage.goto('/analytics?machines=line7&window=custom&from=2022-10-13T06:30&to=2022-10-13T14:45');
    await expectVisible(leadPage.getByTestId('chart-waterfall').locator('canvas'), 30_000);
    await expectText(leadPage.getByTestId('loss-pareto-table'), 'Setup');
    await leadPage.getByTestId('pareto-open-breakdown').click();
    await expectText(leadPage.getByTestId('loss-pareto-reasons-table'), breakdown.leaf.label);
    const waterfall = (await leadPage.getByTestId('chart-waterfall').getAttribute('aria-label')) ?? '';
    expect(waterfall).toContain('Production rejects');
    await leadPage.goto(`/operator/line7?shift=${shiftStart}`);
    await expectVisible(leadPage.getByTestId('report-reopen'));

    // the lead reopens with a reason: what changes from then on is named against the signed report
    await leadPage.getByTestId('report-reopen').click();
    await leadPage.getByTestId('reason-input').fill('scrap count corrected by QA');
    await leadPage.getByTestId('confirm-ok').click();
    await expectText(leadPage.getByTestId('op-report-state'), 'Reopened');
    await expectText(leadPage.getByTestId('report-reopened'), 'Nothing changed since signing yet');
    await leadPage.getByTestId('notes-open-issues').fill('Sealer bar 2 replaced');
    await leadPage.getByTestId('notes-save').click();
    await expectText(leadPage.getByTestId('report-reopened'), 'Changed since signing: open issues.');
    await expectText(leadPage.getByTestId('report-reopened'), 'scrap count corrected by QA');
  });
});
