// OEE, stops, profiles, lots and upload through the real app (fastify.inject) on each database.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { DIALECTS } from '../../testing/databases.js';
import { computeOee, type OeeCycle, type OeeResult } from '../../core/oee/oee.js';
import { BUILTIN_PROFILES } from '../../core/oee/profiles.js';
import { workingIntervals } from '../../core/calendar/index.js';
import { parseSensorFile } from '../../testing/parse-file.js';
import { listAudit, verifyAuditChain } from '../audit/repository.js';
import { loadCalendarSpec } from '../calendar/repository.js';
import { LINE7_DAYS, LINE8_DAYS, ZONE } from '../../testing/machine-data.js';

function multipart(files: { name: string; content: Buffer }[]) {
  const boundary = `----qmfg${randomBytes(8).toString('hex')}`;
  const parts = files.map((file) =>
    Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/plain\r\n\r\n`),
      file.content,
      Buffer.from('\r\n'),
    ]),
  );
  return { payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const local = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();
/** What the API adds to a result (DESIGN §4): produced = parts − reworks, good = produced − rejects. */
const withUnits = (r: OeeResult) => ({ ...r, produced: r.parts - r.reworks, good: r.parts - r.reworks - r.rejects });

describe.each(DIALECTS)('OEE, stops and machine-data API on %s', (dialect) => {
  let t: TestApp;
  let raw: OeeCycle[];
  const published: string[] = [];
  const days = [LINE7_DAYS[2], LINE7_DAYS[3]];

  beforeAll(async () => {
    t = await createTestApp(dialect, 'oee_api');
    t.events.subscribe((event) => published.push(event.topic));
    raw = [];
    for (const day of days) for (const cycle of (await parseSensorFile(day, ZONE)).cycles) raw.push(cycle);
  });
  afterAll(async () => t?.close());

  const inject = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => {
    const res = await t.app.inject({ method, url, payload: payload as Record<string, unknown> | undefined });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };
  const upload = async (machine: string, files: { name: string; content: Buffer }[]) => {
    const res = await t.app.inject({ method: 'POST', url: `/api/ingest/upload?machine=${machine}`, ...multipart(files) });
    return { status: res.statusCode, body: res.json() };
  };

  it('upload: several files at once, a result per file; again = already imported; binary refused', async () => {
    // a work order for the lot Line 7 switches to on 12 Oct, queued on line7: ingest updates its operation
    expect((await inject('POST', '/api/work-orders', { lot: '159053', product: 'flu-sars', quantity: 200_000 })).status).toBe(201);
    expect((await inject('POST', '/api/work-orders/159053/operations/0/load', { machine: 'line7', mode: 'append' })).status).toBe(200);
    published.length = 0;

    const first = await upload('line7', days.map((path) => ({ name: path.split('/').pop() as string, content: readFileSync(path) })));
    expect(first.status).toBe(200);
    expect(first.body.files.map((f: { file: string; cycles: number; alreadyImported: boolean }) => [f.file, f.cycles, f.alreadyImported])).toEqual([
      ['PR20221012.txt', 61_863, false],
      ['PR20221013.txt', 85_822, false],
    ]);
    expect(first.body.files[0].operationsUpdated + first.body.files[1].operationsUpdated).toBeGreaterThan(0);
    // production events go out once the hub has worked out their per-machine deltas
    await t.events.idle();
    expect(published).toEqual(expect.arrayContaining(['production', 'schedule']));

    const again = await upload('line7', [{ name: 'PR20221013.txt', content: readFileSync(days[1]) }]);
    expect(again.body.files[0]).toMatchObject({ alreadyImported: true, cycles: 0, skippedBytes: readFileSync(days[1]).length });

    const binary = await upload('line7', [{ name: 'photo.jpg', content: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0]), randomBytes(3000)]) }]);
    expect(binary.status).toBe(200);
    expect(binary.body.files[0]).toMatchObject({ cycles: 0, errors: [{ file: 'photo.jpg', line: 1, message: expect.stringMatching(/not a camera log/) }] });
    expect((await upload('line77', [{ name: 'a.txt', content: Buffer.from('x') }])).body.error.fields).toEqual([{ path: 'query.machine', message: "unknown machine 'line77'" }]);

    const files = (await inject('GET', '/api/ingest/files?machine=line7')).body;
    expect(files.map((f: { name: string; status: string }) => `${f.name}:${f.status}`).sort()).toEqual(['PR20221012.txt:active', 'PR20221013.txt:active', 'photo.jpg:rejected']);
    const errors = (await inject('GET', '/api/ingest/errors?machine=line7')).body;
    expect(errors).toEqual([expect.objectContaining({ file: 'photo.jpg', line: 1, machine: 'line7' })]);
  });

  it('the operation of the lot gets produced = parts − reworks, an observed rate, and is running; the lot carries produced and good', async () => {
    const expectedParts = raw.filter((c) => c.lot === '159053' && 'part' in c && c.part).length;
    const lots = (await inject('GET', `/api/production/lots?machine=line7&from=${local('2022-10-12T00:00')}&to=${local('2022-10-14T00:00')}`)).body.lots;
    const lot = lots.find((l: { lot: string }) => l.lot === '159053');
    expect(lot).toMatchObject({ machine: 'line7', item: '1451300', parts: expectedParts, produced: lot.parts - lot.reworks, good: lot.parts - lot.reworks });
    expect(lot.reworks).toBeGreaterThan(0);
    expect(lots.map((l: { lot: string }) => l.lot)).toEqual(['159159', '159053']);
    const wo = (await inject('GET', '/api/work-orders/159053')).body;
    expect(wo.operations[0]).toMatchObject({ state: 'running', produced: lot.produced });
    expect(wo.operations[0].observedRatePerHour).toBeGreaterThan(3000);
    expect(wo.operations[0].observedRatePerHour).toBeLessThan(9000);
  });

  it('GET /api/oee: totals equal computeOee over the raw cycles, per profile, with day and shift series', async () => {
    const calendar = await loadCalendarSpec(t.database.db);
    const from = local('2022-10-12T00:00');
    const to = local('2022-10-14T00:00');
    for (const profile of Object.values(BUILTIN_PROFILES)) {
      const res = await inject('GET', `/api/oee?machine=line7&from=2022-10-12T00:00&to=2022-10-14T00:00&groupBy=day&profile=${profile.name}`);
      expect(res.status).toBe(200);
      const loadingIntervals = profile.basis === 'calendar' ? workingIntervals(calendar, ZONE, from, to) : undefined;
      // production days of the plant zone (firstToLastPart); the days are long past, so none is open
      const expected = computeOee({ machine: 'line7', cycles: raw, from, to, profile, loadingIntervals, days: { zone: ZONE } });
      const [line7] = res.body.machines;
      expect(line7.profile).toBe(`${profile.name}@v1`);
      expect(line7.totals).toEqual(withUnits(expected));
      expect(line7.series.map((b: { label: string }) => b.label)).toEqual(['2022-10-12', '2022-10-13']);
      const day13 = computeOee({ machine: 'line7', cycles: raw, from: local('2022-10-13T00:00'), to, profile, loadingIntervals, days: { zone: ZONE } });
      expect(line7.series[1]).toEqual({ ...withUnits(day13), label: '2022-10-13' });
    }
    const shifts = (await inject('GET', '/api/oee?machine=line7&from=2022-10-12T00:00&to=2022-10-13T00:00&groupBy=shift')).body.machines[0].series;
    expect(shifts.map((b: { label: string }) => b.label)).toEqual(['2022-10-12 06:30–14:45', '2022-10-12 14:45–23:00']);
    expect(shifts[0].cycles + shifts[1].cycles).toBeLessThanOrEqual(raw.length);
  });

  it('several machines side by side; the machine profile is the default', async () => {
    await upload('line8', [{ name: 'PR20221013.txt', content: readFileSync(LINE8_DAYS[3]) }]);
    const res = await inject('GET', '/api/oee?machine=line7,line8&from=2022-10-13T06:00&to=2022-10-13T18:00');
    expect(res.status).toBe(200);
    expect(res.body.machines.map((m: { machine: string; profile: string }) => [m.machine, m.profile])).toEqual([
      ['line7', 'itrak-legacy@v1'],
      ['line8', 'itrak-legacy@v1'],
    ]);
    expect(res.body.machines[1].totals.cycles).toBeGreaterThan(10_000);
    expect(res.body.from).toBe(new Date(local('2022-10-13T06:00')).toISOString());
  });

  it('answers bad windows and unknown names with 400 and the field', async () => {
    const fields = async (url: string) => {
      const res = await inject('GET', url);
      expect(res.status).toBe(400);
      return res.body.error.fields.map((f: { path: string }) => f.path);
    };
    expect(await fields('/api/oee?machine=line7&from=2022-10-13T12:00&to=2022-10-13T06:00')).toEqual(['query.to']);
    expect(await fields('/api/oee?machine=line7&from=yesterday&to=2022-10-13T06:00')).toEqual(['query.from']);
    expect(await fields('/api/oee?machine=line7&from=2022-10-13T06:00:30&to=2022-10-13T06:00:50')).toEqual(['query.to']);
    expect(await fields('/api/oee?machine=nope&from=2022-10-13T06:00&to=2022-10-13T07:00')).toEqual(['query.machine']);
    expect(await fields('/api/oee?machine=line7&profile=nope&from=2022-10-13T06:00&to=2022-10-13T07:00')).toEqual(['query.profile']);
    expect(await fields('/api/oee?machine=line7&from=2020-01-01&to=2022-01-01&groupBy=hour')).toEqual(['query.groupBy']);
    expect(await fields('/api/stops?machine=line7&from=2022-10-13T06:00&to=2022-10-12T06:00')).toEqual(['query.to']);
    expect(await fields('/api/production/lots?machine=&from=2022-10-13T06:00')).toEqual(['query.machine']);
  });

  it('profiles: create, update with a version bump (audited), read-only built-ins, results name the version', async () => {
    const body = { name: 'line-tight', maxCycleSeconds: 1.0, stopBinsSeconds: [1, 10, 120], availabilityLossSeconds: 120, basis: 'firstToLastPart', idealRatePerMinute: 135 };
    const created = await inject('POST', '/api/oee/profiles', body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'line-tight', version: 1, label: 'line-tight@v1', builtin: false });
    expect((await inject('POST', '/api/oee/profiles', body)).status).toBe(409);
    const tooShort = await inject('POST', '/api/oee/profiles', { ...body, name: 'x', maxCycleSeconds: 0.5, stopBinsSeconds: [0.5] });
    expect(tooShort.status).toBe(400);
    expect(tooShort.body.error.fields[0].path).toBe('body.maxCycleSeconds');
    const unordered = await inject('POST', '/api/oee/profiles', { ...body, name: 'y', stopBinsSeconds: [1, 60, 10] });
    expect(unordered.body.error.fields).toEqual([{ path: 'body.stopBinsSeconds.2', message: expect.stringMatching(/ascending/) }]);

    const window = 'machine=line7&from=2022-10-13T06:00&to=2022-10-13T18:00';
    const v1 = (await inject('GET', `/api/oee?${window}&profile=line-tight`)).body.machines[0].totals;
    expect(v1.profile).toBe('line-tight@v1');
    const updated = await inject('PUT', '/api/oee/profiles/line-tight', { ...body, name: undefined, availabilityLossSeconds: 10, version: 1, reason: 'count stops ≥ 10 s as downtime' });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ version: 2, label: 'line-tight@v2' });
    expect((await inject('PUT', '/api/oee/profiles/line-tight', { ...body, version: 1 })).status).toBe(409);
    expect((await inject('PUT', '/api/oee/profiles/itrak-legacy', { ...body, version: 1 })).status).toBe(403);
    const v2 = (await inject('GET', `/api/oee?${window}&profile=line-tight`)).body.machines[0].totals;
    expect(v2.profile).toBe('line-tight@v2');
    expect(v2.availabilityLossSeconds).toBeGreaterThan(v1.availabilityLossSeconds);
    expect((await inject('GET', `/api/oee?${window}&profile=line-tight@v1`)).body.machines[0].totals).toEqual(v1);

    const detail = (await inject('GET', '/api/oee/profiles/line-tight')).body;
    expect(detail.history.map((h: { version: number }) => h.version)).toEqual([2, 1]);
    const list = (await inject('GET', '/api/oee/profiles')).body.map((p: { label: string; builtin: boolean }) => `${p.label}${p.builtin ? ' (built-in)' : ''}`);
    expect(list).toEqual(['itrak-legacy@v1 (built-in)', 'iso22400@v1 (built-in)', 'line-tight@v2']);
    const audit = await listAudit(t.database.db, { entity: 'oee-profile', entityKey: 'line-tight' });
    expect(audit.map((a) => a.action)).toEqual(['update', 'create']);
    expect(audit[0].reason).toBe('count stops ≥ 10 s as downtime');
  });

  it('stops: list with classes, filter, and reasons that are audited and listed', async () => {
    const url = '/api/stops?machine=line7&from=2022-10-13T06:00&to=2022-10-13T12:00';
    const all = (await inject('GET', url)).body;
    expect(all.profile).toBe('itrak-legacy@v1');
    expect(all.stops.length).toBeGreaterThan(50);
    for (const stop of all.stops) expect(stop.seconds).toBeGreaterThan(1.1);
    const long = (await inject('GET', `${url}&minSeconds=300`)).body.stops;
    expect(long.length).toBeGreaterThan(0);
    expect(long.every((s: { seconds: number; class: number; classLabel: string }) => s.seconds >= 300 && s.class === 3 && s.classLabel === '≥ 300 s')).toBe(true);
    const classTwo = (await inject('GET', `${url}&class=2`)).body.stops;
    expect(classTwo.every((s: { seconds: number }) => s.seconds >= 60 && s.seconds < 300)).toBe(true);
    // the counts agree with the OEE engine's stop classes for the same window (firstToLastPart loading)
    const totals = (await inject('GET', '/api/oee?machine=line7&from=2022-10-13T06:00&to=2022-10-13T12:00')).body.machines[0].totals;
    expect(totals.stops.classes[3].count).toBeLessThanOrEqual(long.length);

    const target = long[0];
    // reasons are leaves of the machine's process-group tree (issue 13); free codes are refused
    expect((await inject('PUT', `/api/stops/line7/${target.startMs}`, { reason: 'material' })).status).toBe(400);
    const put = await inject('PUT', `/api/stops/line7/${target.startMs}`, { reason: 'waiting-material', comment: 'waiting for foil' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ startMs: target.startMs, reason: 'waiting-material', label: 'Unplanned › Material › Waiting for material', category: 'breakdown', comment: 'waiting for foil', reasonBy: t.admin.username });
    const listed = (await inject('GET', `${url}&minSeconds=300`)).body.stops.find((s: { startMs: number }) => s.startMs === target.startMs);
    expect(listed).toMatchObject({ reason: 'waiting-material', comment: 'waiting for foil', segments: [{ reason: 'waiting-material' }] });
    // overriding a reason already given needs a reason of its own (issue 9, defect 8)
    const override = await inject('PUT', `/api/stops/line7/${encodeURIComponent(target.start)}`, { reason: 'format-change', comment: null });
    expect(override.status).toBe(400);
    expect(override.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['body.changeReason']);
    expect((await inject('PUT', `/api/stops/line7/${encodeURIComponent(target.start)}`, { reason: 'format-change', comment: null, changeReason: 'log shows a format change' })).body.reason).toBe('format-change');
    expect((await inject('PUT', `/api/stops/line7/${target.startMs + 1}`, { reason: 'x' })).status).toBe(404);
    const audit = await listAudit(t.database.db, { entity: 'stop' });
    expect(audit.map((a) => [a.action, (a.after as { reasons: { reason: string }[] }).reasons[0].reason, a.reason])).toEqual([
      ['reason-override', 'Planned › Changeover › Format change', 'log shows a format change'],
      ['reason', 'Unplanned › Material › Waiting for material', null],
    ]);
    expect((await verifyAuditChain(t.database.db)).brokenAt).toBeNull();
  });

  it('a machine with machine data cannot be deleted', async () => {
    const machine = (await inject('GET', '/api/machines/line8')).body;
    const res = await t.app.inject({ method: 'DELETE', url: `/api/machines/line8?version=${machine.version}` });
    expect(res.statusCode).toBe(409);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toMatch(/machine data/);
  });
});
