// Rules of the production calendar: default week vs single-week overrides, holidays, audit.
import type { Db, Executor, Tx } from '../../db/database.js';
import { Conflict, NotFound, StaleVersion } from '../../core/errors.js';
import { isoWeekRange, totalMs, workingIntervals, type WeekPattern } from '../../core/calendar/index.js';
import { requireReason } from '../../core/reasons.js';
import { appendAudit } from '../audit/repository.js';
import type { Who } from '../audit/who.js';
import * as repo from './repository.js';
import type { CalendarView, Holiday, WeekView } from './schemas.js';
import { MS_PER_HOUR } from '../../core/time.js';


async function requireDefault(db: Executor): Promise<repo.StoredWeek> {
  const base = await repo.getWeek(db, repo.DEFAULT_WEEK);
  if (!base) throw new NotFound('calendar', 'default week');
  return base;
}

export async function getCalendar(db: Executor, timezone: string): Promise<CalendarView> {
  const weeks = await repo.listWeeks(db);
  const base = weeks.find((w) => w.week === repo.DEFAULT_WEEK);
  if (!base) throw new NotFound('calendar', 'default week');
  return {
    timezone,
    default: { days: base.days, version: base.version },
    weeks: weeks.filter((w) => w.week !== repo.DEFAULT_WEEK),
    holidays: await repo.listHolidays(db),
  };
}

export async function getWeekView(db: Executor, timezone: string, week: string): Promise<WeekView> {
  const base = await requireDefault(db);
  const override = await repo.getWeek(db, week);
  const range = isoWeekRange(week, timezone);
  const spec = await repo.loadCalendarSpec(db);
  const holidays = (await repo.listHolidays(db)).filter((h) => range.days.includes(h.date));
  return {
    week,
    dates: range.days,
    days: override?.days ?? base.days,
    overridden: Boolean(override),
    version: override?.version ?? base.version,
    defaultVersion: base.version,
    holidays,
    workingHours: totalMs(workingIntervals(spec, timezone, range.from, range.to)) / MS_PER_HOUR,
  };
}

/** "Every week": changes all weeks that have no override of their own. */
export async function updateDefault(db: Db, who: Who, days: WeekPattern, version: number): Promise<void> {
  const reason = requireReason(who, 'changing the default week');
  await db.transaction().execute(async (trx) => {
    const before = await requireDefault(trx);
    if (before.version !== version) throw new StaleVersion('calendar', 'default week', version, before.version);
    if (!(await repo.updateWeek(trx, repo.DEFAULT_WEEK, days, version, Date.now()))) throw new StaleVersion('calendar', 'default week', version, version + 1);
    await appendAudit(trx, { ...who, reason, entity: 'calendar', entityKey: repo.DEFAULT_WEEK, action: 'update-default', before: { days: before.days }, after: { days } });
  });
}

/**
 * "This week only": creates or replaces the override of one ISO week. The audit entry's before state
 * is the week as it was — the default pattern when the week followed it — so a reviewer sees both.
 */
export async function updateWeek(db: Db, who: Who, week: string, days: WeekPattern, version?: number): Promise<void> {
  await db.transaction().execute((trx) => overrideWeekIn(trx, who, week, days, version, Date.now()));
}

/**
 * The rules of updateWeek inside the caller's transaction. `record: false`: the caller records the
 * change in its own audit entry (a published scenario); the reason is required all the same.
 */
export async function overrideWeekIn(trx: Tx, who: Who, week: string, days: WeekPattern, version: number | undefined, now: number, record = true): Promise<void> {
  const reason = requireReason(who, `changing week ${week}`);
  {
    const existing = await repo.getWeek(trx, week);
    if (!existing) {
      // the client edited an override that has since been reset
      const base = await requireDefault(trx);
      if (version !== undefined && version !== base.version) throw new StaleVersion('calendar week', week, version, base.version);
      await repo.insertWeek(trx, week, days, now).catch((e) => {
        throw new Conflict(`week ${week} was overridden by someone else meanwhile; reload and try again (${(e as Error).message})`);
      });
      if (record) await appendAudit(trx, { ...who, reason, entity: 'calendar', entityKey: week, action: 'override-week', before: { days: base.days, followedDefault: true }, after: { days } });
      return;
    }
    if (version === undefined || existing.version !== version) throw new StaleVersion('calendar week', week, version ?? 0, existing.version);
    if (!(await repo.updateWeek(trx, week, days, version, now))) throw new StaleVersion('calendar week', week, version, version + 1);
    if (record) await appendAudit(trx, { ...who, reason, entity: 'calendar', entityKey: week, action: 'override-week', before: { days: existing.days }, after: { days } });
  }
}

/** Back to the default pattern for that week. */
export async function resetWeek(db: Db, who: Who, week: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const existing = await repo.getWeek(trx, week);
    if (!existing) throw new NotFound('calendar week override', week);
    const reason = requireReason(who, `resetting week ${week} to the default week`);
    const base = await requireDefault(trx);
    await repo.deleteWeek(trx, week);
    await appendAudit(trx, { ...who, reason, entity: 'calendar', entityKey: week, action: 'reset-week', before: { days: existing.days }, after: { days: base.days, followedDefault: true } });
  });
}

export async function addHoliday(db: Db, who: Who, holiday: Holiday): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (await repo.getHoliday(trx, holiday.date)) throw new Conflict(`${holiday.date} is already a holiday`);
    await repo.insertHoliday(trx, holiday);
    await appendAudit(trx, { ...who, entity: 'holiday', entityKey: holiday.date, action: 'create', before: null, after: holiday });
  });
}

export async function removeHoliday(db: Db, who: Who, date: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const existing = await repo.getHoliday(trx, date);
    if (!existing) throw new NotFound('holiday', date);
    await repo.deleteHoliday(trx, date);
    await appendAudit(trx, { ...who, entity: 'holiday', entityKey: date, action: 'delete', before: existing, after: null });
  });
}

export async function workingTime(db: Executor, timezone: string, from: number, to: number) {
  const spec = await repo.loadCalendarSpec(db);
  const intervals = workingIntervals(spec, timezone, from, to);
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    intervals: intervals.map((i) => ({ start: new Date(i.start).toISOString(), end: new Date(i.end).toISOString() })),
    hours: totalMs(intervals) / MS_PER_HOUR,
  };
}

/** What an electronic signature of a calendar week (or the default week) binds to: its shifts. */
export async function calendarSignedContent(db: Executor, key: string): Promise<{ version: number; content: unknown } | undefined> {
  const week = await repo.getWeek(db, key);
  return week && { version: week.version, content: { week: week.week, days: week.days } };
}
