// A database outage under concurrent writes, on a server of the test's own (never the shared ones):
// four loops of POST /api/work-orders, then the database is stopped (fast shutdown) and started
// again, and later every connection of the app is killed. The process must survive (no unhandled
// 'error' event of a connection in use), requests in the outage get 503 + Retry-After in the app's
// error shape, and writes succeed again within seconds of the database coming back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/app.js';
import { startThrowawayMariadb, startThrowawayPostgres, type ThrowawayServer } from '../testing/throwaway-server.js';

const LOOPS = 4;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(['postgres', 'mysql'] as const)('database outage under load on %s', (dialect) => {
  let round = 0;
  let server: ThrowawayServer;
  let t: TestApp;
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => crashes.push(error);
  beforeAll(async () => {
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    server = dialect === 'postgres' ? await startThrowawayPostgres() : await startThrowawayMariadb();
    t = await createTestApp(dialect, 'outage', { server: server.url });
  });
  afterAll(async () => {
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    await t?.app.close().catch(() => undefined);
    await t?.database.close().catch(() => undefined);
    await server?.destroy();
  });

  /** The write loops: every answer is recorded with the time it came. */
  function writeLoops() {
    const answers: { at: number; status: number; retryAfter: unknown; body: string }[] = [];
    let running = true;
    let n = 0;
    const prefix = `R${round++}`;
    const loop = async (id: number) => {
      // bounded in count and time (the test stops them within a minute)
      for (let i = 0; running && i < 20_000; i++) {
        const res = await t.app.inject({ method: 'POST', url: '/api/work-orders', payload: { lot: `${prefix}L${id}-${n++}`, product: 'strep-a-plus', quantity: 100, due: null } });
        answers.push({ at: Date.now(), status: res.statusCode, retryAfter: res.headers['retry-after'], body: res.body });
        if (res.statusCode !== 201) await sleep(20);
      }
    };
    const done = Promise.all(Array.from({ length: LOOPS }, (_, id) => loop(id)));
    return { answers, stop: async () => ((running = false), await done) };
  }
  const firstSuccessAfter = (answers: { at: number; status: number }[], at: number) => answers.find((a) => a.at > at && a.status === 201)?.at;

  it('keeps running through a stop and start of the database: 503 with Retry-After meanwhile, 2xx again within seconds', { timeout: 120_000 }, async () => {
    const load = writeLoops();
    await sleep(1000);
    const stoppedAt = Date.now();
    await server.stop();
    await sleep(1500);
    const health = await t.app.inject({ method: 'GET', url: '/api/health' });
    const restartedAt = Date.now();
    await server.start();
    for (let i = 0; i < 100 && !firstSuccessAfter(load.answers, restartedAt); i++) await sleep(100);
    await sleep(300);
    await load.stop();

    expect(crashes).toEqual([]);
    expect(health.statusCode).toBe(503);
    const before = load.answers.filter((a) => a.at < stoppedAt);
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((a) => a.status === 201)).toBe(true);
    const failed = load.answers.filter((a) => a.status !== 201);
    // nothing but 503s in the outage, each with a retry hint and the app's error shape
    expect([...new Set(failed.map((a) => a.status))]).toEqual([503]);
    for (const a of failed) {
      expect(a.retryAfter).toMatch(/^\d+$/);
      expect(JSON.parse(a.body)).toMatchObject({ error: { code: 'unavailable', message: expect.any(String) } });
    }
    const recovered = firstSuccessAfter(load.answers, restartedAt);
    expect(recovered, 'a write succeeded after the database came back').toBeDefined();
    console.log(`${dialect}: ${failed.length} answers 503 in the outage; first write ${recovered! - restartedAt} ms after the start command returned`);
    expect(recovered! - restartedAt).toBeLessThan(5000);
  });

  it('keeps running when its connections are killed mid-load and answers 2xx again at once', { timeout: 60_000 }, async () => {
    const load = writeLoops();
    await sleep(500);
    let killed = 0;
    for (let round = 0; round < 5; round++) {
      killed += await server.killConnections(t.database.url.split('/').pop()!);
      await sleep(200);
    }
    const killedAt = Date.now();
    for (let i = 0; i < 50 && !firstSuccessAfter(load.answers, killedAt); i++) await sleep(100);
    await load.stop();
    expect(crashes).toEqual([]);
    expect(killed).toBeGreaterThan(0);
    const statuses = [...new Set(load.answers.map((a) => a.status))].sort();
    expect(statuses.filter((s) => s !== 201 && s !== 503)).toEqual([]);
    expect(firstSuccessAfter(load.answers, killedAt)! - killedAt).toBeLessThan(3000);
  });
});
