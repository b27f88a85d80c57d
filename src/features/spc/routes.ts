// REST for control charts of measurement channels: the chart of a window with the newest limits,
// the limits' versions, and new limits from a baseline period (oee:write, audited with a reason).
import { z } from 'zod';
import type { App, AppDeps } from '../../server/context.js';
import { whoOf } from '../../server/context.js';
import { channelParams } from '../measurements/schemas.js';
import * as service from './service.js';
import { chartQuerySchema, limitsInputSchema, limitsSchema, spcChartSchema } from './schemas.js';

export async function spcRoutes(app: App, { db, events }: AppDeps): Promise<void> {
  const tags = ['spc'];
  app.get(
    '/api/machines/:key/channels/:channel/spc',
    { config: { permission: 'plant:read' }, schema: { tags, summary: "A channel's control chart (subgroup means, drift detector, signals, capability)", params: channelParams, querystring: chartQuerySchema, response: { 200: spcChartSchema } } },
    (req) => service.channelChart(db, req.params.key, req.params.channel, { from: req.query.from ? Date.parse(req.query.from) : undefined, to: req.query.to ? Date.parse(req.query.to) : undefined }, Date.now()),
  );
  app.get(
    '/api/machines/:key/channels/:channel/spc/limits',
    { config: { permission: 'plant:read' }, schema: { tags, summary: "A channel's control limits, newest version first", params: channelParams, response: { 200: z.array(limitsSchema) } } },
    (req) => service.listLimits(db, req.params.key, req.params.channel),
  );
  app.post(
    '/api/machines/:key/channels/:channel/spc/limits',
    { config: { permission: 'oee:write' }, schema: { tags, summary: 'Freeze new control limits from a baseline period', params: channelParams, body: limitsInputSchema, response: { 201: limitsSchema } } },
    async (req, reply) => {
      const limits = await service.setLimits(db, whoOf(req), req.params.key, req.params.channel, req.body, Date.now());
      events.publish({ topic: 'plant', data: { entity: 'spc-limits', key: `${req.params.key}/${req.params.channel}` } });
      return reply.code(201).send(limits);
    },
  );
}
