// Work orders in and out of spreadsheets over HTTP: upload (.xlsx or CSV), the import template, and
// the filtered work-order list as .xlsx or CSV.
import multipart from '@fastify/multipart';
import type { FastifyError, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { TooLarge } from '../../core/errors.js';
import type { App, AppDeps } from '../../server/context.js';
import { whoOf } from '../../server/context.js';
import * as plantRepo from '../plant/repository.js';
import { previewWorkOrderImport } from './import-preview.js';
import { importPreviewSchema, workOrderListQuery, type ImportPreview } from './schemas.js';
import * as service from './service.js';
import { DEFAULT_IMPORT_LOCALE, importResultSchema, parseWorkOrderFile, type ImportResult } from './spreadsheet.js';
import { workOrderExport, workOrderTemplate } from './spreadsheet-export.js';
import { attachment, tableFile, XLSX_MIME } from '../../shared/table-export.js';

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

const tooLarge = () => new TooLarge(`the file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB; split it into smaller files`);

/** Content types a browser gives a picked file (Windows reports CSV as the Excel 97 type), sent as the raw body. */
const RAW_UPLOAD_TYPES = [XLSX_MIME, 'text/csv', 'application/csv', 'application/vnd.ms-excel', 'application/octet-stream'];

/** The export takes the list's filters; without a limit it exports every matching work order. */
const exportQuery = workOrderListQuery.extend({ limit: z.coerce.number().int().min(1).max(100_000).default(100_000) });

interface Upload {
  bytes: Uint8Array;
  fileName?: string;
}

/**
 * A file input's file arrives either as multipart/form-data (`FormData` with one file field) or as
 * the raw request body (`fetch(url, { body: file })`, name in `?filename=`) — both one line in a browser.
 */
async function readUpload(req: FastifyRequest, queryFileName: string | undefined): Promise<Upload> {
  if (req.isMultipart()) {
    const part = await req.file();
    if (!part) return { bytes: new Uint8Array(0), fileName: queryFileName };
    try {
      return { bytes: await part.toBuffer(), fileName: part.filename || queryFileName };
    } catch (error) {
      if ((error as FastifyError).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
      throw error;
    }
  }
  const body = req.body as Buffer | string | undefined;
  return { bytes: typeof body === 'string' ? Buffer.from(body, 'utf8') : (body ?? new Uint8Array(0)), fileName: queryFileName };
}


export async function orderIoRoutes(app: App, { db, config, events }: AppDeps): Promise<void> {
  const ctx: service.OrdersContext = { db, zone: config.QMFG_TZ };
  const tags = ['work orders'];
  const plantToday = () => DateTime.now().setZone(config.QMFG_TZ).toISODate()!;
  const locale = config.QMFG_LOCALE || DEFAULT_IMPORT_LOCALE;
  const importSchema = { querystring: z.object({ filename: z.string().max(255).optional() }), consumes: ['multipart/form-data', ...RAW_UPLOAD_TYPES] };

  // Own scope: multipart parsing and the raw-file content types apply to these routes only.
  await app.register(async (scope) => {
    const api = scope.withTypeProvider<ZodTypeProvider>();
    await api.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, parts: 20 }, throwFileSizeLimit: true });
    api.addContentTypeParser(RAW_UPLOAD_TYPES, { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES }, (_req, body, done) => done(null, body));
    api.setErrorHandler((error: FastifyError) => {
      // a raw body over the limit is refused before the handler runs; thrown errors go on to the app's handler
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
      throw error;
    });

    api.post(
      '/api/work-orders/import',
      {
        config: { permission: 'orders:write' },
        bodyLimit: MAX_UPLOAD_BYTES,
        schema: {
          tags,
          summary: 'Import work orders from an .xlsx workbook or a CSV file (multipart file field, or the file as the raw body)',
          ...importSchema,
          response: { 200: importResultSchema },
        },
      },
      async (req): Promise<ImportResult> => {
        const upload = await readUpload(req, req.query.filename);
        const parsed = await parseWorkOrderFile(upload.bytes, { products: await plantRepo.listProducts(db), fileName: upload.fileName, locale });
        const result = await service.importWorkOrders(ctx, whoOf(req), parsed.rows, upload.fileName ? `'${upload.fileName}'` : undefined);
        if (result.imported.length > 0) events.publish({ topic: 'schedule', data: { imported: result.imported } });
        // parse errors and "already exists" come from two passes; the user reads them in row order
        const errors = [...parsed.errors, ...result.errors].sort((a, b) => a.row - b.row);
        return { imported: result.imported.length, errors };
      },
    );

    api.post(
      '/api/work-orders/import/preview',
      {
        config: { permission: 'orders:write' },
        bodyLimit: MAX_UPLOAD_BYTES,
        schema: {
          tags,
          summary: 'What importing this file would create, row by row with the errors of each row; writes nothing (send the file to /import to commit)',
          ...importSchema,
          response: { 200: importPreviewSchema },
        },
      },
      async (req): Promise<ImportPreview> => {
        const upload = await readUpload(req, req.query.filename);
        const products = await plantRepo.listProducts(db);
        const parsed = await parseWorkOrderFile(upload.bytes, { products, fileName: upload.fileName, locale });
        return previewWorkOrderImport(db, parsed, products, upload.fileName ?? null);
      },
    );

    api.get('/api/work-orders/template.xlsx', { config: { permission: 'plant:read' }, schema: { tags, summary: 'The .xlsx template for importing work orders' } }, async (_req, reply) => {
      const [products, groups] = await Promise.all([plantRepo.listProducts(db), plantRepo.listGroups(db)]);
      const bytes = await workOrderTemplate(products, new Map(groups.map((g) => [g.key, g.name])), plantToday());
      return reply.header('content-type', XLSX_MIME).header('content-disposition', attachment('qmfg-work-orders-template.xlsx')).send(bytes);
    });

    const exportRoute = (extension: 'xlsx' | 'csv') =>
      api.get(
        `/api/work-orders/export.${extension}`,
        { config: { permission: 'plant:read' }, schema: { tags, summary: `Work orders (same filters as the list) as ${extension === 'xlsx' ? 'an .xlsx workbook' : 'CSV'}`, querystring: exportQuery } },
        async (req, reply) => {
          const file = await tableFile(await workOrderExport(db, config.QMFG_TZ, req.query), extension, config.QMFG_TZ);
          const fileName = `qmfg-work-orders-${plantToday()}.${extension}`;
          return reply.header('content-disposition', attachment(fileName)).header('cache-control', 'no-store').header('content-type', file.contentType).send(file.body);
        },
      );
    exportRoute('xlsx');
    exportRoute('csv');
  });
}
