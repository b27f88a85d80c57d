// Setting one's own PIN for quick sign-in at a line terminal (user menu). The password proves it is
// the account's owner; the server refuses roles that may not use a PIN (QMFG_PIN_ROLES).
import { useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../api/client.js';
import * as api from '../api/auth.js';
import { Field } from '../components/field.js';
import { Modal } from '../components/dialogs.js';

export function PinDialog({ onClose, onSaved }: { onClose: () => void; onSaved: (removed: boolean) => void }) {
  const [current, setCurrent] = useState('');
  const [pin, setPin] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const save = async (remove: boolean) => {
    setBusy(true);
    setErrors({});
    try {
      await api.setOwnPin(current, remove ? null : pin);
      onSaved(remove);
    } catch (e) {
      setErrors(e instanceof ApiError && Object.keys(e.fields).length ? e.fields : { form: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save(false);
  };
  return (
    <Modal title="PIN for line terminals" onClose={onClose} testId="pin-dialog">
      <form onSubmit={submit} className="password-form" noValidate>
        <p className="muted">At a line terminal you can sign in with your user name and this PIN. Electronic signatures still ask for your password.</p>
        {errors.form ? (
          <p className="banner banner-error" role="alert">
            {errors.form}
          </p>
        ) : null}
        <Field label="Current password" name="currentPassword" error={errors.currentPassword}>
          <input type="password" value={current} onChange={(e) => setCurrent(e.target.value)} autoComplete="current-password" data-testid="pin-current" />
        </Field>
        <Field label="New PIN (4 to 8 digits)" name="pin" error={errors.pin}>
          <input type="password" inputMode="numeric" maxLength={8} value={pin} onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))} autoComplete="off" data-testid="pin-new" />
        </Field>
        <div className="form-actions">
          <button type="button" className="button" onClick={() => void save(true)} disabled={busy || !current}>
            Remove my PIN
          </button>
          <button type="submit" className="button button-primary" disabled={busy || !current || pin.length < 4} data-testid="pin-submit">
            {busy ? 'Saving…' : 'Set PIN'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
