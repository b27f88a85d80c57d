// REST for work orders (/api/work-orders, by lot) and the planning board (/api/schedule).
import { z } from 'zod';
import type { App, AppDeps } from '../../server/context.js';
import { whoOf } from '../../server/context.js';
import { deleteBodySchema } from '../../core/reasons.js';
import type { Permission } from '../../core/permissions.js';
import * as service from './service.js';
import { boardSchema, getBoard } from './board.js';
import { suggestionRoutes } from './suggestion-routes.js';
import { int32FromText } from '../../core/limits.js';
import { promiseFor } from './promise.js';
import { promiseBodySchema, promiseResultSchema } from './promise-schemas.js';
import {
  countsSchema, loadBodySchema, lotParams, operationActionSchema, operationParams, replanResultSchema, workOrderCreateSchema, workOrderListQuery, workOrderSchema,
  workOrderUpdateSchema, type WorkOrder,
} from './schemas.js';

const instant = z
  .string()
  .refine((s) => /^\d+$/.test(s) || !Number.isNaN(Date.parse(s)), 'must be an ISO date-time or epoch milliseconds')
  .transform((s) => (/^\d+$/.test(s) ? Number(s) : Date.parse(s)));

export async function orderRoutes(app: App, deps: AppDeps): Promise<void> {
  const { db, config, events } = deps;
  const ctx: service.OrdersContext = { db, zone: config.QMFG_TZ };
  const tags = ['work orders'];
  const changed = (lot: string) => events.publish({ topic: 'schedule', data: { lot } });

  app.get(
    '/api/work-orders',
    {
      config: { permission: 'plant:read' },
      schema: {
        tags,
        description: 'Work orders with their operations, filtered and sorted: a page of `limit` (default 500) from `offset`; the x-total-count header says how many match.',
        querystring: workOrderListQuery,
        response: { 200: z.array(workOrderSchema) },
      },
    },
    async (req, reply) => {
      const page = await service.listWorkOrderPage(db, config.QMFG_TZ, req.query);
      return reply.header('x-total-count', String(page.total)).send(page.items);
    },
  );
  app.get('/api/work-orders/:lot', { config: { permission: 'plant:read' }, schema: { tags, params: lotParams, response: { 200: workOrderSchema } } }, (req) => service.getWorkOrderView(db, config.QMFG_TZ, req.params.lot));
  app.post('/api/work-orders', { config: { permission: 'orders:write' }, schema: { tags, body: workOrderCreateSchema, response: { 201: workOrderSchema } } }, async (req, reply) => {
    const wo = await service.createWorkOrder(ctx, whoOf(req), req.body);
    changed(wo.lot);
    return reply.code(201).send(wo);
  });
  app.patch('/api/work-orders/:lot', { config: { permission: 'orders:write' }, schema: { tags, params: lotParams, body: workOrderUpdateSchema, response: { 200: workOrderSchema } } }, async (req) => {
    const wo = await service.updateWorkOrder(ctx, whoOf(req, req.body.reason), req.params.lot, req.body);
    changed(wo.lot);
    return wo;
  });
  app.delete('/api/work-orders/:lot', { config: { permission: 'orders:write' }, schema: { tags, params: lotParams, querystring: z.object({ version: int32FromText().optional() }), body: deleteBodySchema } }, async (req, reply) => {
    await service.deleteWorkOrder(ctx, whoOf(req, req.body?.reason), req.params.lot, req.query.version);
    changed(req.params.lot);
    return reply.code(204).send();
  });

  const opRoute = { tags, params: operationParams, response: { 200: workOrderSchema } };
  app.post('/api/work-orders/:lot/operations/:step/load', { config: { permission: 'orders:write' }, schema: { ...opRoute, body: loadBodySchema } }, async (req) => {
    const wo = await service.loadOperation(ctx, whoOf(req), req.params.lot, req.params.step, req.body);
    changed(wo.lot);
    return wo;
  });
  const action = (
    path: string,
    run: (lot: string, step: number, body: z.infer<typeof operationActionSchema>, who: ReturnType<typeof whoOf>) => Promise<WorkOrder>,
    permission: Permission = 'orders:write',
  ) =>
    app.post(`/api/work-orders/:lot/operations/:step/${path}`, { config: { permission }, schema: { ...opRoute, body: operationActionSchema } }, async (req) => {
      const wo = await run(req.params.lot, req.params.step, req.body ?? {}, whoOf(req, req.body?.reason));
      changed(req.params.lot);
      return wo;
    });
  action('park', (lot, step, body, who) => service.parkOperation(ctx, who, lot, step, body.version));
  action('hold', (lot, step, body, who) => service.holdOperation(ctx, who, lot, step, true, body.version, body.reason));
  action('release', (lot, step, body, who) => service.holdOperation(ctx, who, lot, step, false, body.version, body.reason));
  action('close', (lot, step, body, who) => service.closeOperation(ctx, who, lot, step, body.version, body.reason), 'orders:close');
  action('pin', (lot, step, body, who) => service.pinOperation(ctx, who, lot, step, true, body.version));
  action('unpin', (lot, step, body, who) => service.pinOperation(ctx, who, lot, step, false, body.version));
  app.post('/api/work-orders/:lot/operations/:step/counts', { config: { permission: 'production:report', lineScope: { operationMachine: (params) => service.machineOfOperation(db, String(params.lot ?? ''), Number(params.step)) } }, schema: { ...opRoute, body: countsSchema } }, async (req) => {
    const wo = await service.setCounts(ctx, whoOf(req, req.body.reason), req.params.lot, req.params.step, req.body);
    changed(wo.lot);
    return wo;
  });

  app.get(
    '/api/schedule/board',
    {
      config: { permission: 'plant:read' },
      schema: {
        tags: ['schedule'],
        querystring: z
          .object({ group: z.string().min(1), from: instant, to: instant })
          .refine((q) => q.to > q.from, { message: 'must be after from', path: ['to'] })
          .refine((q) => q.to - q.from <= 2 * 366 * 86_400_000, { message: 'window is limited to 2 years', path: ['to'] }),
        response: { 200: boardSchema },
      },
    },
    (req) => getBoard(db, config.QMFG_TZ, req.query.group, req.query.from, req.query.to, Date.now()),
  );
  app.post(
    '/api/schedule/promise',
    {
      config: { permission: 'plant:read' },
      schema: {
        tags: ['schedule'],
        description:
          'Capable-to-promise: when N units of a product could be finished if ordered now — with the plan untouched (each step appended where it finishes earliest) and re-sequenced (as early as it can go without making another order later past its due date). Changes nothing.',
        body: promiseBodySchema,
        response: { 200: promiseResultSchema },
      },
    },
    (req) => promiseFor(db, config.QMFG_TZ, req.body),
  );
  app.post('/api/schedule/replan', { config: { permission: 'orders:write' }, schema: { tags: ['schedule'], response: { 200: replanResultSchema } } }, async (req) => {
    const summary = await service.replanPlant(ctx, whoOf(req));
    events.publish({ topic: 'schedule', data: { replan: true } });
    return summary;
  });
  await suggestionRoutes(app, deps);
}

/** The re-plan after a change below orders (wired into the calendar's and plant's routes by the server), then live boards are told. */
export function replanAfterChange({ db, config, events }: AppDeps, reason: 'calendar' | 'plant'): () => Promise<void> {
  return async () => {
    const { changed } = await service.replanPlant({ db, zone: config.QMFG_TZ });
    events.publish({ topic: 'schedule', data: { replan: true, reason, changed } });
  };
}
/** The re-plan after a calendar change. */
export const replanAfterCalendarChange = (deps: AppDeps) => replanAfterChange(deps, 'calendar');
