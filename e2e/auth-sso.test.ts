// Single sign-on in Chromium against a real OpenID Connect provider run in-process (oidc-provider):
// "Sign in with SSO" → the provider's login and consent → back on qmfg, signed in with the role
// mapped from the provider's group claim.
import { afterAll, describe, expect, it } from 'vitest';
import { startTestProvider, type TestProvider } from '../src/testing/oidc-provider.js';
import { expectText, expectVisible, useE2E } from './harness.js';

let provider: TestProvider | undefined;

const e2e = useE2E({
  env: async () => {
    provider = await startTestProvider({
      'sam.sso': { name: 'Sam Single-Sign-On', email: 'sam@plant.example', groups: ['staff', 'qmfg-planners'] },
      'nora.norole': { name: 'Nora No-Role', groups: ['staff'] },
    });
    return {
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: provider.clientId,
      OIDC_CLIENT_SECRET: provider.clientSecret,
      OIDC_SCOPES: 'openid profile email groups',
      OIDC_ROLE_CLAIM: 'groups',
      OIDC_ROLE_MAP: 'qmfg-admins=admin,qmfg-planners=planner',
      OIDC_ALLOW_HTTP: '1',
    };
  },
});

afterAll(async () => {
  await provider?.close();
});

/** The provider's development pages ask for a web font (no network here) and a favicon it does not have. */
const allowProviderPageErrors = () => {
  e2e.allowConsoleErrors(/fonts\.googleapis\.com/);
  e2e.allowConsoleErrors(new RegExp(`${(provider?.issuer ?? 'no-provider').replace(/[.:/]/g, '\\$&')}/favicon\\.ico`));
};

describe('single sign-on', () => {
  it('signs in through the provider and lands with the mapped role', async () => {
    provider?.setRedirectUri(`${e2e.baseUrl}/api/auth/oidc/callback`);
    allowProviderPageErrors();
    const page = await e2e.newPage(undefined, { signedIn: false });
    await page.goto('/calendar');
    await expectVisible(page.getByTestId('page-login'));
    await page.getByTestId('login-sso').click();
    // the provider's own pages
    await page.waitForURL(`${provider?.issuer}/**`);
    await page.locator('input[name="login"]').fill('sam.sso');
    await page.locator('input[name="password"]').fill('anything');
    await page.locator('button[type="submit"]').click();
    await page.locator('button[type="submit"]').click(); // consent
    // back on qmfg, on the screen the user was opening
    await page.waitForURL(`${e2e.baseUrl}/calendar`);
    await expectVisible(page.getByTestId('week-grid'));
    await expectText(page.getByTestId('user-menu-name'), 'Sam Single-Sign-On');
    await expectText(page.getByTestId('user-menu-role'), 'Planner');
    const me = await page.evaluate(async () => (await fetch('/api/auth/me')).json());
    expect(me.user).toMatchObject({ username: 'sam.sso', role: 'planner', method: 'oidc', email: 'sam@plant.example' });
    expect(me.permissions).toEqual(['plant:read', 'orders:write', 'calendar:write']);
  });

  it('sends a user without a mapped role back to the sign-in page with the reason', async () => {
    provider?.setRedirectUri(`${e2e.baseUrl}/api/auth/oidc/callback`);
    allowProviderPageErrors();
    const page = await e2e.newPage(undefined, { signedIn: false });
    await page.goto('/board');
    await page.getByTestId('login-sso').click();
    await page.waitForURL(`${provider?.issuer}/**`);
    await page.locator('input[name="login"]').fill('nora.norole');
    await page.locator('input[name="password"]').fill('anything');
    await page.locator('button[type="submit"]').click();
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(`${e2e.baseUrl}/login?sso_error=no_role`);
    await expectText(page.getByTestId('login-error'), 'has no qmfg role');
  });
});
