// The lot record (eDHR) of a big lot: lot 159159, which ran three days on Line 7 (the real camera
// logs of 10–12 Oct 2022 in shared/data, ingested through the ingest path from where they lie: ~150 000
// cycles and ~800 stops), with operators' reasons on 300 stops (30 of them overridden),
// the QC gate signed, kitted and closed. Timed: assembling the record (every section, through the
// owning features) and rendering it to PDF. Baseline in the same run, alternating with the assembly:
// the stop list of the lot's run alone (the biggest read the record makes), so a noisy machine shows
// as both figures moving.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAuthTestApp, createTestUser, injectAs, signIn } from '../src/testing/auth.js';
import { ingestorFor } from '../src/features/machine-data/ingest.js';
import { fileSource } from '../src/features/machine-data/sources.js';
import { listStops } from '../src/features/oee/service.js';
import { setStopReasons } from '../src/features/operator-input/stop-reasons.js';
import * as ordersRepo from '../src/features/orders/repository.js';
import * as derivedRepo from '../src/features/machine-data/derived-repository.js';
import { SIGNED_CONTENT } from '../src/server/signed-records.js';
import { assembleLotRecord, exportOf } from '../src/features/lot-record/assemble.js';
import { lotRecordPdf } from '../src/features/lot-record/pdf.js';
import { readLotBasis } from '../src/features/lot-record/basis.js';
import { LOT_RECORD_SECTIONS } from '../src/features/lot-record/sections.js';
import { alternate, sample, timeIt, type Figure } from './lib.js';

const SENSORS = fileURLToPath(new URL('../../shared/data/sensors/Line7/', import.meta.url));
const DAYS = ['PR20221010.txt', 'PR20221011.txt', 'PR20221012.txt'];
const ZONE = 'America/Los_Angeles';
const LOT = '159159';

export default async function lotRecordBench(): Promise<Figure[]> {
  const t = await createAuthTestApp('sqlite', 'bench-lot-record', { QMFG_TZ: ZONE });
  try {
    const db = t.database.db;
    const must = async (options: Parameters<typeof t.inject>[0]) => {
      const res = await t.inject(options);
      if (res.statusCode >= 300) throw new Error(`${options.method} ${options.url}: ${res.statusCode} ${res.body}`);
      return res;
    };
    await must({ method: 'POST', url: '/api/work-orders', payload: { lot: LOT, product: 'flu-ab', quantity: 140_000 } });
    await must({ method: 'POST', url: `/api/work-orders/${LOT}/operations/0/load`, payload: { machine: 'line7', mode: 'append' } });
    const ingestor = ingestorFor(db, ZONE);
    for (const day of DAYS) await ingestor.ingest({ machine: 'line7', source: fileSource(join(SENSORS, day)), kind: 'file', final: true });
    const pouch = (await ordersRepo.listOperations(db, [LOT]))[0];
    if (pouch.actual_start === null) throw new Error('the lot has no machine data: the fixture is wrong');
    // the lot's run on the line: its first to its last cycle (then the line went on with lot 159053)
    const [counts] = await derivedRepo.getLotCounts(db, 'line7', [LOT]);
    const runFrom = counts.firstAt;
    const windowEnd = counts.lastAt;
    const stops = (await listStops(db, ZONE, { machine: 'line7', from: runFrom, to: windowEnd }, windowEnd)).stops;
    const long = stops.filter((s) => s.seconds >= 60).slice(0, 300);
    const who = { actor: t.admin.username, source: 'bench' };
    for (const [i, stop] of long.entries()) {
      await setStopReasons(db, who, ZONE, 'line7', stop.startMs, [{ reason: i % 2 ? 'pocket-jam' : 'film-splice' }], stop.endMs + 60_000);
      if (i % 10 === 0) await setStopReasons(db, { ...who, reason: 'corrected at review' }, ZONE, 'line7', stop.startMs, [{ reason: 'sealer-jam' }], stop.endMs + 120_000);
    }
    if (pouch.state !== 'done') await must({ method: 'POST', url: `/api/work-orders/${LOT}/operations/0/close`, payload: { reason: 'pouched' } });
    const quality = await createTestUser(db, 'quality', { displayName: 'Quinn Quality' });
    const asQuality = injectAs(t.app.inject.bind(t.app), await signIn(t.app.inject.bind(t.app), quality));
    const gate = await asQuality({ method: 'POST', url: `/api/work-orders/${LOT}/operations/0/gate`, payload: { signature: { password: quality.password, meaning: 'released' } } });
    if (gate.statusCode !== 200) throw new Error(`gate: ${gate.body}`);
    await must({ method: 'POST', url: `/api/work-orders/${LOT}/operations/1/load`, payload: { machine: 'kit1', mode: 'append' } });
    await must({ method: 'POST', url: `/api/work-orders/${LOT}/close`, payload: { reason: 'kitted' } });

    const ctx = { db, zone: ZONE, signedContent: SIGNED_CONTENT, now: Date.now() };
    let stopRows = 0;
    let flagged = 0;
    const assemble = async () => {
      const content = await assembleLotRecord(ctx, LOT);
      stopRows = content.sections.find((s) => s.key === 'stops')!.tables[0].rows.length;
      flagged = content.sections.find((s) => s.key === 'changes-after-entry')!.tables[0].rows.length;
      return content;
    };
    const stopList = () => listStops(db, ZONE, { machine: 'line7', from: runFrom, to: windowEnd }, ctx.now);
    const [baseline, assembly] = await alternate([stopList, assemble], 10, 2);
    // where the time goes: each section's read on a fresh basis (the memoised reads fall on the first section that asks)
    const basis = await readLotBasis(ctx, LOT);
    const perSection: string[] = [];
    for (const section of LOT_RECORD_SECTIONS) perSection.push(`${section.key} ${(await timeIt(() => section.read(ctx, basis))).ms.toFixed(1)}`);
    process.stderr.write(`lot-record bench: section reads (ms): ${perSection.join(', ')}\n`);
    const record = exportOf(await assemble(), Date.now());
    let pages = 0;
    let bytes = 0;
    const pdf = await sample(async () => {
      const file = await lotRecordPdf(record);
      bytes = file.length;
      pages = (file.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
    }, 5, 1);
    if (stopRows < 500) throw new Error(`only ${stopRows} stops in the record: the fixture is wrong`);
    const hours = ((windowEnd - runFrom) / 3_600_000).toFixed(0);
    process.stderr.write(`lot-record bench: lot ${LOT} ${hours} h on line7, ${stopRows} stops (${flagged} flagged); baseline stop list median ${baseline.median.toFixed(1)} ms; assembly median ${assembly.median.toFixed(1)} ms (p95 ${assembly.p95.toFixed(1)}); PDF ${pages} pages ${(bytes / 1024).toFixed(0)} KiB median ${pdf.median.toFixed(0)} ms\n`);
    return [
      { name: `lot record: assembly, lot of ${hours} h with ${stopRows} stops (median)`, value: assembly.median, unit: 'ms', target: 200 },
      { name: 'lot record: baseline — the stop list of the same run (median)', value: baseline.median, unit: 'ms', target: 200 },
      { name: `lot record: PDF, ${pages} pages (median)`, value: pdf.median, unit: 'ms', target: 2000 },
    ];
  } finally {
    await t.close();
  }
}
