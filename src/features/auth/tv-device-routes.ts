// TV screens (issue 12 item 3): administrators create and revoke device tokens (audited); a wall
// screen trades its token for an httpOnly device cookie, which then reads the TV data and the live
// event stream of its groups — nothing else, and never a person's session.
import { z } from 'zod';
import type { App, AppDeps } from '../../server/context.js';
import { whoOf } from '../../server/context.js';
import { tvDeviceStreamKey } from '../../server/events.js';
import { Unauthorized } from '../../core/errors.js';
import { TV_TOKEN_REFUSED } from './access.js';
import * as devices from './tv-devices.js';
import { TV_COOKIE, tvDeviceCreatedSchema, tvDeviceCreateSchema, tvDeviceSchema } from './tv-device-schemas.js';

const idParams = z.object({ id: z.coerce.number().int().positive() });
/** a wall screen keeps its cookie for a year; revocation, not expiry, ends it */
const DEVICE_COOKIE_SECONDS = 365 * 24 * 3600;

export async function tvDeviceRoutes(app: App, { db, config, events }: AppDeps): Promise<void> {
  const tags = ['tv'];
  const admin = { permission: 'users:admin' as const };
  app.get('/api/tv-devices', { config: admin, schema: { tags, response: { 200: z.array(tvDeviceSchema) } } }, () => devices.listTvDevices(db));
  app.post(
    '/api/tv-devices',
    { config: admin, schema: { tags, description: 'Creates a TV screen token; the answer carries the token and the link once.', body: tvDeviceCreateSchema, response: { 201: tvDeviceCreatedSchema } } },
    async (req, reply) => reply.code(201).send(await devices.createTvDevice(db, whoOf(req, req.body.reason), req.body)),
  );
  app.post('/api/tv-devices/:id/revoke', { config: admin, schema: { tags, params: idParams, response: { 200: tvDeviceSchema } } }, async (req) => {
    const revoked = await devices.revokeTvDevice(db, whoOf(req), req.params.id);
    events.endSessions({ idHash: tvDeviceStreamKey(revoked.id), reason: 'revoked', message: TV_TOKEN_REFUSED });
    return revoked;
  });

  // the screen opens /tv?token=…; the page trades the token for the device cookie and drops it from the address
  app.post(
    '/api/tv/device',
    {
      config: { public: true, rateLimit: { max: config.QMFG_LOGIN_RATE_PER_MINUTE, timeWindow: 60_000 } },
      schema: { tags, body: z.object({ token: z.string().min(1).max(200) }), response: { 200: z.object({ name: z.string(), groups: z.array(z.string()) }) } },
    },
    async (req, reply) => {
      const device = await devices.tvPrincipalOf(db, req.body.token);
      if (!device) throw new Unauthorized(TV_TOKEN_REFUSED);
      const secure = config.QMFG_COOKIE_SECURE === '1' || (config.QMFG_COOKIE_SECURE === 'auto' && req.protocol === 'https');
      reply.setCookie(TV_COOKIE, req.body.token, { httpOnly: true, sameSite: 'strict', secure, path: '/api/', maxAge: DEVICE_COOKIE_SECONDS });
      return { name: device.name, groups: device.groups };
    },
  );
}
