// Access control for every request, in one onRequest hook: the route's declaration (public, any
// signed-in user, a permission, or undeclared = administrators only) → session from the httpOnly
// cookie (401) → CSRF token and origin on changing requests (403) → permission (403). Electronic
// signatures of regulated routes are checked before validation; security headers go on every answer.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Forbidden, Invalid, Unauthorized } from '../../core/errors.js';
import type { SignatureIntent } from '../audit/who.js';
import { CsrfRejected, PasswordChangeRequired } from './errors.js';
import { decide, LINE_LIMITED_ROLES, refusalMessage, routeAccess, type AccessDeclaration, type Permission, type RouteAccess } from '../../core/permissions.js';
import type { SessionRow, UserRow } from './repository.js';
import * as plantRepo from '../plant/repository.js';
import { signatureInputSchema, type SessionUser } from './schemas.js';
import type { SessionEndReason } from '../../server/events.js';
import { signatureRecorder, type SignedContentReaders } from './signatures.js';
import { checkSession, SESSION_END_MESSAGES, sameSecret, sha256, toSessionUser, type AuthContext, type NewSession } from './sessions.js';
import { verifySigner } from './sign-in.js';
import { TV_COOKIE, tvPrincipalOf, type TvPrincipal } from './tv-devices.js';

declare module 'fastify' {
  interface FastifyContextConfig extends AccessDeclaration {
    permission?: Permission;
    /** the few routes a user who must change their password may still call */
    allowDuringPasswordChange?: boolean;
    /**
     * A regulated change: the body carries `signature: { password, meaning }`, checked before the
     * handler runs and recorded with the change's first audit entry of `entity`.
     */
    signature?: { entity: string };
    /**
     * The production line the request reports for, for users limited to some lines (operators):
     * the machine named by a path or query parameter, or the machine of the operation the request
     * names, found by the feature that owns operations (`operationMachine`, given the path parameters).
     */
    lineScope?: { machineParam: string } | { machineQuery: string } | { operationMachine: (params: Record<string, unknown>) => Promise<string | null> };
    /**
     * A TV screen's device token (cookie qmfg_tv) may also read this route, without a session
     * (the TV data and the live event stream only; GET only). Signed-in users need the permission.
     */
    tvDevice?: boolean;
  }
  interface FastifyRequest {
    /** the signed-in user (null for anonymous requests to public routes) */
    user: SessionUser | null;
    authSession: { idHash: string; expiresAt: number; lastSeenAt: number; row: UserRow } | null;
    signatureIntent: SignatureIntent | null;
    /** the TV screen making the request with its device token (null for people and anonymous requests) */
    tvDevice: TvPrincipal | null;
  }
}

export const TV_TOKEN_REFUSED = "This TV screen's link was revoked or is unknown — ask an administrator for a new TV link.";

export const SESSION_COOKIE = 'qmfg_session';
export const CSRF_COOKIE = 'qmfg_csrf';
export const CSRF_HEADER = 'x-csrf-token';
/** set by the web app on refreshes nobody asked for (live updates), so they do not count as activity */
export const BACKGROUND_HEADER = 'x-qmfg-background';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface RegisteredRoute {
  method: string;
  url: string;
  access: RouteAccess;
  /** true for routes outside /api/ (the web app's files), public by rule */
  static: boolean;
  signature: boolean;
  /** reports only for the user's lines (config.lineScope) */
  lineScoped: boolean;
  /** the route's querystring schema, for tests that walk every filter */
  querystring: unknown;
}

const registries = new WeakMap<object, RegisteredRoute[]>();

/** Every route registered after the access control, with how it is protected. */
export function registeredRoutes(app: FastifyInstance): RegisteredRoute[] {
  return registries.get(app) ?? [];
}

export interface CookiePolicy {
  secure: 'auto' | '0' | '1';
  sessionHours: number;
}

const isSecure = (request: FastifyRequest, policy: CookiePolicy) => policy.secure === '1' || (policy.secure === 'auto' && request.protocol === 'https');

export function setSessionCookies(request: FastifyRequest, reply: FastifyReply, session: NewSession, policy: CookiePolicy): void {
  const secure = isSecure(request, policy);
  const maxAge = policy.sessionHours * 3600;
  // Lax, not Strict: the single-sign-on callback arrives as a top-level navigation from the provider
  reply.setCookie(SESSION_COOKIE, session.sessionId, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge });
  // readable by the web app's script, which echoes it in the x-csrf-token header
  reply.setCookie(CSRF_COOKIE, session.csrfToken, { httpOnly: false, sameSite: 'strict', secure, path: '/', maxAge });
}

export function clearSessionCookies(request: FastifyRequest, reply: FastifyReply, policy: CookiePolicy): void {
  const secure = isSecure(request, policy);
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
  reply.clearCookie(CSRF_COOKIE, { httpOnly: false, sameSite: 'strict', secure, path: '/' });
}

/** host[:port] of a URL as browsers name it (default ports dropped), or null. */
function hostOf(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

/** A changing request must come from this site's own pages: a browser names the page's origin. */
function sameOrigin(request: FastifyRequest, publicUrl: string): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true; // not a browser (or a same-origin GET-style client): the CSRF token decides
  const host = hostOf(origin); // "null" (sandboxed frames, file://) and garbage → null
  if (host === null) return false;
  if (host === hostOf(`${request.protocol}://${request.headers.host ?? ''}`)) return true;
  return publicUrl !== '' && host === hostOf(publicUrl);
}

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // React sets style properties, the charts and a few components inline style attributes
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export interface AccessOptions extends AuthContext {
  cookies: CookiePolicy;
  publicUrl: string;
  /** what a signature binds to, per kind of record (the signature intent's recorder reads it) */
  signedContent: SignedContentReaders;
}

/**
 * Installs the route registry (onRoute), the access hook (onRequest), the signature check
 * (preValidation) and the security headers (onSend). Must run before any route is registered.
 */
export function registerAccessControl(app: FastifyInstance, options: AccessOptions): void {
  const registry: RegisteredRoute[] = [];
  registries.set(app, registry);
  const accessByConfig = new WeakMap<object, RouteAccess>();
  const recordSignature = signatureRecorder(options.signedContent);

  app.decorateRequest('user', null);
  app.decorateRequest('authSession', null);
  app.decorateRequest('signatureIntent', null);
  app.decorateRequest('tvDevice', null);

  app.addHook('onRoute', (route) => {
    const isStatic = !route.url.startsWith('/api/') && route.url !== '/api';
    const config = (route.config ?? {}) as AccessDeclaration & { signature?: unknown };
    // the web app's own files and client-side routes need no sign-in (they hold no data)
    if (isStatic && config.public === undefined && config.permission === undefined) route.config = { ...route.config, public: true };
    // the OpenAPI document and its viewer (registered by plugins) are for signed-in users
    else if (route.url.startsWith('/api/docs') && config.permission === undefined && config.public === undefined) {
      route.config = { ...route.config, permission: 'plant:read' };
    }
    const access = routeAccess(route.config as AccessDeclaration);
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
      registry.push({
        method,
        url: route.url,
        access,
        static: isStatic,
        signature: Boolean((route.config as { signature?: unknown } | undefined)?.signature),
        lineScoped: Boolean((route.config as { lineScope?: unknown } | undefined)?.lineScope),
        querystring: route.schema?.querystring,
      });
    }
  });

  const accessOf = (request: FastifyRequest): RouteAccess => {
    const config = request.routeOptions.config as object;
    let access = accessByConfig.get(config);
    if (!access) {
      access = routeAccess(config as AccessDeclaration);
      accessByConfig.set(config, access);
    }
    return access;
  };

  app.addHook('onRequest', async (request) => {
    if (request.is404) return; // the not-found handler answers; nothing to protect
    const access = accessOf(request);
    const changing = !SAFE_METHODS.has(request.method);
    if (changing && !sameOrigin(request, options.publicUrl)) throw new CsrfRejected('Cross-site request refused.');
    if (access.kind === 'public') return;

    const sessionId = request.cookies[SESSION_COOKIE];
    // a wall screen: its device token reads the few routes that allow it, nothing else
    // (also when the browser still holds an ended person's session: the screen must not depend on it)
    const tvToken = request.cookies[TV_COOKIE];
    const asDevice = async () => {
      const device = await tvPrincipalOf(options.db, tvToken!, (options.now ?? Date.now)());
      if (!device) throw new Unauthorized(TV_TOKEN_REFUSED);
      request.tvDevice = device;
    };
    const deviceMay = Boolean(tvToken) && request.routeOptions.config.tvDevice === true && !changing;
    if (!sessionId && deviceMay) return asDevice();
    if (!sessionId) throw new Unauthorized(SESSION_END_MESSAGES.unknown);
    const check = await checkSession(options, sessionId, request.headers[BACKGROUND_HEADER] !== '1');
    if (!check.ok && deviceMay) return asDevice();
    if (!check.ok) throw new Unauthorized(SESSION_END_MESSAGES[check.reason]);
    const { user, session } = check;
    request.user = toSessionUser(user, session.method);
    request.authSession = sessionState(session, user);

    if (changing) {
      const token = request.headers[CSRF_HEADER];
      if (typeof token !== 'string' || !sameSecret(sha256(token), session.csrf_hash)) {
        throw new CsrfRejected('This change came without the session\'s CSRF token (reload the page and try again).');
      }
    }
    if (request.user.mustChangePassword && !request.routeOptions.config.allowDuringPasswordChange) {
      throw new PasswordChangeRequired('Choose a new password first.');
    }
    const decision = decide(access, request.user.role);
    if (decision !== 'allow') {
      // an undeclared route is for administrators only
      const permission = access.kind === 'permission' ? access.permission : null;
      throw new Forbidden(refusalMessage(permission), permission);
    }
  });

  app.addHook('preValidation', async (request) => {
    const declared = request.routeOptions.config.signature;
    if (!declared || !request.user) return;
    const body = request.body;
    const given = body !== null && typeof body === 'object' ? (body as Record<string, unknown>).signature : undefined;
    const parsed = signatureInputSchema.safeParse(given);
    if (!parsed.success) {
      throw Invalid.field('body.signature', 'this change needs your electronic signature: your password and the meaning of the signature');
    }
    // the feature's own schema never sees the password
    delete (body as Record<string, unknown>).signature;
    const intent = await verifySigner(options, request.user.id, parsed.data, request.ip);
    request.signatureIntent = { ...intent, auditEntity: declared.entity, record: recordSignature };
  });

  // users limited to some lines (machines: in this plant a line is a machine) report only for those machines
  app.addHook('preHandler', async (request) => {
    const scope = request.routeOptions.config.lineScope;
    const user = request.user;
    if (!scope || !user) return;
    const lines = user.lines;
    if (lines.length === 0) {
      if (!LINE_LIMITED_ROLES.includes(user.role)) return;
      throw new Forbidden('You have no lines to report for yet — ask an administrator to add your lines.');
    }
    const params = (request.params ?? {}) as Record<string, unknown>;
    const query = (request.query ?? {}) as Record<string, unknown>;
    let machine: string | null = null;
    if ('machineParam' in scope) machine = String(params[scope.machineParam] ?? '');
    else if ('machineQuery' in scope) machine = String(query[scope.machineQuery] ?? '');
    else machine = await scope.operationMachine(params);
    if (!machine || !lines.includes(machine)) {
      const yours = await machineNames(options.db, lines);
      const what = machine ? (await machineNames(options.db, [machine]))[0] : 'this operation (it is on no machine)';
      throw new Forbidden(`You report for ${yours.join(', ')} only; ${what} is not one of your lines — ask an administrator to add it.`);
    }
  });

  app.addHook('onResponse', async (request, reply) => {
    const intent = request.signatureIntent;
    if (intent && intent.recordedId === undefined && reply.statusCode < 400) {
      // a signed route whose change did not carry the signature into its audit entry: a bug to fix at once
      request.log.error({ url: request.url, entity: intent.auditEntity }, 'a signed change was made without recording its electronic signature');
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
    // over https (directly, or through a trusted proxy that says so): browsers keep to https
    if (request.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html') && !request.url.startsWith('/api/docs')) reply.header('content-security-policy', CSP);
    if (request.url.startsWith('/api/auth/') || request.url.startsWith('/api/users')) reply.header('cache-control', 'no-store');
    return payload;
  });
}

/**
 * For a live stream's periodic recheck: why the session behind the request's cookie has ended, or
 * null while it is valid. Never counts as activity (a stream open on a screen is not the user).
 */
export function sessionEndOf(ctx: AuthContext): (request: FastifyRequest) => Promise<SessionEndReason | null> {
  return async (request) => {
    if (request.tvDevice) {
      const token = request.cookies[TV_COOKIE];
      const device = token ? await tvPrincipalOf(ctx.db, token) : null;
      return device ? null : { reason: 'revoked', message: TV_TOKEN_REFUSED };
    }
    const sessionId = request.cookies[SESSION_COOKIE];
    if (!sessionId) return { reason: 'unknown', message: SESSION_END_MESSAGES.unknown };
    const check = await checkSession(ctx, sessionId, false);
    return check.ok ? null : { reason: check.reason, message: SESSION_END_MESSAGES[check.reason] };
  };
}

/** The machines' names as the screens show them ("Line 7"), the key where a machine is unknown. */
async function machineNames(db: AuthContext['db'], keys: readonly string[]): Promise<string[]> {
  return Promise.all(keys.map(async (key) => (await plantRepo.getMachine(db, key))?.name ?? key));
}

function sessionState(session: SessionRow, user: UserRow) {
  return { idHash: session.id_hash, expiresAt: session.expires_at, lastSeenAt: session.last_seen_at, row: user };
}
