// REST for OEE: /api/oee (any window, per machine, with series), /api/oee/profiles (built-in +
// user-defined, versioned), /api/stops (from the gaps, with operators' reasons).
import { z } from 'zod';
import type { App, AppDeps } from '../../server/context.js';
import { whoOf } from '../../server/context.js';
import { keySchema } from '../plant/schemas.js';
import * as service from './service.js';
import {
  oeeResponseSchema, rateResponseSchema, profileCreateSchema, profileDetailSchema, profileNameSchema, profileSchema, profileUpdateSchema, stopReasonBodySchema,
  stopSchema, stopsResponseSchema,
} from './schemas.js';
import { exactInstantSchema, machineListSchema, windowFields } from '../machine-data/window-query.js';
import { oeeJsonStream } from './oee-stream.js';
import { lossesOf } from './losses.js';
import { lossesResponseSchema } from './loss-schemas.js';
import { GROUP_BY } from '../../core/oee/buckets.js';
import { Invalid } from '../../core/errors.js';
import { workLimitsOf } from '../../config.js';
import { MAX_RATE_POINTS, ROLLING_SECONDS } from '../../core/oee/rate-series.js';

export async function oeeRoutes(app: App, { db, config, events }: AppDeps): Promise<void> {
  const zone = config.QMFG_TZ;
  const window = windowFields(zone);
  const limits = workLimitsOf(config);
  const tags = ['oee'];

  const oeeQuery = z
    .object({ machine: machineListSchema, profile: z.string().trim().min(1).max(80).optional(), groupBy: z.enum(GROUP_BY).optional(), ...window.shape })
    .transform((query, ctx) => window.resolve(query, ctx));
  app.get(
    '/api/oee',
    {
      config: { permission: 'plant:read' },
      schema: {
        tags,
        description:
          'OEE of machines over [from, to) (floored to the minute) from the derived data, with a series per hour/shift/day/week/month. ' +
          'totals and each bucket have the keys of `qmfg analyze --json`; profile defaults to each machine\'s own ("name" or "name@vN"). ' +
          'One request covers at most QMFG_MAX_MACHINE_DAYS machine-days and QMFG_MAX_OEE_RESULTS results (machines × buckets): more is a 400 saying how to narrow it. The answer is streamed.',
        querystring: oeeQuery,
        response: { 200: oeeResponseSchema },
      },
    },
    async (req, reply) => {
      const query = { machines: req.query.machine, from: req.query.from, to: req.query.to, profile: req.query.profile, groupBy: req.query.groupBy };
      // over the limits: refused from the parameters, before anything is read
      const refusal = service.oeeQueryRefusal(query, zone, limits);
      if (refusal) throw Invalid.field(refusal.path, refusal.message);
      const plan = await service.planOee(db, zone, query, limits);
      // streamed (not serialised by the schema in one piece): see oee-stream.ts
      return reply.type('application/json; charset=utf-8').send(oeeJsonStream(db, plan) as never);
    },
  );

  // ---- the loss model
  const lossQuery = z
    .object({ machine: machineListSchema, profile: z.string().trim().min(1).max(80).optional(), ...window.shape })
    .transform((query, ctx) => window.resolve(query, ctx));
  app.get(
    '/api/oee/losses',
    {
      config: { permission: 'plant:read' },
      schema: {
        tags,
        description:
          'The loss model of machines over [from, to): a waterfall from calendar time to fully productive time (not scheduled, planned downtime, availability losses by ' +
          'category, minor stops, reduced speed, startup and production rejects), the six big losses, a Pareto by category then reason, TEEP and labour utilisation; ' +
          'per machine and together. Its A, P, Q and OEE are /api/oee\'s for the same window and profile.',
        querystring: lossQuery,
        response: { 200: lossesResponseSchema },
      },
    },
    async (req) => {
      const query = { machines: req.query.machine, from: req.query.from, to: req.query.to, profile: req.query.profile };
      const refusal = service.oeeQueryRefusal(query, zone, limits);
      if (refusal) throw Invalid.field(refusal.path, refusal.message);
      return lossesOf(db, zone, query, Date.now(), { promptSeconds: config.QMFG_REASON_PROMPT_SECONDS });
    },
  );

  // ---- fine rate series (raw cycles)
  const rateQuery = z
    .object({
      machine: keySchema,
      rollingSeconds: z.coerce
        .number()
        .refine((value) => (ROLLING_SECONDS as readonly number[]).includes(value), `one of ${ROLLING_SECONDS.join(', ')} seconds`)
        .default(15),
      ...window.shape,
    })
    .transform((query, ctx) => window.resolve(query, ctx));
  app.get(
    '/api/oee/rate',
    {
      config: { permission: 'plant:read' },
      schema: {
        tags,
        description:
          'Parts per minute of one machine, one point per second, smoothed by a rolling window centred on each point, and the cumulative good parts, ' +
          `from the raw cycles (kept QMFG_RAW_RETENTION_DAYS days). At most ${MAX_RATE_POINTS} points (12 h) per request: a longer window is a 400.`,
        querystring: rateQuery,
        response: { 200: rateResponseSchema },
      },
    },
    (req) => service.machineRate(db, { machine: req.query.machine, from: req.query.from, to: req.query.to, rollingSeconds: req.query.rollingSeconds }, config.QMFG_RAW_RETENTION_DAYS),
  );

  // ---- profiles
  app.get('/api/oee/profiles', { config: { permission: 'plant:read' }, schema: { tags, response: { 200: z.array(profileSchema) } } }, () => service.listProfileViews(db));
  app.get('/api/oee/profiles/:name', { config: { permission: 'plant:read' }, schema: { tags, params: z.object({ name: profileNameSchema }), response: { 200: profileDetailSchema } } }, (req) =>
    service.getProfileDetail(db, req.params.name),
  );
  app.post('/api/oee/profiles', { config: { permission: 'oee:write', signature: { entity: 'oee-profile' } }, schema: { tags, body: profileCreateSchema, response: { 201: profileSchema } } }, async (req, reply) => {
    const profile = await service.createProfile(db, whoOf(req, req.body.reason), req.body);
    events.publish({ topic: 'plant', data: { entity: 'oee-profile', key: profile.name } });
    return reply.code(201).send(profile);
  });
  app.put('/api/oee/profiles/:name', { config: { permission: 'oee:write', signature: { entity: 'oee-profile' } }, schema: { tags, params: z.object({ name: profileNameSchema }), body: profileUpdateSchema, response: { 200: profileSchema } } }, async (req) => {
    const profile = await service.updateProfile(db, whoOf(req, req.body.reason), req.params.name, req.body);
    // every result computed with this profile changes: screens showing OEE refetch
    events.publish({ topic: 'plant', data: { entity: 'oee-profile', key: profile.name } });
    events.publish({ topic: 'production', data: { profile: profile.label } });
    return profile;
  });

  // ---- stops
  const stopsQuery = z
    .object({
      machine: keySchema,
      profile: z.string().trim().min(1).max(80).optional(),
      minSeconds: z.coerce.number().min(0).max(366 * 86_400).optional(),
      class: z
        .string()
        .regex(/^\d{1,2}(,\d{1,2})*$/, 'class indexes into the profile\'s stop bins, e.g. 2 or 2,3')
        .transform((value) => value.split(',').map(Number))
        .optional(),
      limit: z.coerce.number().int().min(1).max(service.MAX_STOPS).optional(),
      ...window.shape,
    })
    .transform((query, ctx) => window.resolve(query, ctx));
  app.get(
    '/api/stops',
    {
      config: { permission: 'plant:read' },
      schema: {
        tags,
        description:
          'The window\'s stops (gaps longer than the profile\'s maxCycleSeconds with a part inside [from, to)\'s loading time), classed by the profile\'s bins by their whole ' +
          'duration, with the counted part (countedSeconds: what stop time and availability count), whether they continue before/after the window, and their reasons.',
        querystring: stopsQuery,
        response: { 200: stopsResponseSchema },
      },
    },
    (req) =>
      service.listStops(db, zone, {
        machine: req.query.machine, from: req.query.from, to: req.query.to, profile: req.query.profile, minSeconds: req.query.minSeconds, classes: req.query.class, limit: req.query.limit,
      }),
  );
  const stopParams = z.object({ machine: keySchema, start: exactInstantSchema(zone, "the stop's start") });
  app.put('/api/stops/:machine/:start', { config: { permission: 'production:report', lineScope: { machineParam: 'machine' } }, schema: { tags, params: stopParams, body: stopReasonBodySchema, response: { 200: stopSchema } } }, async (req) => {
    const stop = await service.setStopReason(db, whoOf(req, req.body.changeReason), zone, req.params.machine, req.params.start, req.body);
    events.publish({ topic: 'production', data: { machine: stop.machine, stop: stop.startMs } });
    return stop;
  });
}
