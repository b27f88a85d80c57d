// The only place with SQL for the production calendar.
import type { Executor } from '../../db/database.js';
import type { CalendarSpec, WeekPattern } from '../../core/calendar/index.js';
import type { Holiday } from './schemas.js';

export const DEFAULT_WEEK = 'default';

export interface StoredWeek {
  week: string;
  days: WeekPattern;
  version: number;
}

export async function listWeeks(db: Executor): Promise<StoredWeek[]> {
  const rows = await db.selectFrom('calendar_weeks').selectAll().orderBy('week').execute();
  return rows.map((r) => ({ week: r.week, days: JSON.parse(r.days) as WeekPattern, version: Number(r.version) }));
}
export async function getWeek(db: Executor, week: string): Promise<StoredWeek | undefined> {
  const r = await db.selectFrom('calendar_weeks').selectAll().where('week', '=', week).executeTakeFirst();
  return r && { week: r.week, days: JSON.parse(r.days) as WeekPattern, version: Number(r.version) };
}
export async function insertWeek(db: Executor, week: string, days: WeekPattern, now: number): Promise<void> {
  await db.insertInto('calendar_weeks').values({ week, days: JSON.stringify(days), version: 1, updated_at: now }).execute();
}
export async function updateWeek(db: Executor, week: string, days: WeekPattern, expectedVersion: number, now: number): Promise<boolean> {
  const res = await db
    .updateTable('calendar_weeks')
    .set({ days: JSON.stringify(days), version: expectedVersion + 1, updated_at: now })
    .where('week', '=', week)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
export async function deleteWeek(db: Executor, week: string): Promise<void> {
  await db.deleteFrom('calendar_weeks').where('week', '=', week).execute();
}
export async function listHolidays(db: Executor): Promise<Holiday[]> {
  return db.selectFrom('holidays').select(['date', 'name']).orderBy('date').execute();
}
export async function getHoliday(db: Executor, date: string): Promise<Holiday | undefined> {
  return db.selectFrom('holidays').select(['date', 'name']).where('date', '=', date).executeTakeFirst();
}
export async function insertHoliday(db: Executor, h: Holiday): Promise<void> {
  await db.insertInto('holidays').values(h).execute();
}
export async function deleteHoliday(db: Executor, date: string): Promise<void> {
  await db.deleteFrom('holidays').where('date', '=', date).execute();
}

/** The whole calendar as the pure core wants it. */
export async function loadCalendarSpec(db: Executor): Promise<CalendarSpec> {
  const weeks = await listWeeks(db);
  const holidays = await listHolidays(db);
  const base = weeks.find((w) => w.week === DEFAULT_WEEK);
  const empty = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } satisfies WeekPattern;
  return {
    default: base?.days ?? empty,
    weeks: Object.fromEntries(weeks.filter((w) => w.week !== DEFAULT_WEEK).map((w) => [w.week, w.days])),
    holidays: holidays.map((h) => h.date),
  };
}
