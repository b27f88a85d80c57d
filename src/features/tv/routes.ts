// GET /api/tv: the andon / TV view's data. A signed-in user (plant:read) or a TV screen's device
// token may read it; a screen sees only the process groups of its token.
import type { App, AppDeps } from '../../server/context.js';
import { tvQuerySchema, tvResponseSchema } from './schemas.js';
import { tvView } from './service.js';

export async function tvRoutes(app: App, { db, config }: AppDeps): Promise<void> {
  app.get(
    '/api/tv',
    {
      config: { permission: 'plant:read', tvDevice: true },
      schema: {
        tags: ['tv'],
        description:
          'One tile per machine of the process groups asked (comma-separated keys; omitted = all the caller may see): state, current lot and product, ' +
          '% done, rate of the last 15 min against standard, forecast end and late flag, OEE of the shift. Readable with a TV device token.',
        querystring: tvQuerySchema,
        response: { 200: tvResponseSchema },
      },
    },
    (req) => tvView(db, config.QMFG_TZ, req.query.groups, { allowed: req.tvDevice ? req.tvDevice.groups : null }),
  );
}
