// Refuses, before any route validates or runs, text no database may receive: one check for every
// route (body, query string, path parameters), so no route can forget it and PostgreSQL never sees a
// NUL character (it answered such requests with 500, even the anonymous sign-in) and no database
// silently stores U+FFFD for a lone surrogate.
import type { FastifyInstance } from 'fastify';
import { Invalid } from '../core/errors.js';
import { unstorableTextFields } from '../core/limits.js';

export function registerInputGuard(app: FastifyInstance): void {
  // onRequest: before the access hooks, which look up sessions and users with what the request says
  app.addHook('onRequest', async (request) => {
    const fields = [...unstorableTextFields(request.params, 'params'), ...unstorableTextFields(request.query, 'query')];
    if (fields.length > 0) throw new Invalid(fields.map((f) => `${f.path}: ${f.message}`).join('; '), fields);
  });
  app.addHook('preValidation', async (request) => {
    const fields = unstorableTextFields(request.body, 'body');
    if (fields.length > 0) throw new Invalid(fields.map((f) => `${f.path}: ${f.message}`).join('; '), fields);
  });
}
