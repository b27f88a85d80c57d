// The sign-in screen: user name and password, or single sign-on when it is configured. After
// signing in the user lands on the screen they were opening.
import { useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../api/client.js';
import { Field } from '../components/field.js';
import { useAuth } from './auth.js';

const SSO_ERRORS: Record<string, string> = {
  not_configured: 'Single sign-on is not configured on this server.',
  flow_missing: 'The single sign-on took too long or was started in another browser. Try again.',
  provider_error: 'The single-sign-on provider did not confirm the sign-in. Try again, or sign in with your qmfg password.',
  no_role: 'Your single-sign-on account has no qmfg role. Ask an administrator to grant you one.',
  deactivated: 'This account has been deactivated. Ask an administrator.',
};

export function LoginPage() {
  const auth = useAuth();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(() => {
    const code = new URLSearchParams(window.location.search).get('sso_error');
    return code ? (SSO_ERRORS[code] ?? 'The single sign-on failed.') : null;
  });
  const [busy, setBusy] = useState(false);
  // a line terminal: user name + PIN (offered when the server allows it; remembered per browser)
  const [withPin, setWithPin] = useState(() => window.localStorage.getItem('qmfg.signInWithPin') === '1');
  const pinMode = withPin && Boolean(auth.config?.pin);
  const choosePin = (on: boolean) => {
    setWithPin(on);
    setPassword('');
    setError(null);
    window.localStorage.setItem('qmfg.signInWithPin', on ? '1' : '0');
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (pinMode) await auth.signInWithPin(username, password);
      else await auth.signIn(username, password);
      // the sign-in screen itself is no destination
      if (window.location.pathname === '/login') window.history.replaceState(null, '', '/board');
    } catch (e) {
      setPassword('');
      setError(e instanceof ApiError && e.status === 400 ? (pinMode ? 'Enter your user name and your PIN (4 to 8 digits).' : 'Enter your user name and password.') : errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const here = window.location.pathname === '/login' ? '/board' : window.location.pathname + window.location.search;
  const ssoHref = `/api/auth/oidc/start?${new URLSearchParams({ returnTo: here })}`;

  return (
    <main className="login-screen" data-testid="page-login">
      <form className="login-card" onSubmit={submit} data-testid="login-form" noValidate>
        <h1 className="login-title">
          <span className="brand-name">qmfg</span> Sign in
        </h1>
        {auth.notice ? (
          <p className="banner banner-info" role="status" data-testid="login-notice">
            {auth.notice}
          </p>
        ) : null}
        {error ? (
          <p className="banner banner-error" role="alert" data-testid="login-error">
            {error}
          </p>
        ) : null}
        <Field label="User name" name="username">
          <input value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" autoFocus required data-testid="login-username" />
        </Field>
        {pinMode ? (
          <Field label="PIN" name="pin">
            <input type="password" inputMode="numeric" pattern="[0-9]*" maxLength={8} value={password} onChange={(e) => setPassword(e.target.value.replace(/\D/g, ''))} autoComplete="off" required data-testid="login-pin" />
          </Field>
        ) : (
          <Field label="Password" name="password">
            <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" required data-testid="login-password" />
          </Field>
        )}
        <button type="submit" className="button button-primary login-submit" disabled={busy || !username || !password} data-testid="login-submit">
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {auth.config?.pin ? (
          <button type="button" className="button login-mode" onClick={() => choosePin(!pinMode)} data-testid="login-pin-mode">
            {pinMode ? 'Use a password instead' : 'Sign in with a PIN'}
          </button>
        ) : null}
        {auth.config?.sso ? (
          <>
            <div className="login-or" aria-hidden="true">
              or
            </div>
            <a className="button login-sso" href={ssoHref} data-testid="login-sso">
              Sign in with SSO
            </a>
          </>
        ) : null}
      </form>
    </main>
  );
}
