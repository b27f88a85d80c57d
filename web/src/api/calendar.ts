// Endpoints of the production calendar (/api/calendar), typed by the server's schemas.
import {
  calendarSchema, holidaySchema, weekViewSchema, type Holiday,
} from '../../../src/features/calendar/schemas.js';
import type { WeekPattern } from '../../../src/core/calendar/index.js';
import { requestJson, requestVoid } from './client.js';

export const getCalendar = () => requestJson('GET', '/api/calendar', calendarSchema);
export const getWeek = (week: string) => requestJson('GET', `/api/calendar/weeks/${encodeURIComponent(week)}`, weekViewSchema);

/** "Every week": the default pattern, which all weeks without an override follow. */
export const updateDefaultWeek = (days: WeekPattern, version: number) => requestJson('PUT', '/api/calendar/default', calendarSchema, { days, version });

/** "This week only". `overrideVersion` only when the week already has an override of its own. */
export const overrideWeek = (week: string, days: WeekPattern, overrideVersion: number | undefined, reason: string) =>
  requestJson('PUT', `/api/calendar/weeks/${encodeURIComponent(week)}`, weekViewSchema, overrideVersion === undefined ? { days, reason } : { days, version: overrideVersion, reason });

export const resetWeek = (week: string, reason: string) => requestJson('DELETE', `/api/calendar/weeks/${encodeURIComponent(week)}`, weekViewSchema, { reason });

/** the reason is optional for holidays */
export const addHoliday = (holiday: Holiday, reason = '') => requestJson('POST', '/api/calendar/holidays', holidaySchema, reason ? { ...holiday, reason } : holiday);
export const removeHoliday = (date: string, reason = '') => requestVoid('DELETE', `/api/calendar/holidays/${encodeURIComponent(date)}`, reason ? { reason } : undefined);
