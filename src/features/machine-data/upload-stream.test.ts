// Streamed camera-log uploads (issue 10 item 8): a ~100 MB upload over real HTTP is written to a temp
// file as it arrives and ingested from there in batches — RSS stays bounded and /api/health answers
// during it; a file over QMFG_UPLOAD_MAX_MB is refused with 413 naming it, and nothing of the request
// is stored; no temp file is left behind either way. The upload is generated at test time (camera-log
// lines in the real files' format), never committed.
import { createReadStream, createWriteStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { healthWhile } from '../../testing/health-probe.js';
import { createTestApp, type TestApp } from '../../testing/app.js';
import * as repo from './repository.js';
import * as ledgerRepo from './ledger-repository.js';
import { LINE8_DAYS, multipartFiles, tempFolder, ZONE } from '../../testing/machine-data.js';
import { UPLOAD_TEMP_PREFIX } from './upload-stream.js';

const MB = 1024 * 1024;
/** one cycle every 430 ms, a new lot every 50 000 cycles, serials counting up within a lot */
const CYCLE_MS = 430;
const LOT_CYCLES = 50_000;

/** Writes camera-log lines (item,lot,serial,part,MM/dd/yy HH:mm:ss.SSS) until the file has `bytes`; returns its line count. */
async function writeCameraLog(path: string, bytes: number, startLocal: string): Promise<number> {
  const out = createWriteStream(path);
  let at = DateTime.fromISO(startLocal, { zone: ZONE }).toMillis();
  let written = 0;
  let lines = 0;
  while (written < bytes) {
    let chunk = '';
    for (let i = 0; i < 10_000; i++, lines++, at += CYCLE_MS) {
      const lot = 160_000 + Math.floor(lines / LOT_CYCLES);
      const serial = (lines % LOT_CYCLES) + 1;
      chunk += `1169100,${lot},${serial},1,${DateTime.fromMillis(at, { zone: ZONE }).toFormat('MM/dd/yy HH:mm:ss.SSS')}\n`;
    }
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return lines;
}

const leftoverTempDirs = () => readdirSync(tmpdir()).filter((name) => name.startsWith(UPLOAD_TEMP_PREFIX));

describe('streamed upload of a ~100 MB camera log over real HTTP (sqlite)', () => {
  let t: TestApp;
  let port: number;
  const folder = tempFolder('upload-stream');
  const big = join(folder.path, 'PR20210601.txt');
  let lines = 0;

  beforeAll(async () => {
    lines = await writeCameraLog(big, 100 * MB, '2021-06-01T06:00:00');
    t = await createTestApp('sqlite', 'upload_stream', { demo: true });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  }, 240_000);
  afterAll(async () => {
    await t?.close();
    folder.remove();
  });

  it('is ingested in batches while RSS growth stays bounded and /api/health answers', async () => {
    const operator = await t.as('admin');
    const before = new Set(leftoverTempDirs());
    const size = statSync(big).size;
    const boundary = '----qmfgstream';
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="PR20210601.txt"\r\nContent-Type: text/plain\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);

    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const { result: answer, ms, worstMs, probes, failedProbes } = await healthWhile(`http://127.0.0.1:${port}`, () => new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1', port, method: 'POST', path: '/api/ingest/upload?machine=line8',
          headers: { ...operator.session.headers, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + size + tail.length },
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (text: string) => (body += text));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.write(head);
      const file = createReadStream(big);
      file.on('error', reject);
      file.on('end', () => req.end(tail));
      file.pipe(req, { end: false });
    }));
    const seconds = ms / 1000;
    expect(failedProbes).toBe(0);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);

    const growthMb = (peak - baseline) / MB;
    console.log(
      `upload of ${(size / MB).toFixed(0)} MB (${lines} cycles) in ${seconds.toFixed(1)} s: RSS growth ${growthMb.toFixed(0)} MB ` +
        `(baseline ${(baseline / MB).toFixed(0)} MB); health worst ${worstMs.toFixed(0)} ms over ${probes} probes`,
    );
    expect(answer.status, answer.body.slice(0, 500)).toBe(200);
    const [result] = JSON.parse(answer.body).files;
    expect(result).toMatchObject({ file: 'PR20210601.txt', cycles: lines, errorCount: 0, consumedBytes: size, pendingBytes: 0 });
    expect(await repo.countCycles(t.database.db, 'line8')).toBe(lines);
    expect(growthMb).toBeLessThan(256);
    expect(probes).toBeGreaterThan(0);
    expect(worstMs).toBeLessThan(1000);
    // the temp file went with the request
    expect(leftoverTempDirs().filter((name) => !before.has(name))).toEqual([]);
  }, 600_000);

  it('an upload abandoned half-way leaves no temp file and stores nothing', async () => {
    const operator = await t.as('admin');
    const before = new Set(leftoverTempDirs());
    const ledgerBefore = await ledgerRepo.listLedger(t.database.db, { machine: 'line7', limit: 100 });
    const boundary = '----qmfgabandoned';
    const req = request({
      host: '127.0.0.1', port, method: 'POST', path: '/api/ingest/upload?machine=line7',
      headers: { ...operator.session.headers, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': 50 * MB },
    });
    req.on('error', () => undefined);
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="PR20210601.txt"\r\nContent-Type: text/plain\r\n\r\n`);
    const part = readFileSync(big).subarray(0, 5 * MB);
    req.write(part);
    // wait until the server has started the temp file, then go away
    const deadline = Date.now() + 10_000;
    while (leftoverTempDirs().every((name) => before.has(name)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(leftoverTempDirs().some((name) => !before.has(name))).toBe(true);
    req.destroy();
    const gone = Date.now() + 10_000;
    while (leftoverTempDirs().some((name) => !before.has(name)) && Date.now() < gone) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(leftoverTempDirs().filter((name) => !before.has(name))).toEqual([]);
    expect(await ledgerRepo.listLedger(t.database.db, { machine: 'line7', limit: 100 })).toEqual(ledgerBefore);
    const health = await fetch(`http://127.0.0.1:${port}/api/health`);
    expect(health.status).toBe(200);
  }, 60_000);
});

describe('upload size limit (QMFG_UPLOAD_MAX_MB)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp('sqlite', 'upload_limit', { demo: true, env: { QMFG_UPLOAD_MAX_MB: '1' } });
  }, 120_000);
  afterAll(async () => t?.close());

  it('a file over the limit is refused with 413 naming it and the limit; nothing of the request is stored', async () => {
    const before = new Set(leftoverTempDirs());
    const cyclesBefore = await repo.countCycles(t.database.db, 'line8');
    const ledgerBefore = await ledgerRepo.listLedger(t.database.db, { machine: 'line8', limit: 100 });
    const day = readFileSync(LINE8_DAYS[0]);
    const small = day.subarray(0, day.indexOf(10, 100_000) + 1);
    const large = day.subarray(0, day.indexOf(10, 1536 * 1024) + 1);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/ingest/upload?machine=line8',
      ...multipartFiles([{ name: 'PR20221010-morning.txt', content: small }, { name: 'PR20221010.txt', content: large }]),
    });
    expect(res.statusCode, res.body).toBe(413);
    expect(res.json()).toEqual({ error: { code: 'too_large', message: expect.stringMatching(/PR20221010\.txt.*larger than.*1 MB/) } });
    // the first (good) file of the same request was not imported either
    expect(await repo.countCycles(t.database.db, 'line8')).toBe(cyclesBefore);
    expect(await ledgerRepo.listLedger(t.database.db, { machine: 'line8', limit: 100 })).toEqual(ledgerBefore);
    expect(leftoverTempDirs().filter((name) => !before.has(name))).toEqual([]);

    // the same small file alone is imported
    const ok = await t.app.inject({ method: 'POST', url: '/api/ingest/upload?machine=line8', ...multipartFiles([{ name: 'PR20221010-morning.txt', content: small }]) });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().files[0].cycles).toBeGreaterThan(0);
  }, 120_000);

  it('/api/ingest/check refuses a file over the limit with the same 413', async () => {
    const large = readFileSync(LINE8_DAYS[0]).subarray(0, 1536 * 1024);
    const res = await t.app.inject({ method: 'POST', url: '/api/ingest/check?machine=line8', ...multipartFiles([{ name: 'big.txt', content: large }]) });
    expect(res.statusCode, res.body).toBe(413);
    expect(res.json().error).toEqual({ code: 'too_large', message: expect.stringMatching(/big\.txt.*1 MB/) });
  });
});
