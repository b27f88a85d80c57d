// A modal dialog and a side panel. Both close on Escape and trap nothing else: forms inside them keep
// their own state, so closing and reopening never happens behind the user's back.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { ApiError, errorMessage } from '../api/client.js';
import { ErrorBanner } from './feedback.js';
import { REASON_MISSING, ReasonField } from './reason-field.js';

function useEscape(onClose: () => void, enabled: boolean) {
  const latest = useRef(onClose);
  latest.current = onClose;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') latest.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}

export function Modal({ title, onClose, children, footer, testId, wide = false, closeable = true }: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  testId?: string;
  wide?: boolean;
  closeable?: boolean;
}) {
  const titleId = useId();
  useEscape(onClose, closeable);
  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && closeable && onClose()}>
      <div className={`modal${wide ? ' modal-wide' : ''}`} role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid={testId}>
        <header className="modal-header">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose} disabled={!closeable}>
            ×
          </button>
        </header>
        <div className="modal-body">{children}</div>
        {footer ? <footer className="modal-footer">{footer}</footer> : null}
      </div>
    </div>
  );
}

export function SidePanel({ title, onClose, children, footer, testId }: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  testId?: string;
}) {
  const titleId = useId();
  useEscape(onClose, true);
  return (
    <div className="overlay overlay-panel" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <aside className="side-panel" role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid={testId}>
        <header className="modal-header">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </header>
        <div className="panel-body">{children}</div>
        {footer ? <footer className="modal-footer">{footer}</footer> : null}
      </aside>
    </div>
  );
}

/**
 * "Are you sure?" for destructive actions. The action's failure (e.g. the server's 409 "still used
 * by …") is shown inside the dialog, so the user reads why nothing happened. With `reason` it also
 * asks why (see ReasonDialog in reason-dialog.tsx): a required reason must be given before confirming.
 */
export function ConfirmDialog({ title, children, confirmLabel, onConfirm, onClose, danger = true, reason: asksReason }: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: (reason: string) => Promise<void>;
  onClose: () => void;
  danger?: boolean;
  reason?: 'required' | 'optional';
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>();
  const confirm = async () => {
    if (asksReason === 'required' && !reason.trim()) return setReasonError(REASON_MISSING);
    setBusy(true);
    setError(null);
    setReasonError(undefined);
    try {
      await onConfirm(reason.trim());
      onClose();
    } catch (e) {
      // the server's own word on the reason goes under the field, and the user can fix it here
      if (e instanceof ApiError && e.fields.reason) {
        setReasonError(e.fields.reason);
      } else {
        setError(errorMessage(e));
      }
      setBusy(false);
    }
  };
  return (
    <Modal
      title={title}
      onClose={onClose}
      closeable={!busy}
      testId={asksReason ? 'reason-dialog' : 'confirm-dialog'}
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={busy} data-testid="confirm-cancel">
            {error ? 'Close' : 'Cancel'}
          </button>
          {error ? null : (
            <button type="button" className={`button ${danger ? 'button-danger' : 'button-primary'}`} onClick={confirm} disabled={busy} data-testid="confirm-ok">
              {busy ? <span className="spinner spinner-small" aria-hidden="true" /> : null}
              {confirmLabel}
            </button>
          )}
        </>
      }
    >
      <div className="confirm-text">{children}</div>
      {asksReason ? (
        <ReasonField
          value={reason}
          onChange={(value) => {
            setReason(value);
            if (value.trim()) setReasonError(undefined);
          }}
          required={asksReason === 'required'}
          error={reasonError}
        />
      ) : null}
      {error ? <ErrorBanner message={error} testId="confirm-error" /> : null}
    </Modal>
  );
}
