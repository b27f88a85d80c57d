// REST for the signed steps of a work order: gate sign-off after a step and closing the work order.
// Both carry `signature: { password, meaning }` in the body (checked before the handler runs).
import type { App, AppDeps } from '../../server/context.js';
import { whoOf } from '../../server/context.js';
import { closeWorkOrder, getSignOffs, passGate } from './sign-off.js';
import { signedActionSchema, signOffsSchema } from './sign-off-schemas.js';
import { lotParams, operationParams, workOrderSchema } from './schemas.js';
import type { OrdersContext } from './service.js';

export async function signOffRoutes(app: App, { db, config, events }: AppDeps): Promise<void> {
  const ctx: OrdersContext = { db, zone: config.QMFG_TZ };
  const tags = ['work orders'];
  const changed = (lot: string) => events.publish({ topic: 'schedule', data: { lot } });

  app.get('/api/work-orders/:lot/sign-offs', { config: { permission: 'plant:read' }, schema: { tags, params: lotParams, response: { 200: signOffsSchema } } }, (req) =>
    getSignOffs(db, req.params.lot),
  );
  app.post(
    '/api/work-orders/:lot/operations/:step/gate',
    {
      config: { permission: 'gates:sign', signature: { entity: 'work-order' } },
      schema: { tags, params: operationParams, body: signedActionSchema, response: { 200: signOffsSchema } },
    },
    async (req) => {
      const result = await passGate(ctx, whoOf(req, req.body.reason), req.params.lot, req.params.step, req.body);
      changed(req.params.lot);
      return result;
    },
  );
  app.post(
    '/api/work-orders/:lot/close',
    {
      config: { permission: 'orders:close', signature: { entity: 'work-order' } },
      schema: { tags, params: lotParams, body: signedActionSchema, response: { 200: workOrderSchema } },
    },
    async (req) => {
      const wo = await closeWorkOrder(ctx, whoOf(req, req.body.reason), req.params.lot, req.body);
      changed(req.params.lot);
      return wo;
    },
  );
}
