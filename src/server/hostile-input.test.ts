// Input the strictest database cannot store must be refused with 400 and the field on every dialect,
// never reach PostgreSQL as a 500: a NUL character (\u0000) in any string, even in the anonymous
// sign-in, and integers beyond the 32-bit columns (counts.produced > 2^31-1). The walk covers every
// route of the OpenAPI document with NUL in every string field it declares.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/app.js';

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minimum?: number;
  format?: string;
};
const NUL = 'x\u0000y';

/** A value of the schema's shape with NUL in every free string. */
function hostile(schema: JsonSchema | undefined, depth = 0): unknown {
  if (!schema || depth > 6) return NUL;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const options = schema.anyOf ?? schema.oneOf;
  if (options) return hostile(options.find((o) => o.type !== 'null') ?? options[0], depth + 1);
  if (schema.allOf) return hostile(schema.allOf[0], depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, hostile(v, depth + 1)]));
    case 'array':
      return [hostile(schema.items, depth + 1)];
    case 'integer':
    case 'number':
      return Math.max(1, schema.minimum ?? 1);
    case 'boolean':
      return true;
    default:
      return NUL;
  }
}

// an open event stream never ends; signing out would end the administrator's session for the rest
const SKIP = new Set(['GET /api/events', 'POST /api/auth/logout']);

describe('hostile input on postgres (the strictest database)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('postgres', 'hostile');
  });
  afterAll(async () => t?.close());

  it('refuses NUL in the anonymous sign-in with 400 naming the field', async () => {
    const res = await t.anonymous({ method: 'POST', url: '/api/auth/login', payload: { username: 'ad\u0000min', password: 'whatever' } });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.fields).toEqual([expect.objectContaining({ path: 'body.username' })]);
  });

  it('refuses NUL in free text of a valid request, in a query and in a path, naming the field', async () => {
    const notes = await t.app.inject({ method: 'POST', url: '/api/work-orders', payload: { lot: 'NUL1', product: 'strep-a-plus', quantity: 1000, due: null, notes: 'a\u0000b' } });
    expect(notes.statusCode, notes.body).toBe(400);
    expect(notes.json().error.fields).toEqual([expect.objectContaining({ path: 'body.notes' })]);
    const search = await t.app.inject({ method: 'GET', url: '/api/work-orders?search=a%00b' });
    expect(search.statusCode, search.body).toBe(400);
    expect(search.json().error.fields).toEqual([expect.objectContaining({ path: 'query.search' })]);
    const lot = await t.app.inject({ method: 'GET', url: '/api/work-orders/a%00b' });
    expect(lot.statusCode, lot.body).toBe(400);
    expect(lot.json().error.fields).toEqual([expect.objectContaining({ path: 'params.lot' })]);
  });

  it('refuses counts beyond the 32-bit integer columns with 400 naming the field', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/api/work-orders', payload: { lot: 'BIG1', product: 'strep-a-plus', quantity: 1000, due: null } })).statusCode).toBe(201);
    const res = await t.app.inject({ method: 'POST', url: '/api/work-orders/BIG1/operations/0/counts', payload: { produced: 2 ** 31 } });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.fields).toEqual([expect.objectContaining({ path: 'body.produced' })]);
    const version = await t.app.inject({ method: 'POST', url: '/api/work-orders/BIG1/operations/0/counts', payload: { produced: 5, version: 2 ** 40 } });
    expect(version.statusCode, version.body).toBe(400);
  });

  it('answers no route of the API with 500 when every string field carries NUL', { timeout: 120_000 }, async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/docs/json' })).json() as {
      paths: Record<string, Record<string, { parameters?: { in: string; name: string; schema?: JsonSchema }[]; requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>>;
    };
    const failures: string[] = [];
    let walked = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const name = `${method.toUpperCase()} ${path}`;
        if (SKIP.has(name)) continue;
        const params = operation.parameters ?? [];
        const url = path.replace(/\{([^}]+)\}/g, (_, p: string) => {
          const schema = params.find((x) => x.in === 'path' && x.name === p)?.schema;
          return encodeURIComponent(String(hostile(schema)));
        });
        const query = params
          .filter((x) => x.in === 'query')
          .map((x) => `${encodeURIComponent(x.name)}=${encodeURIComponent(String(hostile(x.schema)))}`)
          .join('&');
        const json = operation.requestBody?.content?.['application/json']?.schema;
        const res = await t.app.inject({
          method: method.toUpperCase() as 'GET',
          url: query ? `${url}?${query}` : url,
          ...(json ? { payload: hostile(json) as Record<string, unknown> } : {}),
        });
        walked++;
        if (res.statusCode >= 500) failures.push(`${name}: ${res.statusCode} ${res.body.slice(0, 160)}`);
      }
    }
    expect(walked).toBeGreaterThan(50);
    expect(failures).toEqual([]);
  });
});

// A lone surrogate (half of a UTF-16 pair, e.g. "\ud800" in JSON) cannot be written as UTF-8: every
// database used to store U+FFFD×3 in its place, silently changing what the user sent.
describe('lone surrogates are refused, not stored changed', () => {
  for (const dialect of ['sqlite', 'mysql'] as const) {
    describe(dialect, () => {
      let t: TestApp;
      beforeAll(async () => {
        t = await createTestApp(dialect, 'surrogates');
      });
      afterAll(async () => t?.close());

      it('answers 400 naming the field, and stores nothing', async () => {
        // raw JSON text: the escape reaches the server as written, as a hostile client would send it
        const payload = '{"lot":"SURR1","product":"strep-a-plus","quantity":1000,"due":null,"notes":"half \\ud800 pair"}';
        const res = await t.app.inject({ method: 'POST', url: '/api/work-orders', headers: { 'content-type': 'application/json' }, payload });
        expect(res.statusCode, res.body).toBe(400);
        expect(res.json().error.fields).toEqual([expect.objectContaining({ path: 'body.notes', message: expect.stringMatching(/surrogate/) })]);
        expect((await t.app.inject({ method: 'GET', url: '/api/work-orders/SURR1' })).statusCode).toBe(404);
        const trailingLow = '{"lot":"SURR2","product":"strep-a-plus","quantity":1000,"due":null,"notes":"x\\udc00"}';
        expect((await t.app.inject({ method: 'POST', url: '/api/work-orders', headers: { 'content-type': 'application/json' }, payload: trailingLow })).statusCode).toBe(400);
      });

      it('keeps whole pairs (emoji) exactly as sent', async () => {
        const res = await t.app.inject({ method: 'POST', url: '/api/work-orders', payload: { lot: 'SURR3', product: 'strep-a-plus', quantity: 1000, due: null, notes: 'ok 😀 ü' } });
        expect(res.statusCode, res.body).toBe(201);
        expect((await t.app.inject({ method: 'GET', url: '/api/work-orders/SURR3' })).json().notes).toBe('ok 😀 ü');
      });
    });
  }
});
