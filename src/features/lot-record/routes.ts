// REST for a lot's record (eDHR): the record as JSON for the page, and its exports — PDF, .xlsx and
// JSON — carrying one content hash. Readable with plant:read: the people who open a work order (leads,
// planners, quality) review its record; the one part of the audit trail that is audit:read's business
// (the address a change came from) is not in the record, so the content, and its hash, is the same
// whoever exports it.
import { DateTime } from 'luxon';
import type { App, AppDeps } from '../../server/context.js';
import type { SignedContentReaders } from '../auth/signatures.js';
import { attachment, XLSX_MIME } from '../../shared/table-export.js';
import { lotParams } from '../orders/schemas.js';
import { lotRecordExport } from './assemble.js';
import { lotRecordPdf } from './pdf.js';
import { lotRecordXlsx } from './xlsx.js';
import { lotRecordExportSchema } from './schemas.js';

export interface LotRecordRouteDeps {
  /** what a signature binds to, per kind of record: every signature in the record is checked against it */
  signedContent: SignedContentReaders;
}

export async function lotRecordRoutes(app: App, { db, config }: AppDeps, { signedContent }: LotRecordRouteDeps): Promise<void> {
  const tags = ['work orders'];
  const access = { permission: 'plant:read' as const };
  const build = (lot: string) => lotRecordExport({ db, zone: config.QMFG_TZ, signedContent, now: Date.now() }, lot);
  const fileName = (lot: string, extension: string) => `lot-record-${lot.replace(/[^A-Za-z0-9._-]/g, '_')}-${DateTime.now().setZone(config.QMFG_TZ).toFormat('yyyyMMdd-HHmmss')}.${extension}`;

  app.get('/api/work-orders/:lot/record', { config: access, schema: { tags, summary: 'The lot record (eDHR): content and its SHA-256', params: lotParams, response: { 200: lotRecordExportSchema } } }, (req) =>
    build(req.params.lot),
  );
  app.get('/api/work-orders/:lot/record.json', { config: access, schema: { tags, summary: 'The lot record as a JSON file', params: lotParams } }, async (req, reply) => {
    const record = await build(req.params.lot);
    return reply.header('content-disposition', attachment(fileName(req.params.lot, 'json'))).header('cache-control', 'no-store').header('content-type', 'application/json; charset=utf-8').send(`${JSON.stringify(record, null, 2)}\n`);
  });
  app.get('/api/work-orders/:lot/record.pdf', { config: access, schema: { tags, summary: 'The lot record as PDF (hash in footer and metadata)', params: lotParams } }, async (req, reply) => {
    const pdf = await lotRecordPdf(await build(req.params.lot));
    return reply.header('content-disposition', attachment(fileName(req.params.lot, 'pdf'))).header('cache-control', 'no-store').header('content-type', 'application/pdf').send(pdf);
  });
  app.get('/api/work-orders/:lot/record.xlsx', { config: access, schema: { tags, summary: 'The lot record as a protected .xlsx (filter and sort allowed)', params: lotParams } }, async (req, reply) => {
    const xlsx = await lotRecordXlsx(await build(req.params.lot));
    return reply.header('content-disposition', attachment(fileName(req.params.lot, 'xlsx'))).header('cache-control', 'no-store').header('content-type', XLSX_MIME).send(xlsx);
  });
}
