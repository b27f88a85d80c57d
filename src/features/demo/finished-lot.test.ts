// The demo's finished lot: pouched with camera cycles and stops, a stop reason corrected after entry,
// QC released by the quality user, kitted and closed with the lead's signature — and its lot record
// shows all of it, every signature valid. Seeded once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthTestApp, createTestUser, type AuthTestApp } from '../../testing/auth.js';
import { SIGNED_CONTENT } from '../../server/signed-records.js';
import { assembleLotRecord } from '../lot-record/assemble.js';
import type { LotRecordContent } from '../lot-record/schemas.js';
import { FINISHED_LOT, seedFinishedLot } from './finished-lot.js';

const rowsOf = (content: LotRecordContent, section: string) => content.sections.find((s) => s.key === section)!.tables[0];

describe('demo finished lot', () => {
  let t: AuthTestApp;
  const zone = 'America/Los_Angeles';
  beforeAll(async () => {
    t = await createAuthTestApp('sqlite', 'finished-lot');
  });
  afterAll(async () => t?.close());

  it('is left out while there is no quality and lead user to sign it', async () => {
    expect(await seedFinishedLot(t.database.db, zone, Date.now())).toBe(false);
  });

  it('went pouching → QC release → kitting, closed and signed, with cycles, stops and a corrected reason', async () => {
    await createTestUser(t.database.db, 'quality', { displayName: 'Quinn Quality' });
    await createTestUser(t.database.db, 'lead', { displayName: 'Lena Lead' });
    const now = Date.now();
    expect(await seedFinishedLot(t.database.db, zone, now)).toBe(true);
    expect(await seedFinishedLot(t.database.db, zone, now)).toBe(false);
    const content = await assembleLotRecord({ db: t.database.db, zone, signedContent: SIGNED_CONTENT, now }, FINISHED_LOT);
    const ops = rowsOf(content, 'operations');
    expect(ops.rows.map((r) => r[3])).toEqual(['done', 'done']);
    expect(ops.rows[0][6] as number).toBeGreaterThan(10_000);
    const stops = rowsOf(content, 'stops');
    expect(stops.rows.length).toBeGreaterThan(20);
    expect(stops.rows.filter((r) => r[11] !== null)).toHaveLength(1);
    const gates = rowsOf(content, 'gates');
    expect(gates.rows[0].slice(1, 7)).toEqual(['QC release', 'quality', expect.any(String), 'Quinn Quality', 'released', 'valid']);
    const signatures = rowsOf(content, 'signatures');
    expect(signatures.rows.map((r) => [r[2], r[6], r[8]])).toEqual([['Quinn Quality', 'released', 'valid'], ['Lena Lead', 'approved', 'valid']]);
    const oee = rowsOf(content, 'oee');
    expect(oee.rows[0][11] as number).toBeGreaterThan(0);
  });
});
