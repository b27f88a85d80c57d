// REST for genealogy: a kit lot's consumption (read, record, clear), and the trace of a lot forward
// or backward as JSON and as .xlsx / CSV / JSON files. Reading is for everyone signed in; recording
// is a production report (operators for their own lines, leads anywhere).
import { DateTime } from 'luxon';
import type { App, AppDeps } from '../../server/context.js';
import { whoOf } from '../../server/context.js';
import { attachment, tableFile } from '../../shared/table-export.js';
import { LotBook } from './lots.js';
import { clearConsumption, getConsumption, recordConsumption, type GenealogyContext } from './service.js';
import { traceBackward, traceForward } from './trace.js';
import { traceTable } from './export.js';
import { consumptionDeleteQuery, consumptionSchema, consumptionUpdateSchema, genealogyLotParams, traceQuery, traceSchema } from './schemas.js';
import type { Executor } from '../../db/database.js';

/** The machine of the kit lot's consuming step, for an operator's line check. */
async function kitMachine(db: Executor, lot: string): Promise<string | null> {
  const book = await LotBook.open(db);
  await book.load([lot]);
  const info = book.info(lot);
  if (!info || info.consumingStep === null) return null;
  return info.operations.get(info.consumingStep)?.machine_key ?? null;
}

export async function genealogyRoutes(app: App, { db, config, events }: AppDeps): Promise<void> {
  const ctx: GenealogyContext = { db, zone: config.QMFG_TZ };
  const tags = ['genealogy'];
  const read = { permission: 'plant:read' as const };
  const report = { permission: 'production:report' as const, lineScope: { operationMachine: (params: Record<string, unknown>) => kitMachine(db, String(params.lot ?? '')) } };
  const changed = (lot: string) => events.publish({ topic: 'schedule', data: { lot } });
  const trace = (lot: string, direction: 'forward' | 'backward') => (direction === 'forward' ? traceForward : traceBackward)(db, lot, { zone: config.QMFG_TZ });

  app.get('/api/genealogy/:lot', { config: read, schema: { tags, summary: 'What a kit lot consumed (entered or derived) and what its output went into', params: genealogyLotParams, response: { 200: consumptionSchema } } }, (req) =>
    getConsumption(db, config.QMFG_TZ, req.params.lot),
  );
  app.put(
    '/api/genealogy/:lot',
    { config: report, schema: { tags, summary: 'Record the lots a kit lot consumed (replaces the derived link)', params: genealogyLotParams, body: consumptionUpdateSchema, response: { 200: consumptionSchema } } },
    async (req) => {
      const result = await recordConsumption(ctx, whoOf(req, req.body.reason), req.params.lot, req.body);
      changed(req.params.lot);
      return result;
    },
  );
  app.delete(
    '/api/genealogy/:lot',
    { config: report, schema: { tags, summary: 'Remove the entered consumption: the derived link applies again', params: genealogyLotParams, querystring: consumptionDeleteQuery, response: { 200: consumptionSchema } } },
    async (req) => {
      const result = await clearConsumption(ctx, whoOf(req), req.params.lot, req.query.version);
      changed(req.params.lot);
      return result;
    },
  );
  app.get('/api/genealogy/:lot/trace', { config: read, schema: { tags, summary: 'Trace a lot forward (where it went) or backward (what is in it), at every depth', params: genealogyLotParams, querystring: traceQuery, response: { 200: traceSchema } } }, (req) =>
    trace(req.params.lot, req.query.direction),
  );
  for (const extension of ['xlsx', 'csv', 'json'] as const) {
    app.get(
      `/api/genealogy/:lot/trace.${extension}`,
      { config: read, schema: { tags, summary: `The trace as ${extension === 'xlsx' ? 'an .xlsx workbook' : extension.toUpperCase()} (times with zone offset)`, params: genealogyLotParams, querystring: traceQuery } },
      async (req, reply) => {
        const result = await trace(req.params.lot, req.query.direction);
        const day = DateTime.now().setZone(config.QMFG_TZ).toISODate();
        const fileName = `qmfg-trace-${req.params.lot.replace(/[^A-Za-z0-9._-]/g, '_')}-${req.query.direction}-${day}.${extension}`;
        reply.header('content-disposition', attachment(fileName)).header('cache-control', 'no-store');
        if (extension === 'json') return reply.header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(result, null, 2));
        const file = await tableFile(traceTable(result), extension, config.QMFG_TZ, `Trace ${result.direction}`);
        return reply.header('content-type', file.contentType).send(file.body);
      },
    );
  }
}
