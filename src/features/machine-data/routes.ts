// REST for machine data: upload of camera logs (multipart), the ingest ledger and its errors, and
// counts per lot (/api/production/lots).
import fastifyMultipart from '@fastify/multipart';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { whoOf, type App, type AppDeps } from '../../server/context.js';
import { Invalid } from '../../core/errors.js';
import type { ReferenceCheck } from '../plant/service.js';
import * as plantRepo from '../plant/repository.js';
import { keySchema } from '../plant/schemas.js';
import { machineListSchema, windowFields } from './window-query.js';
import { takeIn } from './service.js';
import { ingestorFor } from './ingest.js';
import * as ledgerRepo from './ledger-repository.js';
import * as derivedRepo from './derived-repository.js';
import { checkUpload } from './check.js';
import {
  ingestErrorSchema, ingestFileSchema, lotsResponseSchema, undoImportBodySchema, undoImportResultSchema, uploadCheckSchema, uploadResponseSchema,
} from './schemas.js';
import { fileSource } from './sources.js';
import { withReceivedFiles } from './upload-stream.js';
import { undoImport } from './undo.js';

/** Files per upload request, each at most QMFG_UPLOAD_MAX_MB (a camera day-file is ~4 MB; a year of one machine's files ~1.5 GB). */
const MAX_UPLOAD_FILES = 100;
/** Rows per ingest transaction of an upload: short transactions, so the server answers between them. */
const UPLOAD_BATCH_ROWS = 10_000;

export const machineDataCheck: ReferenceCheck = async (db, key) => ((await ledgerRepo.machineHasData(db, key)) ? 'machine data (imported camera logs and their OEE history)' : null);

export async function machineDataRoutes(app: App, { db, config, events }: AppDeps): Promise<void> {
  const zone = config.QMFG_TZ;
  const ingestor = ingestorFor(db, zone);
  const tags = ['machine data'];
  const uploadLimits = { maxFileBytes: config.QMFG_UPLOAD_MAX_MB * 1024 * 1024, maxFiles: MAX_UPLOAD_FILES };

  // Multipart only here: the rest of the API stays JSON.
  await app.register(async (scoped) => {
    await scoped.register(fastifyMultipart, { limits: { fileSize: uploadLimits.maxFileBytes, files: uploadLimits.maxFiles, fields: 20 } });
    scoped.withTypeProvider<ZodTypeProvider>().post(
      '/api/ingest/upload',
      {
        config: { permission: 'production:report', lineScope: { machineQuery: 'machine' } },
        schema: {
          tags,
          description:
            'Upload camera logs for a machine (multipart/form-data, one or more file parts). Idempotent: what was imported before is skipped ' +
            '(skippedBytes, alreadyImported); a grown file continues where it stopped. One result per file.',
          querystring: z.object({ machine: keySchema }),
          response: { 200: uploadResponseSchema },
        },
      },
      async (req) => {
        const { machine } = req.query;
        if (!(await plantRepo.getMachine(db, machine))) throw Invalid.field('query.machine', `unknown machine '${machine}'`);
        if (!req.isMultipart()) throw Invalid.field('body', 'send the files as multipart/form-data (one part per file)');
        // every file is on disk (and within the limit) before the first is imported: one file over
        // the limit refuses the whole request and nothing of it is stored
        return withReceivedFiles(req.files(), uploadLimits, async (files) => {
          if (files.length === 0) throw Invalid.field('body', 'no file in the upload: add at least one file part');
          const who = whoOf(req);
          // batches of UPLOAD_BATCH_ROWS, the audit entry with the last one; re-planned before the answer
          const deliveries = files.map((file) => ({
            machine, file: fileSource(file.path, { name: file.name, recordedPath: null }), kind: 'upload' as const, final: true, actor: who.actor, batchRows: UPLOAD_BATCH_ROWS,
          }));
          const results = await takeIn(ingestor, deliveries, { audit: { who, action: 'upload' }, after: { now: true, events } });
          return { machine, files: results };
        });
      },
    );

    scoped.withTypeProvider<ZodTypeProvider>().post(
      '/api/ingest/check',
      {
        config: { permission: 'production:report' },
        schema: {
          tags,
          description:
            'Check a camera log before uploading it (multipart/form-data, one file part; nothing is stored): its items, lots and time span, ' +
            'the machine its folder names (folder = the relative path it was chosen in, e.g. Line7), the machines that already have its lots, ' +
            'a suggested machine, and for `machine` whether uploading there contradicts the folder or the lots.',
          querystring: z.object({ machine: keySchema.optional(), folder: z.string().max(1000).optional() }),
          response: { 200: uploadCheckSchema },
        },
      },
      async (req) => {
        const { machine, folder } = req.query;
        if (machine && !(await plantRepo.getMachine(db, machine))) throw Invalid.field('query.machine', `unknown machine '${machine}'`);
        if (!req.isMultipart()) throw Invalid.field('body', 'send the file as multipart/form-data (one file part)');
        return withReceivedFiles(req.files(), uploadLimits, async ([file]) => {
          if (!file) throw Invalid.field('body', 'no file in the request: add one file part');
          return checkUpload(db, zone, { source: fileSource(file.path, { name: file.name, recordedPath: null }), folder: folder ?? null, machine: machine ?? null });
        });
      },
    );
  });

  app.post(
    '/api/ingest/files/:id/undo',
    {
      config: { permission: 'production:undo-import' },
      schema: {
        tags,
        description:
          'Undo one imported file (one ledger row): its cycles are removed, counts, stops and OEE of its machine and time span recomputed, ' +
          'operation progress recomputed and the plan re-run; audited with the required reason. The same file can be imported again afterwards.',
        params: z.object({ id: z.coerce.number().int().min(1) }),
        body: undoImportBodySchema,
        response: { 200: undoImportResultSchema },
      },
    },
    (req) => undoImport(ingestor, zone, whoOf(req), req.params.id, req.body.reason, events, Date.now()),
  );

  app.get(
    '/api/ingest/files',
    {
      config: { permission: 'plant:read' },
      schema: {
        tags,
        description: 'The ingest ledger: what was consumed of each file (or MQTT stream per day), newest first.',
        querystring: z.object({
          machine: keySchema.optional(),
          status: z.enum(['active', 'replaced', 'rejected', 'undone']).optional(),
          /** comma-separated sources (file, upload, mqtt, demo) */
          source: z.string().optional().transform((value) => (value ? value.split(',').map((s) => s.trim()).filter(Boolean) : undefined)),
          limit: z.coerce.number().int().min(1).max(5000).default(200),
        }),
        response: { 200: z.array(ingestFileSchema) },
      },
    },
    async (req) =>
      (await ledgerRepo.listLedger(db, { ...req.query, sources: req.query.source })).map(
        ({ identity: _identity, identityBytes: _bytes, prefixSha256: _sha, headSha256: _head, auditedCycles: _ac, auditedBytes: _ab, auditedAt: _at, ...row }) => row,
      ),
  );

  app.get(
    '/api/ingest/errors',
    {
      config: { permission: 'plant:read' },
      schema: {
        tags,
        description: 'Row errors of ingested files (file, line, message), newest first; at most 200 are kept per file.',
        querystring: z.object({
          machine: keySchema.optional(),
          fileId: z.coerce.number().int().min(1).optional(),
          limit: z.coerce.number().int().min(1).max(5000).default(500),
        }),
        response: { 200: z.array(ingestErrorSchema) },
      },
    },
    (req) => ledgerRepo.listErrors(db, req.query),
  );

  const window = windowFields(zone);
  app.get(
    '/api/production/lots',
    {
      config: { permission: 'plant:read' },
      schema: {
        tags,
        description: 'Counts per lot and machine (whole-lot totals) for the lots produced within [from, to).',
        querystring: z.object({ machine: machineListSchema, ...window.shape }).transform((query, ctx) => window.resolve(query, ctx)),
        response: { 200: lotsResponseSchema },
      },
    },
    async (req) => ({
      lots: await derivedRepo.listLotCounts(db, req.query.machine, req.query.from, req.query.to),
    }),
  );
}
