// REST for signing in and out (/api/auth), single sign-on and users (/api/users).
import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App, AppDeps } from '../../server/context.js';
import { whoOf } from '../../server/context.js';
import { Unauthorized } from '../../core/errors.js';
import { clearSessionCookies, setSessionCookies, SESSION_COOKIE, type CookiePolicy } from './access.js';
import { OidcService, redirectUriFor, safeReturnTo, SsoFailed } from './oidc.js';
import { permissionsOf } from '../../core/permissions.js';
import {
  authConfigSchema, loginBodySchema, meSchema, pinLoginSchema, pinSetSchema, sessionStateSchema, passwordChangeSchema, passwordResetSchema, userCreateSchema, userIdParams,
  userSchema, userUpdateSchema, type Me,
} from './schemas.js';
import * as sessions from './sessions.js';
import * as signIn from './sign-in.js';
import { pinLogin, setOwnPin } from './pin.js';
import * as users from './users.js';
import { LoginThrottle } from './login-throttle.js';

const OIDC_COOKIE = 'qmfg_oidc';
const OIDC_COOKIE_PATH = '/api/auth/oidc';

export async function authRoutes(app: App, { db, config, events }: AppDeps): Promise<void> {
  const ctx: sessions.AuthContext = {
    db,
    config,
    throttle: new LoginThrottle(config.QMFG_LOGIN_MAX_FAILURES, config.QMFG_LOCKOUT_MINUTES * 60_000),
    // signing out, revoking or replacing a session ends its open live streams
    onSessionEnd: (end) => events.endSessions(end),
  };
  const cookies: CookiePolicy = { secure: config.QMFG_COOKIE_SECURE, sessionHours: config.QMFG_SESSION_HOURS };
  const oidc = new OidcService(config);
  const tags = ['auth'];
  const meta = (req: FastifyRequest): sessions.RequestMeta => ({ source: req.ip, userAgent: req.headers['user-agent'] ?? null });

  const meOf = (user: signIn.SignedIn['user'], method: string, expiresAt: number, csrfToken?: string): Me => {
    const sessionUser = sessions.toSessionUser(user, method);
    const idle = sessions.idleLimitMs(config, sessionUser.role);
    return {
      user: sessionUser,
      permissions: permissionsOf(sessionUser.role),
      idleSeconds: idle === null ? null : idle / 1000,
      expiresAt: new Date(expiresAt).toISOString(),
      ...(csrfToken ? { csrfToken } : {}),
    };
  };
  const signedIn = (req: FastifyRequest) => {
    if (!req.user || !req.authSession) throw new Unauthorized('Sign in first.');
    return { user: req.user, session: req.authSession };
  };

  app.get('/api/auth/config', { config: { public: true }, schema: { tags, response: { 200: authConfigSchema } } }, () => ({
    sso: oidc.enabled,
    pin: config.QMFG_PIN_ROLES.length > 0,
    passwordMinLength: config.QMFG_PASSWORD_MIN_LENGTH,
    idleMinutes: config.QMFG_IDLE_MINUTES,
  }));

  // The sign-in screen's first question: is this browser signed in? Public so that the answer
  // "no" is not an error (a 401 here would be logged by every browser on every visit).
  app.get('/api/auth/session', { config: { public: true }, schema: { tags, response: { 200: sessionStateSchema } } }, async (req) => {
    const sessionId = req.cookies[SESSION_COOKIE];
    const check = sessionId ? await sessions.checkSession(ctx, sessionId, true) : null;
    return { me: check?.ok ? meOf(check.user, check.session.method, check.session.expires_at) : null };
  });

  app.post(
    '/api/auth/login',
    {
      config: { public: true, rateLimit: { max: config.QMFG_LOGIN_RATE_PER_MINUTE, timeWindow: 60_000 } },
      schema: { tags, body: loginBodySchema, response: { 200: meSchema } },
    },
    async (req, reply) => {
      const { user, session } = await signIn.login(ctx, req.body, meta(req), req.cookies[SESSION_COOKIE]);
      setSessionCookies(req, reply, session, cookies);
      return meOf(user, 'password', session.expiresAt, session.csrfToken);
    },
  );

  app.post(
    '/api/auth/pin-login',
    {
      config: { public: true, rateLimit: { max: config.QMFG_LOGIN_RATE_PER_MINUTE, timeWindow: 60_000 } },
      schema: { tags, description: 'Quick sign-in at a line terminal with user name + PIN (roles in QMFG_PIN_ROLES, PIN set by the user).', body: pinLoginSchema, response: { 200: meSchema } },
    },
    async (req, reply) => {
      const { user, session } = await pinLogin(ctx, req.body, meta(req), req.cookies[SESSION_COOKIE]);
      setSessionCookies(req, reply, session, cookies);
      return meOf(user, 'pin', session.expiresAt, session.csrfToken);
    },
  );
  app.put('/api/auth/pin', { config: { authenticated: true }, schema: { tags, description: 'Sets or (pin: null) removes the own PIN; needs the current password.', body: pinSetSchema } }, async (req, reply) => {
    const { user } = signedIn(req);
    await setOwnPin(ctx, whoOf(req), user.id, req.body.currentPassword, req.body.pin);
    return reply.code(204).send();
  });

  app.get('/api/auth/me', { config: { authenticated: true, allowDuringPasswordChange: true }, schema: { tags, response: { 200: meSchema } } }, (req) => {
    const { session } = signedIn(req);
    return meOf(session.row, req.user?.method ?? 'password', session.expiresAt);
  });

  app.post('/api/auth/logout', { config: { authenticated: true, allowDuringPasswordChange: true }, schema: { tags } }, async (req, reply) => {
    const { session } = signedIn(req);
    await signIn.logout(ctx, whoOf(req), session.row, session.idHash);
    clearSessionCookies(req, reply, cookies);
    return reply.code(204).send();
  });

  app.post(
    '/api/auth/logout-all',
    { config: { authenticated: true, allowDuringPasswordChange: true }, schema: { tags, response: { 200: z.object({ sessionsEnded: z.number() }) } } },
    async (req, reply) => {
      const { session } = signedIn(req);
      const ended = await signIn.logoutEverywhere(ctx, whoOf(req), session.row);
      clearSessionCookies(req, reply, cookies);
      return { sessionsEnded: ended };
    },
  );

  app.post('/api/auth/password', { config: { authenticated: true, allowDuringPasswordChange: true }, schema: { tags, body: passwordChangeSchema } }, async (req, reply) => {
    const { user, session } = signedIn(req);
    await signIn.changePassword(ctx, whoOf(req), user.id, session.idHash, req.body.currentPassword, req.body.newPassword);
    return reply.code(204).send();
  });

  // ---- single sign-on

  const ssoError = (reply: FastifyReply, error: unknown) => {
    const code = error instanceof SsoFailed ? error.code : 'provider_error';
    app.log.warn({ err: error }, 'single sign-on failed');
    return reply.redirect(`/login?sso_error=${encodeURIComponent(code)}`, 303);
  };
  const origin = (req: FastifyRequest) => `${req.protocol}://${req.host}`;

  app.get(
    '/api/auth/oidc/start',
    { config: { public: true }, schema: { tags, querystring: z.object({ returnTo: z.string().max(500).optional() }) } },
    async (req, reply) => {
      try {
        const { url, flowId } = await oidc.start(db, redirectUriFor(config.QMFG_PUBLIC_URL, origin(req)), safeReturnTo(req.query.returnTo));
        reply.setCookie(OIDC_COOKIE, flowId, { httpOnly: true, sameSite: 'lax', secure: cookies.secure === '1' || (cookies.secure === 'auto' && req.protocol === 'https'), path: OIDC_COOKIE_PATH, maxAge: 600 });
        return reply.redirect(url, 303);
      } catch (error) {
        return ssoError(reply, error);
      }
    },
  );

  app.get('/api/auth/oidc/callback', { config: { public: true }, schema: { tags, hide: true } }, async (req, reply) => {
    const flowId = req.cookies[OIDC_COOKIE];
    reply.clearCookie(OIDC_COOKIE, { path: OIDC_COOKIE_PATH });
    try {
      const callbackUrl = new URL(req.url, redirectUriFor(config.QMFG_PUBLIC_URL, origin(req)));
      const { identity, returnTo } = await oidc.finish(db, flowId, callbackUrl);
      const { session } = await signIn.signInWithOidc(ctx, identity, meta(req), req.cookies[SESSION_COOKIE]);
      setSessionCookies(req, reply, session, cookies);
      return reply.redirect(returnTo, 303);
    } catch (error) {
      return ssoError(reply, error);
    }
  });

  // ---- users (administrators)

  const userTags = ['users'];
  const admin = { permission: 'users:admin' as const };
  app.get('/api/users', { config: admin, schema: { tags: userTags, response: { 200: z.array(userSchema) } } }, () => users.listUserViews(ctx));
  app.get('/api/users/:id', { config: admin, schema: { tags: userTags, params: userIdParams, response: { 200: userSchema } } }, (req) => users.getUserView(ctx, req.params.id));
  app.post('/api/users', { config: admin, schema: { tags: userTags, body: userCreateSchema, response: { 201: userSchema } } }, async (req, reply) =>
    reply.code(201).send(await users.createUser(ctx, whoOf(req, req.body.reason), req.body)),
  );
  app.patch('/api/users/:id', { config: admin, schema: { tags: userTags, params: userIdParams, body: userUpdateSchema, response: { 200: userSchema } } }, (req) =>
    users.updateUser(ctx, whoOf(req, req.body.reason), signedIn(req).user.id, req.params.id, req.body),
  );
  app.post('/api/users/:id/password', { config: admin, schema: { tags: userTags, params: userIdParams, body: passwordResetSchema, response: { 200: userSchema } } }, (req) =>
    users.resetPassword(ctx, whoOf(req, req.body.reason), req.params.id, req.body.password, req.body.reason),
  );
  app.post('/api/users/:id/sign-out', { config: admin, schema: { tags: userTags, params: userIdParams, response: { 200: z.object({ sessionsEnded: z.number() }) } } }, async (req) => ({
    sessionsEnded: await users.endSessionsOf(ctx, whoOf(req), req.params.id),
  }));
}
