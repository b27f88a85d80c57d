// REST for the operator screen (/api/operator/:machine) and the shift reports built on it.
import { z } from 'zod';
import type { App, AppDeps } from '../../server/context.js';
import { keySchema } from '../plant/schemas.js';
import { signaturesOf, type SignedContentReaders } from '../auth/signatures.js';
import { SHIFT_LOG_ENTITY, shiftLogKey } from '../operator-input/shift-log.js';
import { operatorView } from './operator-view.js';
import { operatorViewSchema } from './schemas.js';
import { Invalid } from '../../core/errors.js';
import { exactInstantSchema, machineListSchema } from '../machine-data/window-query.js';
import * as plantRepo from '../plant/repository.js';
import { attachment, XLSX_MIME } from '../../shared/table-export.js';
import { shiftReport, weekReport } from './report.js';
import { shiftReportXlsx, weekReportXlsx } from './report-files.js';
import { shiftReportSchema, weekReportSchema } from './report-schemas.js';

export interface ShiftReportOptions {
  signedContent: SignedContentReaders;
}

export async function shiftReportRoutes(app: App, { db, config }: AppDeps, options: ShiftReportOptions): Promise<void> {
  const zone = config.QMFG_TZ;
  const signatures = (machine: string, shiftStart: number) => signaturesOf(options.signedContent, db, SHIFT_LOG_ENTITY, [shiftLogKey(machine, shiftStart)]);
  app.get(
    '/api/operator/:machine',
    {
      config: { permission: 'plant:read' },
      schema: {
        tags: ['shift logs'],
        description: 'Everything the operator screen shows for a line: the shift (the one running now, or `shift` = its start), current and next job, counts so far, stops that need a reason, the shift log, the previous shift\'s handover, the reason tree, lots and people.',
        params: z.object({ machine: keySchema }),
        querystring: z.object({ shift: exactInstantSchema(zone, "the shift's start").optional() }),
        response: { 200: operatorViewSchema },
      },
    },
    async (req) => operatorView(db, req.params.machine, { zone, promptSeconds: config.QMFG_REASON_PROMPT_SECONDS, shiftStart: req.query.shift, signatures }),
  );

  // ---- reports: JSON for the printable page, .xlsx with format=xlsx
  const reportOptions = { zone, promptSeconds: config.QMFG_REASON_PROMPT_SECONDS, signatures };
  const format = z.enum(['json', 'xlsx']).default('json');
  app.get(
    '/api/reports/shift/:machine/:shift',
    {
      config: { permission: 'plant:read' },
      schema: {
        tags: ['reports'],
        description: 'The shift report of a line: counts, OEE, loss waterfall and reasons, stops, scrap, crew, notes, reconciliation and signatures (format=xlsx: the workbook).',
        params: z.object({ machine: keySchema, shift: exactInstantSchema(zone, "the shift's start") }),
        querystring: z.object({ format }),
        response: { 200: shiftReportSchema },
      },
    },
    async (req, reply) => {
      const start = req.params.shift;
      const report = await shiftReport(db, req.params.machine, start, reportOptions);
      if (req.query.format === 'xlsx') {
        const day = report.shift.label.replace(/[^0-9-]+/g, '-').replace(/-+$/, '');
        return reply.type(XLSX_MIME).header('content-disposition', attachment(`shift-report-${report.machine.key}-${day}.xlsx`)).send((await shiftReportXlsx(report, zone)) as never);
      }
      return report;
    },
  );
  app.get(
    '/api/reports/week',
    {
      config: { permission: 'plant:read' },
      schema: {
        tags: ['reports'],
        description: 'The weekly line report of machines (machine=a,b) or of a process group (group=…) for an ISO week: OEE per machine and day, losses, TEEP, labour, the shift reports (format=xlsx: the workbook).',
        querystring: z.object({ machine: machineListSchema.optional(), group: keySchema.optional(), week: z.string().trim().min(1).max(10), format }),
        response: { 200: weekReportSchema },
      },
    },
    async (req, reply) => {
      const machines = req.query.machine ?? (req.query.group ? (await plantRepo.listMachines(db, req.query.group)).map((m) => m.key) : []);
      if (req.query.group && machines.length === 0) throw Invalid.field('query.group', `process group '${req.query.group}' has no machines`);
      const report = await weekReport(db, machines, req.query.week, reportOptions);
      if (req.query.format === 'xlsx') return reply.type(XLSX_MIME).header('content-disposition', attachment(`line-report-${req.query.week}.xlsx`)).send((await weekReportXlsx(report, zone)) as never);
      return report;
    },
  );
}
