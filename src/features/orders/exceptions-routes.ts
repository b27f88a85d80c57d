// GET /api/schedule/exceptions: what needs a planner, computed from the live plan as of now.
import type { App, AppDeps } from '../../server/context.js';
import { exceptionsReportSchema } from '../../core/planning-exceptions/index.js';
import { getPlanExceptions } from './exceptions.js';

export async function exceptionRoutes(app: App, { db, config }: AppDeps): Promise<void> {
  app.get(
    '/api/schedule/exceptions',
    {
      config: { permission: 'plant:read' },
      schema: {
        tags: ['schedule'],
        description:
          'Plan exceptions: late work orders with their cause (capacity, gate, predecessor late, lead time, unplannable), machines loaded ≥ 95 % in an ISO week (planned hours plus work due by the week’s end that is planned later, against the week’s working time), parked work orders whose due date is at risk, gates nobody can sign or left waiting, and operations in conflict with the calendar. Most severe first.',
        response: { 200: exceptionsReportSchema },
      },
    },
    () => getPlanExceptions(db, config.QMFG_TZ, Date.now()),
  );
}
