// REST for the records of the plant as a reviewer reads them: the audit trail's filtered list (with
// the electronic signature an entry carries), its .xlsx/CSV export, the users found in it, the chain
// check, and the history of one record (a work order, a machine). The trail is written by every
// feature through audit/repository.ts; it is read here, at the top of the chain, because reading it
// needs users, the plant, signatures and exports.
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Executor } from '../../db/database.js';
import type { App, AppDeps } from '../../server/context.js';
import { NotFound } from '../../core/errors.js';
import * as authRepo from '../auth/repository.js';
import { can } from '../../core/permissions.js';
import { signatureQuery, signatureViewSchema, type SignatureView } from '../auth/schemas.js';
import { auditEntrySchema as entrySchema, auditQuery, auditVerificationSchema, verificationRunSchema, type AuditEntryView } from './schemas.js';
import { manifestation, signaturesOf, viewSignatures, type SignedContentReaders } from '../auth/signatures.js';
import * as plantRepo from '../plant/repository.js';
import * as ordersRepo from '../orders/repository.js';
import { lotParams } from '../orders/schemas.js';
import { attachment, tableFile, type ExportTable } from '../../shared/table-export.js';
import { actionLabel, describeChange, recordLabel, type DescribeContext } from '../audit/describe.js';
import { listActors, listAudit, type AuditEntry, type AuditFilter } from '../audit/repository.js';
import { verifyAndRecord } from '../audit/integrity.js';
import { installedAuditKeyring } from '../audit/keys.js';
import { listVerifications } from '../audit/verifications-repository.js';

/** Audit entries with the signatures recorded in the same transaction (linked by the entry's hash). */
export async function auditWithSignatures(readers: SignedContentReaders, db: Executor, filter: AuditFilter): Promise<AuditEntryView[]> {
  const entries = await listAudit(db, filter);
  const rows = await authRepo.listSignatures(db, { auditHashes: [...new Set(entries.map((e) => e.hash))] });
  const views = await viewSignatures(readers, db, rows);
  const byAudit = new Map<string, SignatureView>();
  rows.forEach((row, i) => byAudit.set(row.audit_hash, views[i]));
  return entries.map((e: AuditEntry) => ({ ...e, signature: byAudit.get(e.hash) ?? null }));
}

/**
 * The history of one record (a lot, a machine) for everyone who may see the record. The address a
 * change came from is the audit trail's business: only readers of the trail (`audit:read`) get it,
 * for the others it is blanked. Every history route answers through here.
 */
export async function recordHistory(readers: SignedContentReaders, db: Executor, reader: { role: string } | null, entity: string, entityKey: string): Promise<AuditEntryView[]> {
  const entries = await auditWithSignatures(readers, db, { entity, entityKey });
  return can(reader?.role, 'audit:read') ? entries : entries.map((entry) => ({ ...entry, source: null }));
}

/** Names of machines and products, so the change text says "Line 7", not "line7". */
export async function describeContext(db: Executor, zone: string): Promise<DescribeContext> {
  const [machines, products] = await Promise.all([plantRepo.listMachines(db), plantRepo.listProducts(db)]);
  return { zone, machineNames: new Map(machines.map((m) => [m.key, m.name])), productNames: new Map(products.map((p) => [p.key, p.name])) };
}

/**
 * The trail for a reviewer: plant time to the second with the zone, records and actions in words,
 * the change as "Field: before → after" lines (the audit page's text), and the raw before/after as
 * JSON in the last column for machines.
 */
export function auditExportTable(entries: AuditEntryView[], ctx: DescribeContext): ExportTable {
  return {
    columns: [
      { header: `When (plant time: ${ctx.zone})`, kind: 'timestamp', width: 24 },
      { header: 'User', kind: 'text', width: 16 },
      { header: 'Record type', kind: 'text', width: 14 },
      { header: 'Record', kind: 'text', width: 16 },
      { header: 'Action', kind: 'text', width: 22 },
      { header: 'Reason', kind: 'text', width: 30, wrap: true },
      { header: 'From', kind: 'text', width: 14 },
      { header: 'Change', kind: 'text', width: 60, wrap: true },
      { header: 'Electronic signature', kind: 'text', width: 50, wrap: true },
      { header: 'Entry hash', kind: 'text', width: 20 },
      { header: 'Change as data (JSON)', kind: 'text', width: 40 },
    ],
    rows: entries.map((e) => [
      new Date(e.at).toISOString(), e.actor, recordLabel(e.entity), e.entityKey, actionLabel(e.action), e.reason, e.source,
      describeChange(e, ctx).join('\n'),
      e.signature ? manifestation(e.signature) : null, e.hash,
      JSON.stringify({ entity: e.entity, action: e.action, before: e.before ?? null, after: e.after ?? null }),
    ]),
  };
}

/** What records is given where the app is assembled. */
export interface RecordRouteDeps {
  /** what a signature binds to, per kind of record: every signature shown is checked against it */
  signedContent: SignedContentReaders;
}

export async function recordRoutes(app: App, { db, config }: AppDeps, { signedContent }: RecordRouteDeps): Promise<void> {
  const tags = ['audit'];
  const audit = { permission: 'audit:read' as const };

  app.get('/api/audit', { config: audit, schema: { tags, querystring: auditQuery, response: { 200: z.array(entrySchema) } } }, (req) =>
    auditWithSignatures(signedContent, db, req.query),
  );
  app.get('/api/audit/actors', { config: audit, schema: { tags, response: { 200: z.array(z.string()) } } }, () => listActors(db));
  // the same walk as `qmfg audit verify` and the daily job (features/audit/verify.ts); the run is recorded as manual
  app.get(
    '/api/audit/verify',
    { config: audit, schema: { tags, summary: 'Verify the whole audit trail now (keys, chain, checkpoints) and record the run', response: { 200: auditVerificationSchema } } },
    (req) => verifyAndRecord(db, { keyring: installedAuditKeyring(), dataDir: config.QMFG_DATA_DIR, zone: config.QMFG_TZ, origin: 'manual', actor: req.user?.username ?? 'unknown' }),
  );
  app.get(
    '/api/audit/verifications',
    { config: audit, schema: { tags, summary: 'The last runs of the verification (daily job, start, manual, CLI), newest first', response: { 200: z.array(verificationRunSchema) } } },
    () => listVerifications(db, 10),
  );
  for (const extension of ['xlsx', 'csv'] as const) {
    app.get(
      `/api/audit/export.${extension}`,
      { config: audit, schema: { tags, summary: `The audit trail (same filters as the list) as ${extension === 'xlsx' ? 'an .xlsx workbook' : 'CSV'}`, querystring: auditQuery } },
      async (req, reply) => {
        const table = auditExportTable(await auditWithSignatures(signedContent, db, { ...req.query, limit: req.query.limit ?? 5000 }), await describeContext(db, config.QMFG_TZ));
        const fileName = `qmfg-audit-${DateTime.now().setZone(config.QMFG_TZ).toISODate()}.${extension}`;
        const file = await tableFile(table, extension, config.QMFG_TZ, 'Audit trail');
        return reply.header('content-disposition', attachment(fileName)).header('cache-control', 'no-store').header('content-type', file.contentType).send(file.body);
      },
    );
  }

  // the history of one record, for its page: a work order (by lot), a machine
  app.get('/api/work-orders/:lot/history', { config: { permission: 'plant:read' }, schema: { tags: ['work orders'], params: lotParams } }, async (req) => {
    if (!(await ordersRepo.getWorkOrder(db, req.params.lot))) throw new NotFound('work order', req.params.lot);
    return recordHistory(signedContent, db, req.user, 'work-order', req.params.lot);
  });
  app.get(
    '/api/machines/:key/history',
    { config: { permission: 'plant:read' }, schema: { tags: ['plant'], params: z.object({ key: z.string().min(1).max(64) }), response: { 200: z.array(entrySchema) } } },
    async (req) => {
      if (!(await plantRepo.getMachine(db, req.params.key))) throw new NotFound('machine', req.params.key);
      return recordHistory(signedContent, db, req.user, 'machine', req.params.key);
    },
  );

  // ---- signatures of a record, each checked against the record as it is now
  app.get(
    '/api/signatures',
    { config: { permission: 'plant:read' }, schema: { tags: ['signatures'], querystring: signatureQuery, response: { 200: z.array(signatureViewSchema) } } },
    (req) => signaturesOf(signedContent, db, req.query.entity, [req.query.key]),
  );
}
