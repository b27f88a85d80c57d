// GET /api/work-orders/:lot/forecast?at=<ISO>: what each forecast method said (or says) as of a moment.
import { DateTime } from 'luxon';
import { forecastToJson } from '../../core/forecast/json.js';
import { z } from 'zod';
import type { App, AppDeps } from '../../server/context.js';
import { forecastAccuracy, forecastHistoryOf, forecastWorkOrder, type WorkOrderForecast } from './service.js';

const endSchema = z.string().nullable();
export const forecastResponseSchema = z.object({
  at: z.string(),
  produced: z.number(),
  remaining: z.number(),
  standard: z.object({ end: endSchema }),
  observed: z.object({ end: endSchema, ratePerHour: z.number() }),
  forecast: z.object({ end: z.string(), method: z.string() }),
  step: z.number(),
  machine: z.string(),
});

/** The CLI's JSON shape (instants ISO 8601 with the plant's offset), then the step and machine. */
export function forecastJson(result: WorkOrderForecast, zone: string): z.infer<typeof forecastResponseSchema> {
  return {
    ...forecastToJson(result, zone),
    step: result.step,
    machine: result.machine,
  };
}

export async function forecastRoutes(app: App, { db, config }: AppDeps): Promise<void> {
  const zone = config.QMFG_TZ;
  const atSchema = z
    .string()
    .optional()
    .refine((text) => text === undefined || DateTime.fromISO(text, { zone }).isValid, 'must be an ISO 8601 date-time (without an offset: plant-local)')
    .transform((text) => (text === undefined ? Date.now() : DateTime.fromISO(text, { zone }).toMillis()));
  app.get(
    '/api/work-orders/:lot/forecast',
    {
      config: { permission: 'plant:read' },
      schema: {
        tags: ['work orders'],
        description:
          'Finish estimates of the lot\'s running operation (or first loaded one not done, or the last done) as of `at` (default now; ' +
          'without an offset it is plant-local): standard, observed and the recommended forecast, from machine data before `at` only — ' +
          'the same object as one element of `qmfg forecast --json`, plus the step and machine.',
        params: z.object({ lot: z.string().min(1).max(64) }),
        querystring: z.object({ at: atSchema }),
        response: { 200: forecastResponseSchema },
      },
    },
    async (req) => forecastJson(await forecastWorkOrder(db, zone, req.params.lot, req.query.at), zone),
  );
  app.get(
    '/api/work-orders/:lot/forecast/history',
    {
      config: { permission: 'plant:read' },
      schema: {
        tags: ['work orders'],
        description: 'Every forecast recorded for the lot (each time one changed as production came in), oldest first; instants in epoch ms.',
        params: z.object({ lot: z.string().min(1).max(64) }),
        response: { 200: z.object({ lot: z.string(), history: z.array(historyRowSchema) }) },
      },
    },
    async (req) => ({ lot: req.params.lot, history: await forecastHistoryOf(db, req.params.lot) }),
  );
  const minutes = z.number().nullable();
  app.get(
    '/api/forecasts/accuracy',
    {
      config: { permission: 'plant:read' },
      schema: {
        tags: ['work orders'],
        description:
          'Once lots finished: each forecast method\'s mean absolute error (minutes) per machine and product, over every forecast recorded ' +
          'for the finished operations before they ended.',
        response: {
          200: z.object({
            rows: z.array(z.object({ machine: z.string(), product: z.string(), lots: z.number(), forecasts: z.number(), standardMinutes: minutes, observedMinutes: minutes, recommendedMinutes: minutes })),
          }),
        },
      },
    },
    async () => ({ rows: await forecastAccuracy(db) }),
  );
}

const historyRowSchema = z.object({
  lot: z.string(),
  step: z.number(),
  machine: z.string(),
  at: z.number(),
  produced: z.number(),
  remaining: z.number(),
  standardEnd: z.number().nullable(),
  observedEnd: z.number().nullable(),
  observedRatePerHour: z.number(),
  forecastEnd: z.number(),
  method: z.string(),
});
