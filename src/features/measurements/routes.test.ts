// Measurement channels over HTTP (fastify.inject) on all three databases: CRUD with 400 field
// paths, 404, 409 on a stale version and on a machine that still has channels; uploads of LVM and
// CSV files (stored, duplicates, errors with file:line); the series as raw samples and as buckets.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { DIALECTS } from '../../testing/databases.js';
import { multipartFiles } from '../../testing/machine-data.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../core/measurements/fixtures', name));
const thickness = { key: 'thickness', name: 'Film thickness', quantity: 'thickness', unit: 'mm', target: 0.125, lsl: 0.1, usl: 0.15, samplePeriodSeconds: 1, source: { kind: 'upload', fileName: 'Thickness' } };

describe.each(DIALECTS)('measurement routes on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, 'meas-routes');
  }, 60_000);
  afterAll(async () => t?.close());

  const inject = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) => t.app.inject({ method, url, ...(payload ? { payload } : {}) });
  const paths = (res: { json(): { error: { fields?: { path: string }[] } } }) => (res.json().error.fields ?? []).map((f) => f.path);

  it('creates, reads, replaces and deletes a channel, audited; a viewer only reads', async () => {
    const created = await inject('POST', '/api/machines/line7/channels', thickness);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ machine: 'line7', key: 'thickness', unit: 'mm', version: 1, source: { kind: 'upload', fileName: 'Thickness' } });
    expect((await inject('POST', '/api/machines/line7/channels', thickness)).statusCode).toBe(409);
    const { inject: viewer } = await t.as('viewer');
    expect((await viewer('/api/machines/line7/channels')).json().map((c: { key: string }) => c.key)).toEqual(['thickness']);
    expect((await viewer({ method: 'POST', url: '/api/machines/line7/channels', payload: { ...thickness, key: 'other' } })).statusCode).toBe(403);

    const { key: _key, ...fields } = thickness;
    const updated = await inject('PUT', '/api/machines/line7/channels/thickness', { ...fields, name: 'Film thickness (gauge 2)', version: 1 });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json()).toMatchObject({ name: 'Film thickness (gauge 2)', version: 2 });
    const stale = await inject('PUT', '/api/machines/line7/channels/thickness', { ...fields, version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('stale_version');

    await inject('POST', '/api/machines/line7/channels', { ...thickness, key: 'spare', source: { kind: 'mqtt' } });
    expect((await inject('DELETE', '/api/machines/line7/channels/spare')).statusCode).toBe(400);
    const deleted = await inject('DELETE', '/api/machines/line7/channels/spare', { reason: 'gauge removed' });
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect((await inject('GET', '/api/machines/line7/channels/spare')).statusCode).toBe(404);
    const trail = await t.database.db.selectFrom('audit_log').select(['action', 'entity_key']).where('entity', '=', 'measurement-channel').orderBy('id').execute();
    expect(trail.map((e) => [e.action, e.entity_key])).toEqual([['create', 'line7/thickness'], ['update', 'line7/thickness'], ['create', 'line7/spare'], ['delete', 'line7/spare']]);
  });

  it('answers bad input with 400 and field paths, unknown machines and channels with 404', async () => {
    const bad = await inject('POST', '/api/machines/line7/channels', { ...thickness, key: 'bad', samplePeriodSeconds: -1, lsl: 2, usl: 1, unit: 'furlong' });
    expect(bad.statusCode).toBe(400);
    expect(paths(bad)).toEqual(expect.arrayContaining(['body.samplePeriodSeconds', 'body.unit']));
    const limits = await inject('POST', '/api/machines/line7/channels', { ...thickness, key: 'bad', lsl: 2, usl: 2, target: null });
    expect(limits.statusCode).toBe(400);
    expect(paths(limits)).toEqual(['body.usl']);
    expect((await inject('POST', '/api/machines/nope/channels', { ...thickness, key: 'x' })).statusCode).toBe(404);
    expect((await inject('GET', '/api/machines/nope/channels')).statusCode).toBe(404);
    expect((await inject('GET', '/api/machines/line7/channels/nope')).statusCode).toBe(404);
    const series = await inject('GET', '/api/machines/line7/channels/thickness/series?from=10&to=5&bucket=2x');
    expect(series.statusCode).toBe(400);
    expect(paths(series)).toEqual(expect.arrayContaining(['query.bucket']));
    // a year of raw 1 s samples, or of 1-minute buckets, is more than one answer carries
    const year = `from=0&to=${365 * 86_400_000}`;
    for (const bucket of ['raw', '1m']) {
      const tooMany = await inject('GET', `/api/machines/line7/channels/thickness/series?${year}&bucket=${bucket}`);
      expect(tooMany.statusCode, bucket).toBe(400);
      expect(paths(tooMany)).toEqual(['query.bucket']);
    }
  });

  it('uploads LVM and CSV files: stored, duplicates on a re-upload, bad lines with file:line', async () => {
    await inject('POST', '/api/machines/line8/channels', { ...thickness, key: 'thickness' });
    await inject('POST', '/api/machines/line8/channels', { ...thickness, key: 'seal-temp', name: 'Seal temperature', quantity: 'temperature', unit: '°C', target: null, lsl: 170, usl: 190, source: { kind: 'upload' } });
    const csv = Buffer.from('time,seal-temp\n2026-12-03T06:01:00,181\nnot-a-time,182\n2026-12-03T06:01:02,183\n');
    const upload = () => t.app.inject({ method: 'POST', url: '/api/machines/line8/channels/measurements', ...multipartFiles([{ name: 'relative-two-channels.lvm', content: fixture('relative-two-channels.lvm') }, { name: 'temps.csv', content: csv }]) });
    const first = await upload();
    expect(first.statusCode, first.body).toBe(200);
    const [lvm, table] = first.json().files;
    expect(lvm).toMatchObject({ file: 'relative-two-channels.lvm', format: 'lvm', stored: 6, errorCount: 0, channels: { thickness: 3, 'seal-temp': 3 } });
    expect(table).toMatchObject({ file: 'temps.csv', format: 'csv', stored: 2, errorCount: 1 });
    expect(table.errors).toEqual([{ file: 'temps.csv', line: 3, message: expect.stringContaining("timestamp 'not-a-time'") }]);
    const again = (await upload()).json().files;
    expect(again.map((f: { stored: number; alreadyImported: boolean }) => [f.stored, f.alreadyImported])).toEqual([[0, true], [0, true]]);
    const renamed = await t.app.inject({ method: 'POST', url: '/api/machines/line8/channels/measurements?channel=seal-temp', ...multipartFiles([{ name: 'temps-copy.csv', content: csv }]) });
    expect(renamed.json().files[0]).toMatchObject({ stored: 0, duplicates: 2 });
    const refused = await t.app.inject({ method: 'POST', url: '/api/machines/line8/channels/measurements', ...multipartFiles([{ name: 'photo.png', content: Buffer.from('x') }]) });
    expect(refused.statusCode).toBe(400);
    const badMapping = await t.app.inject({ method: 'POST', url: `/api/machines/line8/channels/measurements?mapping=${encodeURIComponent('{"decimal":","')}`, ...multipartFiles([{ name: 'a.csv', content: csv }]) });
    expect(badMapping.statusCode).toBe(400);
    expect(paths(badMapping)).toEqual(['query.mapping']);
  });

  it('serves a channel as raw samples for a small window and as buckets from the minutes for a large one', async () => {
    // 2026-12-03 06:00 Pacific = 14:00 UTC
    const from = Date.UTC(2026, 11, 3, 14, 0);
    const raw = (await inject('GET', `/api/machines/line8/channels/seal-temp/series?from=${from}&to=${from + 300_000}`)).json();
    expect(raw).toMatchObject({ bucketMs: null, buckets: [] });
    expect(raw.samples.map((s: { value: number }) => s.value)).toEqual([180.1, 180.3, 180.2, 181, 183]);
    const day = (await inject('GET', `/api/machines/line8/channels/seal-temp/series?from=${from}&to=${from + 86_400_000}`)).json();
    expect(day.bucketMs).toBe(300_000);
    expect(day.buckets).toHaveLength(1);
    expect(day.buckets[0]).toMatchObject({ start: from, n: 5, min: 180.1, max: 183 });
    expect(day.buckets[0].mean).toBeCloseTo((180.1 + 180.3 + 180.2 + 181 + 183) / 5, 9);
    const minutes = (await inject('GET', `/api/machines/line8/channels/seal-temp/series?from=${from}&to=${from + 600_000}&bucket=1m`)).json();
    expect(minutes.buckets.map((b: { start: number; n: number }) => [b.start - from, b.n])).toEqual([[0, 3], [60_000, 2]]);
    expect(minutes.buckets[1].sd).toBeCloseTo(Math.SQRT2, 9);
  });

  it('keeps a machine with channels from being deleted', async () => {
    const machine = (await inject('GET', '/api/machines/line8')).json();
    const res = await inject('DELETE', `/api/machines/line8?version=${machine.version}`, { reason: 'scrapped' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain('measurement channels');
  });
});
