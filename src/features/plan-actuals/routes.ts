// GET /api/schedule/actuals: plan against actual for the board (issue 15 item 6). Read-only.
import { z } from 'zod';
import type { App, AppDeps } from '../../server/context.js';
import { actualsSchema } from './schemas.js';
import { getActuals, MAX_WINDOW_DAYS } from './service.js';

const instant = z
  .string()
  .max(40)
  .refine((s) => /^\d{1,15}$/.test(s) || !Number.isNaN(Date.parse(s)), 'must be an ISO date-time or epoch milliseconds')
  .transform((s) => (/^\d+$/.test(s) ? Number(s) : Date.parse(s)));

export async function planActualsRoutes(app: App, { db, config }: AppDeps): Promise<void> {
  app.get(
    '/api/schedule/actuals',
    {
      config: { permission: 'plant:read' },
      schema: {
        tags: ['schedule'],
        description:
          'Plan against actual for the machines of a process group in [from, to): the lot runs machine data saw (consecutive cycles of one lot; first and last cycle, parts, ' +
          'the product), the stops inside them (gaps over the OEE profile\'s maxCycleSeconds: all counted, those of at least availabilityLossSeconds listed with class and the ' +
          'operator\'s reason), changeovers (a lot change, or a stop given a setup reason), the plan as it stood at each shift start, and the drift per machine. ' +
          `The window is limited to ${MAX_WINDOW_DAYS} days.`,
        querystring: z
          .object({ group: z.string().min(1).max(120), from: instant, to: instant })
          .refine((q) => q.to > q.from, { message: 'must be after from', path: ['to'] })
          .refine((q) => q.to - q.from <= MAX_WINDOW_DAYS * 86_400_000, { message: `the window is limited to ${MAX_WINDOW_DAYS} days`, path: ['to'] }),
        response: { 200: actualsSchema },
      },
    },
    (req) => getActuals(db, config.QMFG_TZ, req.query.group, req.query.from, req.query.to, Date.now()),
  );
}
