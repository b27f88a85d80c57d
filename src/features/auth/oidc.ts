// Single sign-on with OpenID Connect through openid-client: authorization code flow with PKCE (S256),
// state and nonce. The flow's secrets stay in the database (oidc_flows), keyed by the hash of a
// random id in a short-lived httpOnly cookie, so a callback is only accepted in the browser that
// started it, once. Claims map to a qmfg role through OIDC_ROLE_CLAIM / OIDC_ROLE_MAP.
import { randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { Invalid } from '../../core/errors.js';
import type { Role } from '../../core/permissions.js';
import * as repo from './repository.js';
import { sha256 } from './sessions.js';
import type { OidcIdentity } from './sign-in.js';

export type OidcConfig = Pick<
  Config,
  'OIDC_ISSUER' | 'OIDC_CLIENT_ID' | 'OIDC_CLIENT_SECRET' | 'OIDC_SCOPES' | 'OIDC_ROLE_CLAIM' | 'OIDC_ROLE_MAP' | 'OIDC_DEFAULT_ROLE' | 'OIDC_ALLOW_HTTP'
>;

const FLOW_MINUTES = 10;

/** Why a single sign-on did not work, in words for the sign-in page (no provider internals). */
export class SsoFailed extends Error {
  override name = 'SsoFailed';
  constructor(
    readonly code: 'not_configured' | 'flow_missing' | 'provider_error' | 'no_role' | 'deactivated',
    message: string,
  ) {
    super(message);
  }
}

/** Values of a claim given as a path ("groups", "realm_access.roles"): arrays, or space/comma-separated strings. */
export function claimValues(claims: Record<string, unknown>, path: string): string[] {
  let value: unknown = claims;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return [];
    value = (value as Record<string, unknown>)[part];
  }
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  return [];
}

/** The first OIDC_ROLE_MAP entry whose claim value the user has; else OIDC_DEFAULT_ROLE; else null (refused). */
export function mapRole(claims: Record<string, unknown>, config: Pick<OidcConfig, 'OIDC_ROLE_CLAIM' | 'OIDC_ROLE_MAP' | 'OIDC_DEFAULT_ROLE'>): Role | null {
  const values = new Set(claimValues(claims, config.OIDC_ROLE_CLAIM));
  for (const { claim, role } of config.OIDC_ROLE_MAP) if (values.has(claim)) return role;
  return config.OIDC_DEFAULT_ROLE || null;
}

/** Only a path on this site: never an absolute URL or a protocol-relative "//host" (open redirect). */
export function safeReturnTo(value: string | undefined): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\') || /[\r\n]/.test(value)) return '/';
  if (value.startsWith('/api/')) return '/';
  return value.slice(0, 500);
}

export class OidcService {
  private discovered: Promise<client.Configuration> | null = null;

  constructor(private readonly config: OidcConfig) {}

  get enabled(): boolean {
    return this.config.OIDC_ISSUER !== '';
  }

  /** The provider's metadata, fetched once (again after a failure, so a provider that was down is retried). */
  private configuration(): Promise<client.Configuration> {
    if (!this.enabled) return Promise.reject(new SsoFailed('not_configured', 'Single sign-on is not configured.'));
    if (!this.discovered) {
      const options = this.config.OIDC_ALLOW_HTTP ? { execute: [client.allowInsecureRequests] } : undefined;
      this.discovered = client
        .discovery(new URL(this.config.OIDC_ISSUER), this.config.OIDC_CLIENT_ID, this.config.OIDC_CLIENT_SECRET || undefined, undefined, options)
        .catch((error: unknown) => {
          this.discovered = null;
          throw new SsoFailed('provider_error', `The single-sign-on provider cannot be reached (${(error as Error).message}).`);
        });
    }
    return this.discovered;
  }

  /** Starts a sign-in: where to send the browser, and the flow id for the cookie. */
  async start(db: Db, redirectUri: string, returnTo: string, now = Date.now()): Promise<{ url: string; flowId: string }> {
    const configuration = await this.configuration();
    const flowId = randomBytes(32).toString('base64url');
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    await repo.insertOidcFlow(db, {
      id_hash: sha256(flowId),
      state,
      nonce,
      code_verifier: codeVerifier,
      return_to: safeReturnTo(returnTo),
      expires_at: now + FLOW_MINUTES * 60_000,
    });
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: redirectUri,
      scope: this.config.OIDC_SCOPES,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.href, flowId };
  }

  /**
   * Completes a sign-in from the provider's redirect: checks state, nonce and PKCE (openid-client),
   * reads the claims of the ID token and the userinfo endpoint, and maps them to an identity.
   */
  async finish(db: Db, flowId: string | undefined, callbackUrl: URL, now = Date.now()): Promise<{ identity: OidcIdentity; returnTo: string }> {
    if (!flowId) throw new SsoFailed('flow_missing', 'The single sign-on was not started in this browser (or took too long); try again.');
    const flow = await repo.takeOidcFlow(db, sha256(flowId), now);
    if (!flow) throw new SsoFailed('flow_missing', 'The single sign-on was not started in this browser (or took too long); try again.');
    const configuration = await this.configuration();
    let claims: Record<string, unknown>;
    try {
      const tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: flow.code_verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims();
      if (!idClaims) throw new Error('the provider returned no ID token');
      const userInfo = await client.fetchUserInfo(configuration, tokens.access_token, idClaims.sub);
      claims = { ...userInfo, ...idClaims };
    } catch (error) {
      if (error instanceof SsoFailed) throw error;
      throw new SsoFailed('provider_error', `The single-sign-on provider did not confirm the sign-in (${(error as Error).message}).`);
    }
    const role = mapRole(claims, this.config);
    if (!role) throw new SsoFailed('no_role', 'Your single-sign-on account has no qmfg role; ask an administrator to grant you one.');
    const subject = String(claims.sub);
    const text = (key: string) => (typeof claims[key] === 'string' && claims[key] ? (claims[key] as string) : null);
    const preferredUsername = text('preferred_username') ?? text('email') ?? subject;
    return {
      identity: {
        issuer: configuration.serverMetadata().issuer,
        subject,
        preferredUsername,
        displayName: text('name') ?? preferredUsername,
        email: text('email'),
        role,
      },
      returnTo: flow.return_to,
    };
  }
}

/** The redirect URI registered at the provider: from QMFG_PUBLIC_URL, or this request's own origin. */
export function redirectUriFor(publicUrl: string, requestOrigin: string): string {
  const base = (publicUrl || requestOrigin).replace(/\/+$/, '');
  if (!/^https?:\/\//.test(base)) throw new Invalid(`cannot build the single-sign-on redirect URI from '${base}'`);
  return `${base}/api/auth/oidc/callback`;
}
