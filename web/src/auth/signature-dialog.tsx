// The electronic signature of a regulated change (21 CFR Part 11): the signer sees what they sign
// and as whom, chooses what the signature means, gives the reason and enters their password again.
// Nothing changes unless the server accepts the signature.
import { useState, type FormEvent, type ReactNode } from 'react';
import { SIGNATURE_MEANING_LABELS, SIGNATURE_MEANINGS, type SignatureInput, type SignatureMeaning } from '../../../src/features/auth/schemas.js';
import { errorMessage } from '../api/client.js';
import { Field } from '../components/field.js';
import { Modal } from '../components/dialogs.js';
import { ReasonField } from '../components/reason-field.js';
import { useAuth } from './auth.js';

export function SignatureDialog({ title, what, defaultMeaning = 'approved', requireReason = true, confirmLabel = 'Sign', blocked = null, wide = false, onSign, onClose }: {
  title: string;
  /** what is being signed, in words */
  what: ReactNode;
  defaultMeaning?: SignatureMeaning;
  requireReason?: boolean;
  confirmLabel?: string;
  /** why the signature cannot be given yet (e.g. review items left): the sign button stays disabled */
  blocked?: string | null;
  /** a wider dialog, for signing with a list to go through (the review at release) */
  wide?: boolean;
  onSign: (signature: SignatureInput, reason: string) => Promise<void>;
  onClose: () => void;
}) {
  const auth = useAuth();
  const [meaning, setMeaning] = useState<SignatureMeaning>(defaultMeaning);
  const [password, setPassword] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const user = auth.me?.user;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (requireReason && !reason.trim()) return setError('Give the reason for this change.');
    setBusy(true);
    setError(null);
    try {
      await onSign({ password, meaning }, reason.trim());
    } catch (e) {
      setPassword('');
      setError(errorMessage(e));
      setBusy(false);
    }
  };
  return (
    <Modal title={title} onClose={onClose} testId="signature-dialog" closeable={!busy} wide={wide}>
      <form onSubmit={submit} className="signature-form" noValidate>
        <div className="signature-what">{what}</div>
        <p className="signature-signer" data-testid="signature-signer">
          Signing as <strong>{user?.displayName}</strong> ({user?.username})
        </p>
        {error ? (
          <p className="banner banner-error" role="alert" data-testid="signature-error">
            {error}
          </p>
        ) : null}
        <Field label="Meaning of this signature" name="meaning">
          <select value={meaning} onChange={(e) => setMeaning(e.target.value as SignatureMeaning)} data-testid="signature-meaning">
            {SIGNATURE_MEANINGS.map((m) => (
              <option key={m} value={m}>
                {SIGNATURE_MEANING_LABELS[m]}
              </option>
            ))}
          </select>
        </Field>
        <ReasonField value={reason} onChange={setReason} required={requireReason} testId="signature-reason" />
        <Field label="Your password" name="password" hint="Your signature is your user name and password, entered again now.">
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" data-testid="signature-password" />
        </Field>
        {blocked ? (
          <p className="muted" data-testid="signature-blocked">
            {blocked}
          </p>
        ) : null}
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={busy || !password || Boolean(blocked)} data-testid="signature-submit">
            {busy ? 'Signing…' : confirmLabel}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** "Released by Quinn Quality, 25 Nov 2026 14:03" with its validity — the manifestation of a signature. */
export function SignatureLine({ signature, zone, testId }: {
  signature: { meaning: SignatureMeaning; printedName: string; username: string; signedAt: string; valid: boolean; invalidReason: string | null; action: string };
  zone: string;
  testId?: string;
}) {
  const when = new Date(signature.signedAt).toLocaleString('en-GB', { timeZone: zone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  return (
    <div className={`signature-line${signature.valid ? '' : ' signature-invalid'}`} data-testid={testId}>
      <span className="signature-meaning">{SIGNATURE_MEANING_LABELS[signature.meaning]}</span> by <strong className="signature-name">{signature.printedName}</strong>{' '}
      <span className="signature-user">({signature.username})</span> · <time dateTime={signature.signedAt}>{when}</time>{' '}
      {signature.valid ? (
        <span className="badge badge-ok" data-testid={testId ? `${testId}-valid` : undefined}>
          valid for this version
        </span>
      ) : (
        <span className="badge badge-danger" title={signature.invalidReason ?? undefined} data-testid={testId ? `${testId}-invalid` : undefined}>
          no longer valid: {signature.invalidReason}
        </span>
      )}
    </div>
  );
}
