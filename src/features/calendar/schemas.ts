// Production-calendar schemas, shared by API and web app. Validation rules come from the core.
import { z } from 'zod';
import { reasonSchema } from '../../core/reasons.js';
import { isValidIsoWeek, validateWeekPattern, WEEKDAYS, type WeekPattern } from '../../core/calendar/index.js';
import { int32 } from '../../core/limits.js';

const shiftSchema = z.tuple([z.string(), z.string()]);
export const weekPatternSchema = z
  .object(Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(shiftSchema).max(6)])) as Record<(typeof WEEKDAYS)[number], z.ZodArray<typeof shiftSchema>>)
  .superRefine((pattern, ctx) => {
    for (const problem of validateWeekPattern(pattern)) {
      // core paths look like "tue[1][0]": turn them into zod path segments
      const path = problem.path.split(/[[\].]+/).filter(Boolean).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
      ctx.addIssue({ code: 'custom', message: problem.message, path });
    }
  }) as unknown as z.ZodType<WeekPattern>;

export const isoWeekParam = z.object({
  week: z.string().refine(isValidIsoWeek, 'must be an ISO week like 2026-W48'),
});
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'is not a real date');

export const holidaySchema = z.object({ date: isoDate, name: z.string().trim().min(1, 'required').max(120) });
/** adding a holiday: the reason is optional */
export const holidayCreateSchema = holidaySchema.extend({ reason: reasonSchema });

export const calendarSchema = z.object({
  timezone: z.string(),
  default: z.object({ days: weekPatternSchema, version: z.number().int() }),
  weeks: z.array(z.object({ week: z.string(), days: weekPatternSchema, version: z.number().int() })),
  holidays: z.array(holidaySchema),
});

export const weekViewSchema = z.object({
  week: z.string(),
  /** plant-local dates of the week, Monday first */
  dates: z.array(z.string()),
  days: weekPatternSchema,
  overridden: z.boolean(),
  /** version of the override row, or of the default when not overridden */
  version: z.number().int(),
  defaultVersion: z.number().int(),
  holidays: z.array(holidaySchema),
  workingHours: z.number(),
});

/** `reason` is required (the service says so with a field error): every week that follows the default changes */
export const defaultUpdateSchema = z.object({ days: weekPatternSchema, version: int32().min(1), reason: reasonSchema });
export const weekUpdateSchema = z.object({
  days: weekPatternSchema,
  /** version of the override being replaced; omit when the week still follows the default */
  version: int32().min(1).optional(),
  /** required (checked by the service, answered as a field error) */
  reason: reasonSchema,
});

const instant = z
  .string()
  .refine((s) => /^\d+$/.test(s) || !Number.isNaN(Date.parse(s)), 'must be an ISO date-time or epoch milliseconds')
  .transform((s) => (/^\d+$/.test(s) ? Number(s) : Date.parse(s)));
export const workingTimeQuery = z
  .object({ from: instant, to: instant })
  .refine((q) => q.to > q.from, { message: 'must be after from', path: ['to'] })
  .refine((q) => q.to - q.from <= 5 * 366 * 86_400_000, { message: 'range is limited to 5 years', path: ['to'] });
export const workingTimeSchema = z.object({
  from: z.string(),
  to: z.string(),
  intervals: z.array(z.object({ start: z.string(), end: z.string() })),
  hours: z.number(),
});

export type CalendarView = z.infer<typeof calendarSchema>;
export type WeekView = z.infer<typeof weekViewSchema>;
export type Holiday = z.infer<typeof holidaySchema>;
