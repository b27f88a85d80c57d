import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config.js';
import type { Db, DialectName } from '../db/database.js';
import type { SignatureIntent, Who } from '../features/audit/who.js';
import type { EventHub } from './events.js';

/** Fastify instance with zod as type provider: route handlers get typed params, query and body. */
export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

/** What route modules need from the app. Passed explicitly to each feature's routes. */
export interface AppDeps {
  db: Db;
  dialect: DialectName;
  config: Config;
  events: EventHub;
}

/**
 * Who is making the request (the signed-in user, see features/auth/access.ts), from where, and the
 * electronic signature they gave for it, if the route is a signed one — for the audit trail.
 */
export function whoOf(request: FastifyRequest, reason?: string | null): Who {
  const { user, signatureIntent } = request as FastifyRequest & { user?: { username: string } | null; signatureIntent?: SignatureIntent | null };
  return { actor: user?.username ?? 'anonymous', source: request.ip, reason: reason ?? null, ...(signatureIntent ? { signature: signatureIntent } : {}) };
}
