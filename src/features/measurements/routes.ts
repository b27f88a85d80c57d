// REST for measurement channels: per machine the channels (list, create, read, replace, delete), an
// upload of measurement files (multipart: .lvm, .csv, .tsv, .txt) and a channel's series.
import fastifyMultipart from '@fastify/multipart';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { whoOf, type App, type AppDeps } from '../../server/context.js';
import { Invalid } from '../../core/errors.js';
import { deleteBodySchema } from '../../core/reasons.js';
import { csvMappingSchema, type CsvMapping } from '../../core/measurements/index.js';
import * as plantRepo from '../plant/repository.js';
import { deleteQuery } from '../plant/schemas.js';
import { fileSource } from '../machine-data/sources.js';
import { withReceivedFiles } from '../machine-data/upload-stream.js';
import * as service from './service.js';
import { channelCreateSchema, channelParams, channelSchema, channelUpdateSchema, machineParams, seriesQuerySchema, seriesSchema, uploadResultSchema } from './schemas.js';

const MAX_UPLOAD_FILES = 50;
const UPLOAD_BATCH_SAMPLES = 10_000;
const EXTENSIONS = /\.(lvm|csv|tsv|txt)$/i;

export async function measurementRoutes(app: App, { db, config, events }: AppDeps): Promise<void> {
  const zone = config.QMFG_TZ;
  const tags = ['measurements'];
  const read = { permission: 'plant:read' as const };
  const write = { permission: 'plant:write' as const };
  const changed = (machine: string, channel: string | null) => events.publish({ topic: 'plant', data: { entity: 'measurement-channel', key: channel ? `${machine}/${channel}` : machine } });
  const uploadLimits = { maxFileBytes: config.QMFG_UPLOAD_MAX_MB * 1024 * 1024, maxFiles: MAX_UPLOAD_FILES };

  app.get('/api/machines/:key/channels', { config: read, schema: { tags, summary: "A machine's measurement channels", params: machineParams, response: { 200: z.array(channelSchema) } } }, (req) =>
    service.listChannels(db, req.params.key),
  );
  app.post(
    '/api/machines/:key/channels',
    { config: write, schema: { tags, summary: 'Add a measurement channel to a machine', params: machineParams, body: channelCreateSchema, response: { 201: channelSchema } } },
    async (req, reply) => {
      const channel = await service.createChannel(db, whoOf(req), req.params.key, req.body);
      changed(req.params.key, channel.key);
      return reply.code(201).send(channel);
    },
  );
  app.get('/api/machines/:key/channels/:channel', { config: read, schema: { tags, summary: 'One measurement channel', params: channelParams, response: { 200: channelSchema } } }, (req) =>
    service.getChannel(db, req.params.key, req.params.channel),
  );
  app.put(
    '/api/machines/:key/channels/:channel',
    { config: write, schema: { tags, summary: 'Replace a channel (with the version it was read at: 409 when stale)', params: channelParams, body: channelUpdateSchema, response: { 200: channelSchema } } },
    async (req) => {
      const channel = await service.updateChannel(db, whoOf(req), req.params.key, req.params.channel, req.body);
      changed(req.params.key, channel.key);
      return channel;
    },
  );
  app.delete(
    '/api/machines/:key/channels/:channel',
    { config: write, schema: { tags, summary: 'Delete a channel and its samples (reason required)', params: channelParams, querystring: deleteQuery, body: deleteBodySchema } },
    async (req, reply) => {
      await service.deleteChannel(db, whoOf(req, req.body?.reason), req.params.key, req.params.channel, req.query.version);
      changed(req.params.key, req.params.channel);
      return reply.code(204).send();
    },
  );
  app.get(
    '/api/machines/:key/channels/:channel/series',
    {
      config: read,
      schema: {
        tags,
        summary: 'A channel over [from, to) (UTC ms): raw samples for small windows, else buckets (n, mean, min, max, sd) of the per-minute statistics',
        params: channelParams,
        querystring: seriesQuerySchema,
        response: { 200: seriesSchema },
      },
    },
    (req) => service.channelSeries(db, req.params.key, req.params.channel, req.query),
  );

  await app.register(async (scoped) => {
    await scoped.register(fastifyMultipart, { limits: { fileSize: uploadLimits.maxFileBytes, files: uploadLimits.maxFiles, fields: 10 } });
    scoped.withTypeProvider<ZodTypeProvider>().post(
      '/api/machines/:key/channels/measurements',
      {
        config: { permission: 'production:report', lineScope: { machineParam: 'key' } },
        schema: {
          tags,
          description:
            'Upload measurement files for a machine (multipart/form-data: .lvm, .csv, .tsv, .txt parts). Columns are matched to channels by key, name or ' +
            "source fileName; `channel` sends a one-column file to that channel; `mapping` (JSON) maps CSV columns. Idempotent: samples stored before are " +
            'counted as duplicates. One result per file: stored, duplicates, errors with file:line.',
          params: machineParams,
          querystring: z.object({ channel: z.string().min(1).max(64).optional(), mapping: z.string().max(20_000).optional() }),
          response: { 200: uploadResultSchema },
        },
      },
      async (req) => {
        const machine = req.params.key;
        if (!(await plantRepo.getMachine(db, machine))) throw Invalid.field('params.key', `unknown machine '${machine}'`);
        const mapping = parseMapping(req.query.mapping);
        if (!req.isMultipart()) throw Invalid.field('body', 'send the files as multipart/form-data (one part per file)');
        return withReceivedFiles(req.files(), uploadLimits, async (files) => {
          if (files.length === 0) throw Invalid.field('body', 'no file in the upload: add at least one file part');
          const wrong = files.find((f) => !EXTENSIONS.test(f.name));
          if (wrong) throw Invalid.field('body', `'${wrong.name}' is not a measurement file: upload .lvm, .csv, .tsv or .txt files`);
          const who = whoOf(req);
          const deliveries = files.map((file) => ({
            machine, source: fileSource(file.path, { name: file.name, recordedPath: null }), final: true, origin: 'upload' as const,
            mapping: mapping ?? undefined, channel: req.query.channel, batchSamples: UPLOAD_BATCH_SAMPLES,
            format: /\.lvm$/i.test(file.name) ? ('lvm' as const) : ('csv' as const),
          }));
          const results = await service.ingestMeasurements({ db, zone }, deliveries, { who, action: 'upload' });
          if (results.some((r) => r.stored > 0)) events.publish({ topic: 'measurements', data: { machine, stored: results.reduce((n, r) => n + r.stored, 0) } });
          return { machine, files: results };
        });
      },
    );
  });
}

function parseMapping(text: string | undefined): CsvMapping | null {
  if (text === undefined) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw Invalid.field('query.mapping', `not JSON: ${(error as Error).message}`);
  }
  const parsed = csvMappingSchema.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => ({ path: ['query', 'mapping', ...i.path].join('.'), message: i.message }));
    throw new Invalid(`mapping: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`, fields);
  }
  return parsed.data;
}
