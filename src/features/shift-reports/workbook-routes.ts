// The operator report as a spreadsheet over HTTP: the prefilled template of a shift or an ISO week
// (GET …/template.xlsx) and its upload (POST …/upload, one .xlsx as multipart), row by row.
import multipart from '@fastify/multipart';
import type { FastifyError } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Invalid, TooLarge } from '../../core/errors.js';
import { exactInstantSchema } from '../machine-data/window-query.js';
import type { App, AppDeps } from '../../server/context.js';
import { whoOf } from '../../server/context.js';
import { keySchema } from '../plant/schemas.js';
import { attachment, XLSX_MIME } from '../../shared/table-export.js';
import { workbookImportResultSchema, type WorkbookImportResult } from './schemas.js';
import { shiftSheetData, shiftsToCover, shiftTemplate } from './workbook.js';
import { importShiftWorkbook } from './workbook-import.js';

/** A week of one line is a few hundred rows: 5 MB is far beyond any real shift sheet. */
export const MAX_SHEET_UPLOAD_BYTES = 5 * 1024 * 1024;
const tooLarge = () => new TooLarge(`the file is larger than ${MAX_SHEET_UPLOAD_BYTES / 1024 / 1024} MB; upload the shift sheet downloaded from qmfg`);

export async function shiftWorkbookRoutes(app: App, { db, config, events }: AppDeps): Promise<void> {
  const zone = config.QMFG_TZ;
  const tags = ['shift logs'];
  const params = z.object({ machine: keySchema });

  await app.register(async (scope) => {
    const api = scope.withTypeProvider<ZodTypeProvider>();
    await api.register(multipart, { limits: { fileSize: MAX_SHEET_UPLOAD_BYTES, files: 1, fields: 5, parts: 10 }, throwFileSizeLimit: true });
    api.setErrorHandler((error: FastifyError) => {
      if (error.code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
      throw error;
    });

    api.get(
      '/api/shift-logs/:machine/template.xlsx',
      {
        config: { permission: 'plant:read' },
        schema: {
          tags,
          summary: 'The shift sheet (.xlsx) of a line: one shift (`shift` = its start) or every shift of an ISO week (`week` = 2022-W41), prefilled with what is entered, with dropdowns',
          params,
          querystring: z.object({ shift: exactInstantSchema(zone, "the shift's start").optional(), week: z.string().trim().min(1).max(10).optional() }),
        },
      },
      async (req, reply) => {
        const shifts = await shiftsToCover(db, zone, { shiftStart: req.query.shift, isoWeek: req.query.week });
        const data = await shiftSheetData(db, zone, config.QMFG_REASON_PROMPT_SECONDS, req.params.machine, shifts);
        const bytes = await shiftTemplate(data, zone, Date.now());
        const name = req.query.week ? `qmfg-${req.params.machine}-${req.query.week}.xlsx` : `qmfg-${req.params.machine}-${shifts[0].label.slice(0, 16).replace(/[^0-9]+/g, '')}.xlsx`;
        return reply.header('content-type', XLSX_MIME).header('content-disposition', attachment(name)).header('cache-control', 'no-store').send(bytes);
      },
    );

    api.post(
      '/api/shift-logs/:machine/upload',
      {
        config: { permission: 'production:report', lineScope: { machineParam: 'machine' } },
        bodyLimit: MAX_SHEET_UPLOAD_BYTES,
        schema: {
          tags,
          summary: 'Imports a filled shift sheet (multipart, one .xlsx): every row validated and stored through the same checks as the screen; each row comes back imported, unchanged, error or conflict',
          params,
          consumes: ['multipart/form-data'],
          response: { 200: workbookImportResultSchema },
        },
      },
      async (req): Promise<WorkbookImportResult> => {
        if (!req.isMultipart()) throw Invalid.field('file', 'send the shift sheet as multipart/form-data with one file');
        const part = await req.file();
        if (!part) throw Invalid.field('file', 'no file in the upload: choose the filled shift sheet');
        let bytes: Buffer;
        try {
          bytes = await part.toBuffer();
        } catch (error) {
          if ((error as FastifyError).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
          throw error;
        }
        const fileName = part.filename || 'the file';
        const outcome = await importShiftWorkbook({ db, zone, promptSeconds: config.QMFG_REASON_PROMPT_SECONDS, machine: req.params.machine, who: whoOf(req), fileName }, bytes);
        for (const shift of outcome.changedShifts) events.publish({ topic: 'shift-log', data: { machine: req.params.machine, shift } });
        if (outcome.changedStops.length > 0 || outcome.changedShifts.length > 0) events.publish({ topic: 'production', data: { machine: req.params.machine } });
        const { changedShifts: _shifts, changedStops: _stops, ...result } = outcome;
        return result;
      },
    );
  });
}
