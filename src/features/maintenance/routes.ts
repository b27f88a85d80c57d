// REST for maintenance signals and comparative analysis: a machine's health (MTBF/MTTR per stop
// class with trend, micro-stop drift against a prior baseline, a verdict with reasons), correlation
// of two metrics per bucket, and one metric on two machines side by side. Read like other analytics.
import { z } from 'zod';
import type { App, AppDeps } from '../../server/context.js';
import { keySchema } from '../plant/schemas.js';
import { parseInstant, windowFields } from '../machine-data/window-query.js';
import { workLimitsOf } from '../../config.js';
import { ANALYSIS_BUCKETS, compareResponseSchema, correlationResponseSchema, DRIFT_BUCKETS, HEALTH_GROUP_BY, healthResponseSchema, metricsResponseSchema } from './schemas.js';
import { compareMachines, correlationAnalysis, machineHealth, type ChannelStatsSource } from './service.js';
import { metricRegistry, type ChannelMetricSource } from './metrics.js';

export interface MaintenanceRouteOptions {
  /** channel statistics per bucket, when the measurements feature is wired in */
  channels?: ChannelMetricSource;
  /** per-bucket channel statistics of a machine, for drift of channel mean/spread in the health answer */
  channelStats?: ChannelStatsSource;
}

const metricKey = z.string().trim().min(1).max(100);
const maxLag = z.coerce.number().int('must be a whole number').min(0).max(48, 'at most 48 buckets').optional();

export async function maintenanceRoutes(app: App, { db, config }: AppDeps, options: MaintenanceRouteOptions = {}): Promise<void> {
  const zone = config.QMFG_TZ;
  const window = windowFields(zone);
  const limits = workLimitsOf(config);
  const tags = ['maintenance'];
  const read = { permission: 'plant:read' as const };
  const registry = metricRegistry(options.channels);

  const healthQuery = z
    .object({ groupBy: z.enum(HEALTH_GROUP_BY).optional(), driftBucket: z.enum(DRIFT_BUCKETS).optional(), baselineFrom: z.string().trim().min(1).max(40).optional(), ...window.shape })
    .transform((query, ctx) => {
      const resolved = window.resolve(query, ctx);
      if (resolved === z.NEVER) return z.NEVER;
      let baselineFrom: number | undefined;
      if (query.baselineFrom !== undefined) {
        const instant = parseInstant(query.baselineFrom, zone);
        if (instant === null || instant >= resolved.from) {
          ctx.addIssue({ code: 'custom', path: ['baselineFrom'], message: instant === null ? `'${query.baselineFrom}' is not a date-time` : 'must be before from: the baseline is the period before the one judged' });
          return z.NEVER;
        }
        baselineFrom = instant;
      }
      return { ...resolved, baselineFrom };
    });
  app.get(
    '/api/machines/:key/health',
    {
      config: read,
      schema: {
        tags,
        description:
          'Health of a machine over [from, to): MTBF and MTTR per stop class (the OEE profile\'s classes) per day or week with a trend and its 95 % interval, micro-stops per running hour ' +
          'with a CUSUM (k = 0.5, h = 5) and EWMA (λ = 0.2, L = 3) against a baseline before `from` (default the 28 days before), findings in words and a verdict (ok / watch / maintenance suggested) with reasons.',
        params: z.object({ key: keySchema }),
        querystring: healthQuery,
        response: { 200: healthResponseSchema },
      },
    },
    (req) =>
      machineHealth(db, zone, { machine: req.params.key, from: req.query.from, to: req.query.to, groupBy: req.query.groupBy, driftBucket: req.query.driftBucket, baselineFrom: req.query.baselineFrom }, Date.now(), limits, options.channelStats),
  );

  app.get('/api/analysis/metrics', { config: read, schema: { tags, description: 'The metrics the correlation and compare endpoints accept.', response: { 200: metricsResponseSchema } } }, () => registry.list());

  const correlationQuery = z
    .object({ machine: keySchema, x: metricKey, y: metricKey, bucket: z.enum(ANALYSIS_BUCKETS).optional(), maxLag, ...window.shape })
    .transform((query, ctx) => window.resolve(query, ctx));
  app.get(
    '/api/analysis/correlation',
    {
      config: read,
      schema: {
        tags,
        description:
          'Correlation of two metrics of a machine per bucket over [from, to): scatter points with a fit line, Pearson and Spearman with 95 % intervals on the effective sample size ' +
          '(autocorrelation-adjusted), a lag search corrected for the lags tried (Bonferroni), and the finding in words — including refusals when the data cannot support a claim.',
        querystring: correlationQuery,
        response: { 200: correlationResponseSchema },
      },
    },
    (req) => correlationAnalysis(db, zone, { machine: req.query.machine, x: req.query.x, y: req.query.y, from: req.query.from, to: req.query.to, bucket: req.query.bucket, maxLag: req.query.maxLag }, Date.now(), { registry, limits }),
  );

  const compareQuery = z
    .object({
      machines: z
        .string()
        .transform((value) => [...new Set(value.split(',').map((key) => key.trim()).filter(Boolean))])
        .pipe(z.array(keySchema).length(2, 'name exactly two different machines, e.g. machines=line7,line8')),
      metric: metricKey,
      bucket: z.enum(ANALYSIS_BUCKETS).optional(),
      maxLag,
      ...window.shape,
    })
    .transform((query, ctx) => window.resolve(query, ctx));
  app.get(
    '/api/analysis/compare',
    {
      config: read,
      schema: { tags, description: 'One metric on two machines side by side per bucket, with their correlation, lag search and the finding in words.', querystring: compareQuery, response: { 200: compareResponseSchema } },
    },
    (req) =>
      compareMachines(db, zone, { machines: [req.query.machines[0], req.query.machines[1]], metric: req.query.metric, from: req.query.from, to: req.query.to, bucket: req.query.bucket, maxLag: req.query.maxLag }, Date.now(), { channels: options.channels, limits }),
  );
}
