// The calendar screen: overriding one week, changing the default, resetting a week, holidays.
// The demo plant works Mon–Sun 06:30–14:45 and 14:45–23:00; the browser runs in UTC while the
// plant is in its own zone, so "this week" must come from plant time.
import { describe, it, expect } from 'vitest';
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { isoWeekOf } from '../src/core/calendar/index.js';
import { formatLocalDate, isoWeekOfDayNumber, mondayOfIsoWeek } from '../src/core/calendar/iso-week.js';
import type { CalendarView, WeekView } from '../src/features/calendar/schemas.js';
import type { WorkOrder } from '../src/features/orders/schemas.js';
import { formatInstant } from '../web/src/pages/work-orders/format.js';
import { expectHidden, expectText, expectValue, expectVisible, useE2E } from './harness.js';

const e2e = useE2E();

function plantWeek(offset = 0): string {
  const today = DateTime.now().setZone(e2e.config.QMFG_TZ).toISODate();
  if (!today) throw new Error('no plant date');
  const monday = mondayOfIsoWeek(isoWeekOf(today));
  if (monday === null) throw new Error('no Monday');
  return isoWeekOfDayNumber(monday + offset * 7);
}

async function openCalendar(page: Page, week?: string): Promise<void> {
  await page.goto(week ? `/calendar?week=${week}` : '/calendar');
  await expectVisible(page.getByTestId('week-grid'));
}

/** A change of the default week is signed: reason and the signed-in administrator's password. */
async function sign(page: Page): Promise<void> {
  await expectVisible(page.getByTestId('signature-dialog'));
  await page.getByTestId('signature-reason').fill('shift pattern change for the test');
  await page.getByTestId('signature-password').fill(e2e.admin.password);
  await page.getByTestId('signature-submit').click();
}

/** Opens a day, lets `edit` change its shifts, saves and answers the one question with `scope`. */
async function editDay(page: Page, weekday: string, scope: 'week' | 'default', edit: (editor: Page) => Promise<void>): Promise<void> {
  await page.getByTestId(`day-edit-${weekday}`).click();
  await expectVisible(page.getByTestId('day-editor-shifts'));
  await edit(page);
  await page.getByTestId('day-save').click();
  await expectVisible(page.getByTestId('apply-choice'));
  // the one question: nothing is chosen for the user
  expect(await page.getByTestId('apply-confirm').isDisabled()).toBe(true);
  await page.getByTestId(scope === 'week' ? 'apply-week' : 'apply-default').check();
  // this week only is a calendar change with its reason (the default week's is in the signature)
  if (scope === 'week') await page.getByTestId('reason-input').fill('shift change for the test');
  await page.getByTestId('apply-confirm').click();
  if (scope === 'default') await sign(page);
  await expectHidden(page.getByTestId('day-editor'));
}

describe('calendar screen', () => {
  it('a shift changed for one week re-plans: an open board moves the bar’s end live, and Re-plan now answers', async () => {
    const zone = e2e.config.QMFG_TZ;
    // demo lot 160101 runs on Line 6; its pouching ends on some working day
    const pouchEnd = async () => (await e2e.api<WorkOrder>('/api/work-orders/160101')).body.operations[0].forecastEnd as string;
    const before = await pouchEnd();
    const end = DateTime.fromISO(before, { zone });
    const week = end.toFormat("kkkk-'W'WW");
    const weekday = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'][end.weekday - 1];

    const board = await e2e.newPage();
    await board.goto('/board?group=pouching-itrak&zoom=week');
    const bar = board.getByTestId('track-line6').getByTestId('bar-160101-0');
    await expectVisible(bar);
    expect(await bar.getAttribute('aria-label')).toContain(`→ ${formatInstant(before, zone)}`);

    // that day's first shift starts three hours later, this week only
    const page = await e2e.newPage();
    await openCalendar(page, week);
    await editDay(page, weekday, 'week', async () => {
      await page.getByTestId('shift-start-0').fill('9:30');
    });
    await expectVisible(page.getByTestId('week-overridden-badge'));

    // the server re-planned in the same request: the forecast moved later, and the open board shows it
    const after = await pouchEnd();
    expect(Date.parse(after)).toBeGreaterThan(Date.parse(before));
    await expect.poll(async () => bar.getAttribute('aria-label'), { timeout: 5000 }).toContain(`→ ${formatInstant(after, zone)}`);

    // Re-plan now on the board (nothing left to change) answers with a count
    await board.getByTestId('replan-now').click();
    await expectText(board.getByTestId('toast-success'), /^Re-planned/);

    // leave the calendar as the other journeys expect it
    expect((await e2e.api(`/api/calendar/weeks/${week}`, { method: 'DELETE', body: { reason: 'back to the default week' } })).status).toBe(200);
    const reset = await pouchEnd();
    expect(Date.parse(reset)).toBeLessThan(Date.parse(after));
    await expect.poll(async () => bar.getAttribute('aria-label'), { timeout: 5000 }).toContain(`→ ${formatInstant(reset, zone)}`);
  });

  it('overrides one shift for this week only: it survives a reload and next week keeps the default', async () => {
    const page = await e2e.newPage();
    const week = plantWeek();
    await openCalendar(page);
    await expectText(page.getByTestId('week-label'), week);
    await expectText(page.getByTestId('shift-wed-0'), '06:30–14:45');
    await expectVisible(page.getByTestId('week-default-badge'));

    await editDay(page, 'wed', 'week', async () => {
      await page.getByTestId('shift-start-0').fill('7:00');
    });
    await expectVisible(page.getByTestId('week-overridden-badge'));
    await expectText(page.getByTestId('week-overridden-badge'), 'This week differs from the default');
    await expectText(page.getByTestId('shift-wed-0'), '07:00–14:45');

    const saved = await e2e.api<WeekView>(`/api/calendar/weeks/${week}`);
    expect(saved.body.overridden).toBe(true);
    expect(saved.body.days.wed[0]).toEqual(['07:00', '14:45']);
    expect(saved.body.days.thu[0]).toEqual(['06:30', '14:45']);
    await expectText(page.getByTestId('week-hours'), `${saved.body.workingHours} h`);

    await page.reload();
    await expectVisible(page.getByTestId('week-grid'));
    await expectText(page.getByTestId('week-label'), week);
    await expectText(page.getByTestId('shift-wed-0'), '07:00–14:45');
    await expectVisible(page.getByTestId('week-overridden-badge'));

    await page.getByTestId('week-next').click();
    await expectText(page.getByTestId('week-label'), plantWeek(1));
    await expectText(page.getByTestId('shift-wed-0'), '06:30–14:45');
    await expectVisible(page.getByTestId('week-default-badge'));
    expect(await page.getByTestId('week-overridden-badge').count()).toBe(0);

    // and "Today" brings the edited week back
    await page.getByTestId('week-today').click();
    await expectText(page.getByTestId('week-label'), week);
    await expectText(page.getByTestId('shift-wed-0'), '07:00–14:45');
  });

  it('changes the default ("every week") and a week three weeks later follows it', async () => {
    const page = await e2e.newPage();
    const start = plantWeek(1);
    await openCalendar(page, start);
    await expectText(page.getByTestId('week-label'), start);

    await editDay(page, 'fri', 'default', async () => {
      await page.getByTestId('shift-add').click();
      // the suggestion follows the last shift (23:00); make it a night shift ending 06:00
      await page.getByTestId('shift-start-2').fill('23:00');
      await page.getByTestId('shift-end-2').fill('06:00');
      await expectText(page.getByTestId('shift-row-2'), 'ends next day');
    });
    await expectText(page.getByTestId('shift-fri-2'), '23:00–06:00');
    await expectText(page.getByTestId('shift-cont-fri-2'), '06:00');
    await expectVisible(page.getByTestId('week-default-badge'));

    const calendar = await e2e.api<CalendarView>('/api/calendar');
    expect(calendar.body.default.days.fri).toEqual([
      ['06:30', '14:45'],
      ['14:45', '23:00'],
      ['23:00', '06:00'],
    ]);

    for (let i = 0; i < 3; i++) await page.getByTestId('week-next').click();
    const later = plantWeek(4);
    await expectText(page.getByTestId('week-label'), later);
    await expectText(page.getByTestId('shift-fri-2'), '23:00–06:00');
    await expectVisible(page.getByTestId('week-default-badge'));
    const laterView = await e2e.api<WeekView>(`/api/calendar/weeks/${later}`);
    await expectText(page.getByTestId('week-hours'), `${laterView.body.workingHours} h`);
  });

  it('resets an overridden week to the default', async () => {
    const page = await e2e.newPage();
    const week = plantWeek(2);
    await openCalendar(page, week);
    await expectText(page.getByTestId('shift-mon-1'), '14:45–23:00');

    await editDay(page, 'mon', 'week', async () => {
      await page.getByTestId('shift-remove-1').click();
    });
    await expectVisible(page.getByTestId('week-overridden-badge'));
    expect(await page.getByTestId('shift-mon-1').count()).toBe(0);
    await expectText(page.getByTestId('day-hours-mon'), '8.25 h');

    await page.getByTestId('week-reset').click();
    await page.getByTestId('reason-input').fill('back to the usual shifts');
    await page.getByTestId('confirm-ok').click();
    await expectVisible(page.getByTestId('week-default-badge'));
    expect(await page.getByTestId('week-overridden-badge').count()).toBe(0);
    await expectText(page.getByTestId('shift-mon-1'), '14:45–23:00');
    const view = await e2e.api<WeekView>(`/api/calendar/weeks/${week}`);
    expect(view.body.overridden).toBe(false);
    expect(view.body.days.mon).toHaveLength(2);
  });

  it('shows overlapping shifts as a field error and saves nothing', async () => {
    const page = await e2e.newPage();
    const week = plantWeek(3);
    await openCalendar(page, week);
    await page.getByTestId('day-edit-tue').click();
    await page.getByTestId('shift-start-1').fill('14:00');
    await page.getByTestId('day-save').click();
    await expectText(page.getByTestId('shift-error-1'), /overlaps/);
    await expectVisible(page.getByTestId('day-editor-shifts'));
    await page.getByTestId('shift-end-0').fill('25:00');
    await page.getByTestId('day-save').click();
    await expectText(page.getByTestId('shift-error-0'), /not a time of day/);
    await page.getByTestId('day-cancel').click();
    await expectHidden(page.getByTestId('day-editor'));
    const view = await e2e.api<WeekView>(`/api/calendar/weeks/${week}`);
    expect(view.body.overridden).toBe(false);
  });

  it('adds a holiday that shades its day, and removes it again', async () => {
    const page = await e2e.newPage();
    const week = plantWeek(5);
    const monday = mondayOfIsoWeek(week);
    if (monday === null) throw new Error('no Monday');
    const thursday = formatLocalDate(monday + 3);
    await openCalendar(page, week);
    await page.getByTestId('holiday-date').fill(thursday);
    await page.getByTestId('holiday-add').click();
    await expectVisible(page.getByTestId('field-error-name'));
    await page.getByTestId('holiday-name').fill('Plant shutdown');
    // the reason is optional and goes to the audit trail with the holiday
    await expectText(page.getByTestId('holiday-form'), 'Reason (optional)');
    await page.getByTestId('holiday-reason').fill('boiler maintenance');
    await page.getByTestId('holiday-add').click();
    await expectText(page.getByTestId(`holiday-${thursday}`), 'Plant shutdown');
    await expectValue(page.getByTestId('holiday-reason'), '');
    const added = await e2e.api<{ reason: string | null }[]>(`/api/audit?entity=holiday&entityKey=${thursday}`);
    expect(added.body.map((entry) => entry.reason)).toEqual(['boiler maintenance']);
    await expectText(page.getByTestId('holiday-label-thu'), 'Holiday · Plant shutdown');
    await expectText(page.getByTestId('day-hours-thu'), 'Holiday');
    const withHoliday = await e2e.api<WeekView>(`/api/calendar/weeks/${week}`);
    await expectText(page.getByTestId('week-hours'), `${withHoliday.body.workingHours} h`);

    await page.getByTestId(`holiday-remove-${thursday}`).click();
    await page.getByTestId('confirm-ok').click();
    await expectHidden(page.getByTestId('holiday-label-thu'));
    await expectHidden(page.getByTestId(`holiday-${thursday}`));
    const without = await e2e.api<WeekView>(`/api/calendar/weeks/${week}`);
    expect(without.body.holidays).toEqual([]);
    expect(without.body.workingHours).toBeGreaterThan(withHoliday.body.workingHours);
  });

  it('reports a default changed by someone else meanwhile, keeps the edit, and saves it on the second try', async () => {
    e2e.allowConsoleErrors(/status of 409/);
    const page = await e2e.newPage();
    const week = plantWeek(6);
    await openCalendar(page, week);
    await page.getByTestId('day-edit-sat').click();
    await page.getByTestId('shift-remove-1').click();
    await page.getByTestId('day-save').click();
    await page.getByTestId('apply-default').check();

    // someone else changes Sunday in the default meanwhile
    const before = await e2e.api<CalendarView>('/api/calendar');
    const theirs = await e2e.api('/api/calendar/default', {
      method: 'PUT',
      body: { days: { ...before.body.default.days, sun: [['08:00', '16:00']] }, version: before.body.default.version, reason: 'Sunday day shift' },
    });
    expect(theirs.status).toBe(200);

    await page.getByTestId('apply-confirm').click();
    await sign(page);
    await expectText(page.getByTestId('stale-banner'), 'Someone else changed the calendar');
    await expectVisible(page.getByTestId('apply-choice'));
    await page.getByTestId('apply-confirm').click();
    await sign(page);
    await expectHidden(page.getByTestId('day-editor'));

    const after = await e2e.api<CalendarView>('/api/calendar');
    expect(after.body.default.days.sat).toEqual([['06:30', '14:45']]);
    // their change survived: only Saturday was replaced
    expect(after.body.default.days.sun).toEqual([['08:00', '16:00']]);
    await expectText(page.getByTestId('shift-sun-0'), '08:00–16:00');
    // the week view redraws from the saved calendar: wait for it rather than read it in the same instant
    await expect.poll(() => page.getByTestId('shift-sat-1').count(), { timeout: 5_000 }).toBe(0);
  });
});
