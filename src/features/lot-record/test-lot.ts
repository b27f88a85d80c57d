// A lot for the lot-record tests, made through the API as people would: pouched on Line 7 (camera
// cycles with stops ingested), a stop's reason given and then overridden, the QC gate signed by a
// quality user, kitted on Kitting 1, the work order closed and signed, then edited (the closing
// signature no longer matches). Only tests import it.
import { DateTime } from 'luxon';
import { expect } from 'vitest';
import type { AuthTestApp, TestUser } from '../../testing/auth.js';
import { createTestUser, injectAs, signIn } from '../../testing/auth.js';
import { ingestorFor } from '../machine-data/ingest.js';
import { bufferSource } from '../machine-data/sources.js';

export const TEST_ZONE = 'America/Los_Angeles';

/** An hour of Line 7 on 10 Nov 2026 from 08:00 plant time, a part every 0.8 s, with a 2-minute and a 10-minute stop. */
export function cameraLog(lot: string, day = '2026-11-10'): { text: string; stopStarts: number[] } {
  const start = DateTime.fromISO(`${day}T08:00:00`, { zone: TEST_ZONE }).toMillis();
  const lines: string[] = [];
  const stopStarts: number[] = [];
  let at = start;
  let serial = 1000;
  while (at < start + 3_600_000) {
    lines.push(`1169100,${lot},${serial++},1,${DateTime.fromMillis(at, { zone: TEST_ZONE }).toFormat('MM/dd/yy HH:mm:ss.SSS')}`);
    const minute = (at - start) / 60_000;
    if (minute >= 20 && stopStarts.length === 0) {
      stopStarts.push(at);
      at += 120_000;
    } else if (minute >= 40 && stopStarts.length === 1) {
      stopStarts.push(at);
      at += 600_000;
    } else at += 800;
  }
  return { text: `${lines.join('\n')}\n`, stopStarts };
}

export interface TestLot {
  lot: string;
  quality: TestUser;
  /** the 10-minute stop: its reason was changed after it was first given */
  overriddenStop: number;
}

export async function makeTestLot(t: AuthTestApp, lot: string): Promise<TestLot> {
  const ok = async (options: Parameters<AuthTestApp['inject']>[0], status = 200) => {
    const res = await t.inject(options);
    expect(res.statusCode, `${options.method} ${options.url}: ${res.body}`).toBe(status);
    return res;
  };
  const quality = await createTestUser(t.database.db, 'quality', { displayName: 'Quinn Quality' });
  const asQuality = injectAs(t.app.inject.bind(t.app), await signIn(t.app.inject.bind(t.app), quality));
  await ok({ method: 'POST', url: '/api/work-orders', payload: { lot, product: 'flu-ab', quantity: 4000, notes: 'record test' } }, 201);
  await ok({ method: 'POST', url: `/api/work-orders/${lot}/operations/0/load`, payload: { machine: 'line7', mode: 'append' } });
  const log = cameraLog(lot);
  const ingested = await ingestorFor(t.database.db, TEST_ZONE).ingest({ machine: 'line7', source: bufferSource(`PR-${lot}.txt`, Buffer.from(log.text, 'latin1')), kind: 'file', final: true });
  expect(ingested.errors).toEqual([]);
  const [shortStop, longStop] = log.stopStarts;
  // the stop is (previous cycle, next cycle]: keyed by the cycle before the gap
  await ok({ method: 'PUT', url: `/api/stops/line7/${shortStop}`, payload: { reason: 'film-splice' } });
  await ok({ method: 'PUT', url: `/api/stops/line7/${longStop}`, payload: { reason: 'pocket-jam' } });
  await ok({ method: 'PUT', url: `/api/stops/line7/${longStop}`, payload: { reason: 'sealer-jam', changeReason: 'the sealer jammed, not the pockets' } });
  await ok({ method: 'POST', url: `/api/work-orders/${lot}/operations/0/close`, payload: { reason: 'lot pouched' } });
  // the release reviews the lot's audit-trail items (the overridden reason among them)
  const review = (await asQuality({ method: 'GET', url: `/api/work-orders/${lot}/operations/0/review` })).json() as { items: { id: string }[] };
  const gate = await asQuality({
    method: 'POST', url: `/api/work-orders/${lot}/operations/0/gate`,
    payload: { signature: { password: quality.password, meaning: 'released' }, review: { items: review.items.map((item) => ({ id: item.id, comment: 'seen' })) } },
  });
  expect(gate.statusCode, gate.body).toBe(200);
  await ok({ method: 'POST', url: `/api/work-orders/${lot}/operations/1/load`, payload: { machine: 'kit1', mode: 'append' } });
  const wo = (await ok({ method: 'GET', url: `/api/work-orders/${lot}` })).json();
  await ok({ method: 'POST', url: `/api/work-orders/${lot}/close`, payload: { version: wo.version, reason: 'kitted' } });
  return { lot, quality, overriddenStop: longStop };
}

/** Edits the work order's notes (a change after its closing signature). */
export async function editNotes(t: AuthTestApp, lot: string, notes: string): Promise<void> {
  const wo = (await t.inject({ method: 'GET', url: `/api/work-orders/${lot}` })).json();
  const res = await t.inject({ method: 'PATCH', url: `/api/work-orders/${lot}`, payload: { version: wo.version, notes, reason: 'note corrected after closing' } });
  expect(res.statusCode, res.body).toBe(200);
}
