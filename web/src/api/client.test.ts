// The request helper against a real Fastify server with the app's own error handler: what a screen
// gets from a 400 with field errors, a stale 409, a 403 for a permission, a 404, a page that is not
// JSON, an answer of the wrong shape, an unreachable server, and a file upload.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { registerErrorHandler } from '../../../src/server/error-handler.js';
import { Forbidden, Invalid, StaleVersion } from '../../../src/core/errors.js';
import { ApiError, apiErrorOf, normaliseFieldPath, readErrorBody, requestJson, requestVoid, uploadFile } from './client.js';

let app: FastifyInstance;
let base = '';

beforeAll(async () => {
  app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.post('/api/things', { schema: { body: z.object({ name: z.string().min(1), routing: z.array(z.object({ ratePerHour: z.number().positive() })) }) } }, async (req) => ({ id: 1, name: req.body.name }));
  app.patch('/api/things/1', async () => {
    throw new StaleVersion('thing', '1', 3, 4);
  });
  app.delete('/api/things/1', async () => {
    throw new Forbidden('missing permission plant:write', 'plant:write');
  });
  app.post('/api/core-field', async () => {
    throw Invalid.field('routing[1].ratePerHour', 'must be > 0');
  });
  app.get('/api/proxy-page', async (_req, reply) => reply.code(502).type('text/html').send('<html>Bad gateway</html>'));
  app.get('/api/wrong-shape', async () => ({ id: 'one' }));
  app.delete('/api/things/2', async (_req, reply) => reply.code(204).send());
  app.addContentTypeParser('multipart/form-data', (_req, payload, done) => {
    let text = '';
    payload.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    payload.on('end', () => done(null, text));
  });
  app.post('/api/upload', async (req, reply) => {
    const text = String(req.body);
    if (!text.includes('filename="bad.csv"')) return { received: text.includes('lot;quantity') };
    return reply.code(400).send({ error: { code: 'invalid', message: 'row 2: quantity must be a number', fields: [{ path: 'file.2.quantity', message: 'must be a number' }] } });
  });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app.close();
});

async function failure(run: () => Promise<unknown>): Promise<ApiError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error('expected the request to fail');
}

describe('requestJson against the app error handler', () => {
  it('answers a valid request with the parsed body', async () => {
    const thing = await requestJson('POST', `${base}/api/things`, z.object({ id: z.number(), name: z.string() }), { name: 'Pouch', routing: [] });
    expect(thing).toEqual({ id: 1, name: 'Pouch' });
  });

  it('puts the 400 field errors on the paths the forms use, first message per field', async () => {
    const error = await failure(() => requestJson('POST', `${base}/api/things`, z.unknown(), { name: '', routing: [{ ratePerHour: 0 }] }));
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid');
    expect(Object.keys(error.fields).sort()).toEqual(['name', 'routing.0.ratePerHour']);
    expect(error.message).toContain('body.name');
  });

  it('reads the bracket paths of the core (routing[1].ratePerHour) as dotted paths', async () => {
    const error = await failure(() => requestVoid('POST', `${base}/api/core-field`));
    expect(error.fields).toEqual({ 'routing.1.ratePerHour': 'must be > 0' });
  });

  it('marks a stale write as stale, with the server sentence', async () => {
    const error = await failure(() => requestJson('PATCH', `${base}/api/things/1`, z.unknown(), { version: 3 }));
    expect(error.status).toBe(409);
    expect(error.isStale).toBe(true);
    expect(error.isConflict).toBe(true);
    expect(error.message).toContain('you edited version 3, it is now at version 4');
  });

  it('words a refusal for a permission in plain words, never the permission key', async () => {
    const error = await failure(() => requestVoid('DELETE', `${base}/api/things/1`));
    expect(error.status).toBe(403);
    expect(error.message).not.toContain('plant:write');
    expect(error.message.length).toBeGreaterThan(10);
  });

  it('names the route for a 404 of an unknown path', async () => {
    const error = await failure(() => requestVoid('GET', `${base}/api/nothing-here`));
    expect(error.status).toBe(404);
    expect(error.code).toBe('not_found');
    expect(error.message).toBe('no route GET /api/nothing-here');
  });

  it('falls back to the status line for an answer that is not the app error body', async () => {
    const error = await failure(() => requestVoid('GET', `${base}/api/proxy-page`));
    expect(error.status).toBe(502);
    expect(error.code).toBe('http_502');
    expect(error.message).toBe('The server answered 502 Bad Gateway');
  });

  it('refuses an answer of another shape than the schema, saying where', async () => {
    const error = await failure(() => requestJson('GET', `${base}/api/wrong-shape`, z.object({ id: z.number() })));
    expect(error.code).toBe('bad_response');
    expect(error.message).toContain(`GET ${base}/api/wrong-shape`);
    expect(error.message).toContain('id:');
  });

  it('takes a 204 without a body', async () => {
    await expect(requestVoid('DELETE', `${base}/api/things/2`)).resolves.toBeUndefined();
  });

  it('says the server cannot be reached when nothing listens', async () => {
    const closed = Fastify();
    const address = await closed.listen({ port: 0, host: '127.0.0.1' });
    await closed.close();
    const error = await failure(() => requestVoid('GET', `${address}/api/site`));
    expect(error.status).toBe(0);
    expect(error.code).toBe('network');
    expect(error.message).toMatch(/^Cannot reach the qmfg server/);
  });
});

describe('uploadFile', () => {
  it('sends the file as multipart and parses the answer', async () => {
    const file = new File(['lot;quantity\n1;2\n'], 'orders.csv', { type: 'text/csv' });
    await expect(uploadFile(`${base}/api/upload`, file, z.object({ received: z.boolean() }))).resolves.toEqual({ received: true });
  });

  it('reads the error body of a refused upload like any other request', async () => {
    const file = new File(['lot;quantity\n1;x\n'], 'bad.csv', { type: 'text/csv' });
    const error = await failure(() => uploadFile(`${base}/api/upload`, file, z.unknown()));
    expect(error.status).toBe(400);
    expect(error.message).toBe('row 2: quantity must be a number');
    expect(error.fields).toEqual({ 'file.2.quantity': 'must be a number' });
  });
});

describe('the error body', () => {
  it('is read only when it has the app shape', () => {
    expect(readErrorBody({ error: { code: 'invalid', message: 'x' } })).toEqual({ error: { code: 'invalid', message: 'x' } });
    expect(readErrorBody({ error: 'boom' })).toBeNull();
    expect(readErrorBody({ message: 'x' })).toBeNull();
    expect(readErrorBody(undefined)).toBeNull();
  });

  it('keeps the server sentence of a refusal for another reason than a permission', () => {
    const error = apiErrorOf(403, 'Forbidden', { error: { code: 'forbidden', message: 'line7 is not one of your lines' } });
    expect(error.message).toBe('line7 is not one of your lines');
  });

  it('normalises the places the server names a field after', () => {
    expect(normaliseFieldPath('body.days.tue.0.1')).toBe('days.tue.0.1');
    expect(normaliseFieldPath('query.from')).toBe('from');
    expect(normaliseFieldPath('routing[2].gate.hours')).toBe('routing.2.gate.hours');
  });
});
