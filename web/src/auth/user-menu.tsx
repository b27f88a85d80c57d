// The signed-in user in the header: name and role, change password, sign out here or everywhere.
import { useEffect, useRef, useState } from 'react';
import { ROLE_LABELS } from '../../../src/core/permissions.js';
import { useToast } from '../components/toasts.js';
import { errorMessage } from '../api/client.js';
import { useAuth } from './auth.js';
import { PasswordDialog } from './password-form.js';
import { PinDialog } from './pin-dialog.js';

export function UserMenu() {
  const auth = useAuth();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const [changing, setChanging] = useState(false);
  const [pinning, setPinning] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) setOpen(false);
    };
    window.addEventListener('mousedown', close);
    return () => window.removeEventListener('mousedown', close);
  }, [open]);
  const user = auth.me?.user;
  if (!user) return null;
  return (
    <div className="user-menu" ref={root}>
      <button type="button" className="user-menu-button" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen((o) => !o)} data-testid="user-menu">
        <span className="user-menu-name" data-testid="user-menu-name">
          {user.displayName}
        </span>
        <span className="user-menu-role" data-testid="user-menu-role">
          {ROLE_LABELS[user.role]}
        </span>
      </button>
      {open ? (
        <div className="user-menu-list" role="menu">
          <div className="user-menu-who">
            Signed in as <strong>{user.username}</strong>
            {user.method === 'oidc' ? ' (single sign-on)' : user.method === 'pin' ? ' (PIN)' : ''}
          </div>
          {user.hasPassword ? (
            <button type="button" role="menuitem" onClick={() => (setOpen(false), setChanging(true))} data-testid="change-password">
              Change password
            </button>
          ) : null}
          {user.hasPassword && auth.config?.pin && (user.role === 'operator' || user.role === 'lead') ? (
            <button type="button" role="menuitem" onClick={() => (setOpen(false), setPinning(true))} data-testid="set-pin">
              PIN for line terminals
            </button>
          ) : null}
          <button type="button" role="menuitem" onClick={() => void auth.signOut()} data-testid="sign-out">
            Sign out
          </button>
          <button
            type="button"
            role="menuitem"
            onClick={() => auth.signOutEverywhere().catch((e: unknown) => toast.error(errorMessage(e)))}
            data-testid="sign-out-everywhere"
            title="Ends your sessions on every browser and device"
          >
            Sign out everywhere
          </button>
        </div>
      ) : null}
      {pinning ? (
        <PinDialog
          onClose={() => setPinning(false)}
          onSaved={(removed) => {
            setPinning(false);
            toast.success(removed ? 'Your PIN is removed.' : 'PIN set: sign in at a line terminal with your user name and PIN.');
          }}
        />
      ) : null}
      {changing ? (
        <PasswordDialog
          onClose={() => setChanging(false)}
          onChanged={() => {
            setChanging(false);
            toast.success('Password changed; your other sessions were signed out.');
          }}
        />
      ) : null}
    </div>
  );
}
