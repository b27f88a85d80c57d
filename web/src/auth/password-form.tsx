// Choosing a new password: forced after an administrator set one, or from the user menu.
import { useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../api/client.js';
import * as api from '../api/auth.js';
import { Field } from '../components/field.js';
import { Modal } from '../components/dialogs.js';
import { useAuth } from './auth.js';

function PasswordFields({ onDone, onCancel }: { onDone: () => void; onCancel?: () => void }) {
  const auth = useAuth();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const minLength = auth.config?.passwordMinLength ?? 12;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (next !== repeat) return setErrors({ repeat: 'the two new passwords differ' });
    setBusy(true);
    setErrors({});
    try {
      await api.changePassword(current, next);
      await auth.refresh();
      onDone();
    } catch (e) {
      setErrors(e instanceof ApiError && Object.keys(e.fields).length ? e.fields : { form: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} className="password-form" data-testid="password-form" noValidate>
      {errors.form ? (
        <p className="banner banner-error" role="alert">
          {errors.form}
        </p>
      ) : null}
      <Field label="Current password" name="currentPassword" error={errors.currentPassword}>
        <input type="password" value={current} onChange={(e) => setCurrent(e.target.value)} autoComplete="current-password" data-testid="password-current" />
      </Field>
      <Field label="New password" name="newPassword" error={errors.newPassword} hint={`At least ${minLength} characters; a passphrase of a few words is easiest. Not your name, not a common password.`}>
        <input type="password" value={next} onChange={(e) => setNext(e.target.value)} autoComplete="new-password" data-testid="password-new" />
      </Field>
      <Field label="New password again" name="repeat" error={errors.repeat}>
        <input type="password" value={repeat} onChange={(e) => setRepeat(e.target.value)} autoComplete="new-password" data-testid="password-repeat" />
      </Field>
      <div className="form-actions">
        {onCancel ? (
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
        <button type="submit" className="button button-primary" disabled={busy || !current || !next} data-testid="password-submit">
          {busy ? 'Saving…' : 'Change password'}
        </button>
      </div>
    </form>
  );
}

/** Full screen: nothing else is possible until the password is changed. */
export function ForcedPasswordChange() {
  const auth = useAuth();
  return (
    <main className="login-screen" data-testid="page-password-change">
      <div className="login-card">
        <h1 className="login-title">Choose your own password</h1>
        <p>An administrator set your password. Choose one only you know before you continue, {auth.me?.user.displayName}.</p>
        <PasswordFields onDone={() => undefined} />
        <button type="button" className="button button-link" onClick={() => void auth.signOut()}>
          Sign out
        </button>
      </div>
    </main>
  );
}

export function PasswordDialog({ onClose, onChanged }: { onClose: () => void; onChanged: () => void }) {
  return (
    <Modal title="Change password" onClose={onClose} testId="password-dialog">
      <p className="muted">Your other sessions (other browsers, devices) are signed out when the password changes.</p>
      <PasswordFields onDone={onChanged} onCancel={onClose} />
    </Modal>
  );
}
