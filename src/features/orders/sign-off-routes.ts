// REST for closing a work order, electronically signed: `signature: { password, meaning }` in the body
// (checked before the handler runs). The gate routes (sign-offs, passing a gate with its audit-trail
// review) are release-review's: it calls passGate with the review check (features/release-review/routes.ts).
import type { App, AppDeps } from '../../server/context.js';
import { whoOf } from '../../server/context.js';
import { closeWorkOrder } from './sign-off.js';
import { signedActionSchema } from './sign-off-schemas.js';
import { lotParams, workOrderSchema } from './schemas.js';
import type { OrdersContext } from './service.js';

export async function signOffRoutes(app: App, { db, config, events }: AppDeps): Promise<void> {
  const ctx: OrdersContext = { db, zone: config.QMFG_TZ };
  const tags = ['work orders'];
  const changed = (lot: string) => events.publish({ topic: 'schedule', data: { lot } });

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
