// One place that turns errors into HTTP answers: 400 with field errors, 404, 409, never a stack trace.
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, Conflict, Forbidden, Invalid, type ErrorBody } from '../core/errors.js';
import { isDatabaseUnavailable } from '../db/faults.js';

/** Seconds a client is asked to wait before trying again while the database cannot be reached. */
const UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

export type { ErrorBody };

/** The app's codes for client errors raised by the framework and its plugins (not their internal FST_… names). */
const CLIENT_ERROR_CODES: Record<number, string> = {
  400: 'bad_request', 404: 'not_found', 405: 'method_not_allowed', 406: 'not_acceptable', 408: 'timeout', 411: 'length_required',
  413: 'too_large', 414: 'url_too_long', 415: 'unsupported_media_type', 429: 'too_many_requests', 431: 'headers_too_large',
};
/** Plain words for the client errors whose framework message is technical. */
const CLIENT_ERROR_MESSAGES: Record<string, string> = {
  FST_ERR_BAD_URL: 'the address of this request is not valid (bad percent-encoding)',
  HPE_HEADER_OVERFLOW: 'the request headers are too large (often too many or too large cookies)',
  ERR_HTTP_REQUEST_TIMEOUT: 'the request took too long to arrive',
};

/** The one error body for a client error the framework raised: {error: {code, message}}. */
export function clientErrorBody(status: number, error: { code?: string; message?: string }): ErrorBody {
  const message = (error.code && CLIENT_ERROR_MESSAGES[error.code]) || error.message || 'the request could not be understood';
  return { error: { code: CLIENT_ERROR_CODES[status] ?? 'bad_request', message } };
}

/** For Fastify's `clientErrorHandler`: errors Node's HTTP parser raises before there is a request (431, 400, 408). */
export function clientErrorHandler(this: { log: { trace: (o: object, m: string) => void } }, error: Error & { code?: string }, socket: import('node:net').Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  this.log.trace({ err: error }, 'client error');
  const body = JSON.stringify(clientErrorBody(status, { code: error.code, message: status === 400 ? 'the request could not be understood' : undefined }));
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}

/** For Fastify's `frameworkErrors`: a bad URL (or a failed route constraint) in the app's error shape. */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  reply.code(status).send(clientErrorBody(status, error));
}

/** Database constraint violations that reach the handler are conflicts, not server errors. */
function constraintConflict(error: unknown): string | null {
  const e = error as { code?: string; errno?: number; message?: string };
  const code = String(e.code ?? '');
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505' || code === 'ER_DUP_ENTRY') {
    return 'a record with this key already exists';
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503' || code === 'ER_ROW_IS_REFERENCED_2' || code === 'ER_NO_REFERENCED_ROW_2') {
    return 'this change conflicts with records that refer to it';
  }
  return null;
}

/**
 * Values a database refused (text it cannot encode, a number out of its column's range): the request's
 * fault, 400. Validation refuses these before they get here; this keeps a field it missed from a 500.
 */
function refusedValue(error: unknown): string | null {
  const e = error as { code?: string; errno?: number };
  const code = String(e.code ?? '');
  if (code === '22021' || code === '22P05' || code === 'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD') return 'a text contains a character that cannot be stored';
  if (code === '22003' || code === 'ER_WARN_DATA_OUT_OF_RANGE') return 'a number is out of the range that can be stored';
  if (code === '22001' || code === 'ER_DATA_TOO_LONG') return 'a text is longer than can be stored';
  return null;
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const context = error.validationContext ?? 'body';
      const where = context === 'querystring' ? 'query' : context;
      const fields = error.validation.map((v) => {
        const path = [where, ...String(v.instancePath ?? '').split('/').filter(Boolean)].join('.');
        return { path, message: v.message ?? 'invalid' };
      });
      const body: ErrorBody = {
        error: { code: 'invalid', message: fields.map((f) => `${f.path}: ${f.message}`).join('; '), fields },
      };
      return reply.code(400).send(body);
    }
    if (error instanceof AppError) {
      const body: ErrorBody = { error: { code: error.code, message: error.message } };
      if (error instanceof Invalid) body.error.fields = error.fields;
      else if (error instanceof Conflict && error.fields.length > 0) body.error.fields = error.fields;
      if (error instanceof Forbidden && error.permission) body.error.permission = error.permission;
      const retryAfter = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
      if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
      return reply.code(error.status).send(body);
    }
    if (isDatabaseUnavailable(error)) {
      // an outage, not a bug: the pool reconnects by itself once the database is back
      request.log.warn({ err: error }, 'database unavailable');
      return reply
        .code(503)
        .header('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS))
        .send({ error: { code: 'unavailable', message: 'The database cannot be reached at the moment; try again in a few seconds.' } } satisfies ErrorBody);
    }
    const refused = refusedValue(error);
    if (refused) {
      request.log.warn({ err: error }, 'the database refused a value that validation let through');
      return reply.code(400).send({ error: { code: 'invalid', message: refused } } satisfies ErrorBody);
    }
    const conflict = constraintConflict(error);
    if (conflict) return reply.code(409).send({ error: { code: 'conflict', message: conflict } } satisfies ErrorBody);
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error, issues: error.cause.issues }, 'response did not match its schema');
    } else if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      // Fastify's own client errors (malformed JSON, body too large, unsupported media type …)
      return reply.code(error.statusCode).send(clientErrorBody(error.statusCode, error));
    } else {
      request.log.error({ err: error }, 'unhandled error');
    }
    return reply.code(500).send({ error: { code: 'internal', message: `Internal error (request ${request.id}); it has been logged` } } satisfies ErrorBody);
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ error: { code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` } } satisfies ErrorBody);
  });
}
