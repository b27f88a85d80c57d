// Ingest of measurement files on all three databases: importing twice, a file that grows, a crash
// half-way (a batch's transaction that throws), a copy under another name and a late sample into a
// minute already summarised never duplicate or lose a sample, and the per-minute statistics stay
// exactly those of the stored samples.
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../testing/databases.js';
import { tempFolder } from '../../testing/machine-data.js';
import { seedDatabase } from '../demo/seed.js';
import { bufferSource, fileSource } from '../machine-data/sources.js';
import { minutesOf } from '../../core/measurements/index.js';
import { createChannel, ingestMeasurements, minuteStats, samplesInWindow } from './service.js';
import type { Channel } from './schemas.js';
import type { MeasurementDoor } from './ingest.js';

const ZONE = 'America/Los_Angeles';
const START = Date.UTC(2026, 11, 3, 14, 0, 0);
const ALL: [number, number] = [0, 8.64e15];
const door: MeasurementDoor = { who: { actor: 'test', source: 'test' }, action: 'import' };

/** CSV rows every second from `first` (values multiples of 0.25: their sums are exact in binary). */
function csvRows(first: number, count: number, header = true): string {
  const lines = header ? ['time,thickness,vacuum'] : [];
  for (let i = first; i < first + count; i++) lines.push(`${new Date(START + i * 1000).toISOString()},${0.25 * (i % 7)},${-60 - 0.25 * (i % 5)}`);
  return `${lines.join('\n')}\n`;
}

describe.each(DIALECTS)('measurement ingest on %s', (dialect) => {
  let t: TestDatabase;
  const folder = tempFolder('meas-ingest');
  const channels: Record<string, Channel> = {};
  const ctx = () => ({ db: t.db, zone: ZONE });
  const file = (machine: string, source: ReturnType<typeof bufferSource>, extra: object = {}) => ({ machine, source, final: true, origin: 'file' as const, ...extra });
  const count = async (machine: string) => {
    let total = 0;
    for (const key of ['thickness', 'vacuum']) total += (await samplesInWindow(t.db, channels[`${machine}/${key}`].id, ...ALL)).length;
    return total;
  };
  /** the stored minutes are exactly the statistics of the stored samples */
  const expectExactMinutes = async (machine: string) => {
    for (const key of ['thickness', 'vacuum']) {
      const id = channels[`${machine}/${key}`].id;
      expect(await minuteStats(t.db, id, ...ALL)).toEqual(minutesOf(await samplesInWindow(t.db, id, ...ALL)));
    }
  };

  beforeAll(async () => {
    t = await createTestDatabase(dialect, 'meas-ingest');
    await seedDatabase(t.db, t.config, true);
    for (const machine of ['line7', 'line8', 'line9']) {
      channels[`${machine}/thickness`] = await createChannel(t.db, door.who, machine, { key: 'thickness', name: 'Film thickness', quantity: 'thickness', unit: 'mm', target: 1, lsl: 0, usl: 2, samplePeriodSeconds: 1, source: { kind: 'upload' } });
      channels[`${machine}/vacuum`] = await createChannel(t.db, door.who, machine, { key: 'vacuum', name: 'Vacuum', quantity: 'pressure', unit: 'kPa', target: null, lsl: null, usl: null, samplePeriodSeconds: 1, source: { kind: 'upload' } });
    }
  }, 60_000);
  afterAll(async () => {
    await t?.destroy();
    folder.remove();
  });

  it('imports a file once: a second import and a copy under another name store nothing', async () => {
    const text = csvRows(0, 3000);
    const first = await ingestMeasurements(ctx(), [file('line7', bufferSource('m.csv', Buffer.from(text)), { batchSamples: 1000 })], door);
    expect(first[0]).toMatchObject({ stored: 6000, duplicates: 0, errorCount: 0, alreadyImported: false, channels: { thickness: 3000, vacuum: 3000 } });
    const again = await ingestMeasurements(ctx(), [file('line7', bufferSource('m.csv', Buffer.from(text)))], door);
    expect(again[0]).toMatchObject({ stored: 0, alreadyImported: true, fileId: first[0].fileId });
    const copy = await ingestMeasurements(ctx(), [file('line7', bufferSource('copy of m.csv', Buffer.from(text)))], door);
    expect(copy[0]).toMatchObject({ stored: 0, duplicates: 6000 });
    expect(await count('line7')).toBe(6000);
    await expectExactMinutes('line7');
  });

  it('continues a growing file where it stopped, and adds a late sample to a minute already summarised', async () => {
    const path = join(folder.path, `grow-${dialect}.csv`);
    // the last line has no line break yet: a file still being written
    writeFileSync(path, `${csvRows(0, 1000)}${new Date(START + 1000_000).toISOString()},0.`);
    const first = await ingestMeasurements(ctx(), [{ machine: 'line8', source: fileSource(path), final: false, origin: 'file' }], door);
    expect(first[0]).toMatchObject({ stored: 2000, errorCount: 0 });
    appendFileSync(path, `25,-60\n${csvRows(1001, 999, false)}`);
    const second = await ingestMeasurements(ctx(), [{ machine: 'line8', source: fileSource(path), final: true, origin: 'file' }], door);
    expect(second[0]).toMatchObject({ stored: 2000, duplicates: 0, errorCount: 0, skippedBytes: first[0].consumedBytes, fileId: first[0].fileId });
    expect(await count('line8')).toBe(4000);
    // a late file: one sample into the first (summarised) minute between two stored ones, one repeat
    const late = `time,thickness\n${new Date(START + 500).toISOString()},1.5\n${new Date(START).toISOString()},0\n`;
    const result = await ingestMeasurements(ctx(), [file('line8', bufferSource('late.csv', Buffer.from(late)))], door);
    expect(result[0]).toMatchObject({ stored: 1, duplicates: 1 });
    const [minute] = await minuteStats(t.db, channels['line8/thickness'].id, START, START + 60_000);
    expect(minute.n).toBe(61);
    await expectExactMinutes('line8');
  });

  it('loses and duplicates nothing when an import crashes half-way and is run again', async () => {
    const text = Buffer.from(csvRows(0, 5000));
    const crash = ingestMeasurements(
      ctx(),
      [file('line9', bufferSource('crash.csv', text), { batchSamples: 1000, onBatch: ({ index }: { index: number }) => { if (index === 3) throw new Error('power cut'); } })],
      door,
    );
    await expect(crash).rejects.toThrow('power cut');
    // batches 0–2 (≥ 1000 samples each, whole lines) were committed with their offset
    const stored = await count('line9');
    expect(stored).toBeGreaterThanOrEqual(3000);
    expect(stored).toBeLessThan(10_000);
    await expectExactMinutes('line9');
    const rerun = await ingestMeasurements(ctx(), [file('line9', bufferSource('crash.csv', text), { batchSamples: 1000 })], door);
    expect(rerun[0]).toMatchObject({ duplicates: 0, errorCount: 0 });
    expect(rerun[0].stored).toBe(10_000 - stored);
    expect(rerun[0].skippedBytes).toBeGreaterThan(0);
    expect(await count('line9')).toBe(10_000);
    await expectExactMinutes('line9');
  });

  it('reads a rewritten file again from the start (its consumed prefix changed), storing only what is new', async () => {
    const path = join(folder.path, `rewrite-${dialect}.csv`);
    writeFileSync(path, csvRows(200_000, 2000));
    await ingestMeasurements(ctx(), [{ machine: 'line7', source: fileSource(path, { name: 'rewrite.csv' }), final: true, origin: 'file' }], door);
    // same first 4 KB, a later line changed, and more rows
    const rows = csvRows(200_000, 2500).split('\n');
    rows[1500] = rows[1500].replace(/,[^,]*,/, ',1.75,');
    writeFileSync(path, rows.join('\n'));
    const again = await ingestMeasurements(ctx(), [{ machine: 'line7', source: fileSource(path, { name: 'rewrite.csv' }), final: true, origin: 'file' }], door);
    // the changed line's instant was stored already: it counts as a duplicate, the 500 new rows are stored
    expect(again[0]).toMatchObject({ skippedBytes: 0, stored: 1000, duplicates: 4000 });
    await expectExactMinutes('line7');
  });

  it('reports columns that match no channel and bad lines, keeping the good ones', async () => {
    const text = `time,thickness,humidity\n${new Date(START + 9e6).toISOString()},0.5,40\nyesterday,0.5,41\n`;
    const [result] = await ingestMeasurements(ctx(), [file('line7', bufferSource('odd.csv', Buffer.from(text)))], door);
    expect(result.stored).toBe(1);
    expect(result.errors.map((e) => [e.line, e.message.slice(0, 40)])).toEqual([
      [2, "column 'humidity' matches no channel of "],
      [3, "timestamp 'yesterday' does not match ISO"],
    ]);
  });
});
