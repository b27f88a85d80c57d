// Headers and error bodies of the running server: index.html never cached, HSTS over https, a CSP
// on the API docs, and the framework's own refusals (bad URL, headers too large, too many
// requests) in the app's one error shape {error: {code, message}}.
import { request as httpRequest } from 'node:http';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthTestApp, type AuthTestApp } from '../testing/auth.js';

const ERROR_SHAPE = { error: { code: expect.stringMatching(/^[a-z_]+$/), message: expect.any(String) } };

describe('headers and error shapes of the running server', () => {
  let t: AuthTestApp;
  let webRoot: string;
  let port: number;
  beforeAll(async () => {
    webRoot = mkdtempSync(join(tmpdir(), 'qmfg-web-'));
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>qmfg</title><div id="root"></div>');
    mkdirSync(join(webRoot, 'assets'));
    writeFileSync(join(webRoot, 'assets', 'app.js'), 'console.log("qmfg")');
    t = await createAuthTestApp('sqlite', 'hardening', { QMFG_TRUST_PROXY: '1', QMFG_LOGIN_RATE_PER_MINUTE: '3' }, { webRoot });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await t?.close();
    rmSync(webRoot, { recursive: true, force: true });
  });

  it('serves the page itself with no-cache (every way it is asked), the hashed assets cached', async () => {
    for (const url of ['/', '/board', '/index.html']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('no-cache');
    }
    expect((await t.app.inject({ method: 'GET', url: '/assets/app.js' })).headers['cache-control']).toMatch(/max-age=3600/);
  });

  it('sends Strict-Transport-Security only over https (here: a trusted proxy says so)', async () => {
    const plain = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    const https = await t.app.inject({ method: 'GET', url: '/api/health', headers: { 'x-forwarded-proto': 'https' } });
    expect(https.headers['strict-transport-security']).toMatch(/^max-age=\d{7,}/);
  });

  it('puts a content security policy on the API docs', async () => {
    const docs = await t.inject({ method: 'GET', url: '/api/docs' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(docs.headers['content-security-policy']).toMatch(/object-src 'none'/);
  });

  it('answers a bad URL with 400 in the app error shape', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/work-orders/%E0%A4%A' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual(ERROR_SHAPE);
    expect(res.json().error.code).toBe('bad_request');
  });

  it('answers headers too large with 431 in the app error shape', async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/api/health', headers: { cookie: `x=${'a'.repeat(40_000)}` } }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.setTimeout(5000, () => req.destroy(new Error('timeout')));
      req.end();
    });
    expect(answer.status).toBe(431);
    expect(JSON.parse(answer.body)).toEqual(ERROR_SHAPE);
    expect(JSON.parse(answer.body).error.code).toBe('headers_too_large');
  });

  it('answers too many sign-in attempts with 429 in the app error shape, code too_many_requests', async () => {
    let last = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'x', password: 'y' }, remoteAddress: '10.1.2.3' });
    for (let i = 0; i < 5 && last.statusCode !== 429; i++) {
      last = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: `x${i}`, password: 'y' }, remoteAddress: '10.1.2.3' });
    }
    expect(last.statusCode).toBe(429);
    expect(last.json()).toEqual(ERROR_SHAPE);
    expect(last.json().error.code).toBe('too_many_requests');
  });
});
