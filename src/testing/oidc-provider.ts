// A real OpenID Connect provider (oidc-provider) on a local port, for tests: its development
// login screen accepts any login name and signs that account in with the claims given here.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** registers the client's redirect URI (known once the app listens) */
  setRedirectUri(uri: string): void;
  close(): Promise<void>;
}

export async function startTestProvider(accounts: Record<string, Record<string, unknown>>): Promise<TestProvider> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  const server = createServer((req, res) => {
    if (handler) handler(req, res);
    else {
      res.statusCode = 503;
      res.end('provider not ready');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'qmfg-test';
  const clientSecret = 'a-test-client-secret-that-is-long-enough-for-hs256';
  const build = (redirectUri: string) =>
    new Provider(issuer, {
      clients: [{
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
      }],
      findAccount: (_ctx, sub) => {
        const claims = accounts[sub] ?? {};
        return { accountId: sub, claims: () => ({ sub, preferred_username: sub, ...claims }) };
      },
      claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email', 'email_verified'], groups: ['groups'] },
      features: { devInteractions: { enabled: true } },
      pkce: { required: () => true },
      cookies: { keys: ['qmfg-test-provider-cookie-key'] },
      ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    });
  return {
    issuer,
    clientId,
    clientSecret,
    setRedirectUri(uri) {
      handler = build(uri).callback();
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
