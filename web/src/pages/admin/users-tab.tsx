// Users: who may sign in and with what role. Users are never deleted (the audit trail and signatures
// name them) — they are deactivated. New users and reset passwords must be changed at first sign-in.
import { useState, type FormEvent } from 'react';
import { DateTime } from 'luxon';
import { ROLE_LABELS, ROLES, type Role } from '../../../../src/core/permissions.js';
import type { User } from '../../../../src/features/auth/schemas.js';
import { createUser, listUsers, resetUserPassword, updateUser } from '../../api/auth.js';
import { listMachines, listProcessGroups } from '../../api/plant.js';
import { ApiError } from '../../api/client.js';
import { useAuth } from '../../auth/auth.js';
import { Field } from '../../components/field.js';
import { LoadFailed, Spinner } from '../../components/feedback.js';
import { useResource } from '../../hooks/use-resource.js';
import { useSite } from '../../hooks/site.js';
import { CrudTab, FormPanel, useDraftForm, type FormProps } from './crud-kit.js';

interface Draft {
  username: string;
  displayName: string;
  email: string;
  role: Role;
  /** machine keys: in this plant a line is a machine */
  lines: string[];
  active: boolean;
  password: string;
  reason: string;
}

const draftOf = (user?: User): Draft => ({
  username: user?.username ?? '',
  displayName: user?.displayName ?? '',
  email: user?.email ?? '',
  role: user?.role ?? 'viewer',
  lines: user?.lines ?? [],
  active: user?.active ?? true,
  password: '',
  reason: '',
});

const FIELDS = new Set(['username', 'displayName', 'email', 'role', 'lines', 'password', 'reason']);

const isShownField = (path: string) => FIELDS.has(path.split('.')[0]);

/** The form's own finish: users are saved with a message of their own (created, unlocked, new password). */
function UserForm({ existing, onDone, onCancel }: FormProps<User>) {
  const auth = useAuth();
  const { draft, set, submit } = useDraftForm({ existing, draftOf, isShownField });
  const done = (_user: User, message: string) => onDone(message);
  const self = existing?.id === auth.me?.user.id;
  const lines = draft.lines;

  const save = (event: FormEvent) => {
    event.preventDefault();
    const reason = draft.reason.trim() || undefined;
    void submit.run(async () => {
      if (existing) {
        const saved = await updateUser(existing.id, {
          displayName: draft.displayName, email: draft.email.trim() || null, role: draft.role, lines, active: draft.active, version: existing.version, reason,
        });
        done(saved, `User ${saved.username} saved`);
      } else {
        const created = await createUser({ username: draft.username, displayName: draft.displayName, email: draft.email.trim() || null, role: draft.role, lines, password: draft.password, reason });
        done(created, `User ${created.username} created; they choose their own password at first sign-in`);
      }
    });
  };
  const act = (run: () => Promise<User>, message: string) =>
    void submit.run(async () => {
      done(await run(), message);
    });

  return (
    <FormPanel
      formId="user-form"
      title={existing ? `Edit ${existing.displayName}` : 'New user'}
      entity="user"
      submitLabel={existing ? 'Save changes' : 'Create user'}
      busy={submit.busy}
      error={submit.formError}
      onSubmit={save}
      onCancel={onCancel}
    >
      <Field label="User name" name="username" error={submit.fieldErrors.username} hint={existing ? 'The user name cannot be changed.' : 'What they type to sign in, e.g. jane.doe.'}>
        <input value={draft.username} onChange={(e) => set({ username: e.target.value })} disabled={Boolean(existing)} className="mono" autoComplete="off" data-testid="input-username" />
      </Field>
      <Field label="Printed name" name="displayName" error={submit.fieldErrors.displayName} hint="Shown on electronic signatures.">
        <input value={draft.displayName} onChange={(e) => set({ displayName: e.target.value })} data-testid="input-displayName" />
      </Field>
      <Field label="E-mail" name="email" error={submit.fieldErrors.email}>
        <input type="email" value={draft.email} onChange={(e) => set({ email: e.target.value })} data-testid="input-email" />
      </Field>
      <Field label="Role" name="role" error={submit.fieldErrors.role} hint={self ? 'You cannot change your own role.' : undefined}>
        <select value={draft.role} onChange={(e) => set({ role: e.target.value as Role })} disabled={self} data-testid="input-role">
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {ROLE_LABELS[role]}
            </option>
          ))}
        </select>
      </Field>
      <LinesField lines={draft.lines} onChange={(next) => set({ lines: next })} error={submit.fieldErrors.lines ?? Object.entries(submit.fieldErrors).find(([path]) => path.startsWith('lines.'))?.[1]} />
      {existing ? (
        <label className="checkbox">
          <input type="checkbox" checked={draft.active} onChange={(e) => set({ active: e.target.checked })} disabled={self} data-testid="input-active" /> Active (may sign in)
        </label>
      ) : (
        <Field label="First password" name="password" error={submit.fieldErrors.password} hint={`At least ${auth.config?.passwordMinLength ?? 12} characters; the user must change it at first sign-in.`}>
          <input type="password" value={draft.password} onChange={(e) => set({ password: e.target.value })} autoComplete="new-password" data-testid="input-password" />
        </Field>
      )}
      <Field label="Reason (for the audit trail)" name="reason" error={submit.fieldErrors.reason}>
        <input value={draft.reason} onChange={(e) => set({ reason: e.target.value })} data-testid="input-reason" />
      </Field>
      {existing ? (
        <div className="button-row">
          {existing.locked ? (
            <button type="button" className="button" onClick={() => act(() => updateUser(existing.id, { unlock: true, version: existing.version, reason: draft.reason || undefined }), `${existing.username} unlocked`)} data-testid="user-unlock">
              Unlock
            </button>
          ) : null}
          <ResetPassword user={existing} onDone={done} />
        </div>
      ) : null}
    </FormPanel>
  );
}

/**
 * The lines a user reports for: machines, picked by process group. None picked = every line (the
 * role decides what they may do).
 */
function LinesField({ lines, onChange, error }: { lines: string[]; onChange: (lines: string[]) => void; error?: string }) {
  const machines = useResource(listMachines, []);
  const groups = useResource(listProcessGroups, []);
  const toggle = (key: string, on: boolean) => onChange(on ? [...lines, key] : lines.filter((line) => line !== key));
  const sorted = (machines.data ?? []).slice().sort((a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name));
  // a stored line that is no machine (any more) stays visible so that it can be removed
  const unknown = lines.filter((line) => machines.data && !machines.data.some((m) => m.key === line));
  return (
    <fieldset className={`field lines-field${error ? ' field-invalid' : ''}`} data-testid="input-lines">
      <legend>Lines (machines)</legend>
      <p className="field-hint">For operators: the machines they report for. None ticked = all lines.</p>
      {machines.error ? <LoadFailed error={machines.error} onRetry={machines.reload} /> : null}
      {!machines.data ? machines.error ? null : <Spinner inline /> : null}
      {(groups.data ?? []).map((group) => {
        const inGroup = sorted.filter((m) => m.group === group.key);
        if (inGroup.length === 0) return null;
        return (
          <div key={group.key} className="lines-group">
            <span className="lines-group-name">{group.name}</span>
            <div className="lines-options">
              {inGroup.map((machine) => (
                <label key={machine.key} className="checkbox lines-option">
                  <input type="checkbox" checked={lines.includes(machine.key)} onChange={(e) => toggle(machine.key, e.target.checked)} data-testid={`line-${machine.key}`} /> {machine.name}
                </label>
              ))}
            </div>
          </div>
        );
      })}
      {unknown.map((key) => (
        <label key={key} className="checkbox lines-option">
          <input type="checkbox" checked onChange={() => toggle(key, false)} data-testid={`line-${key}`} /> {key} <span className="muted small">(not a machine)</span>
        </label>
      ))}
      {error ? (
        <p className="field-error" data-testid="field-error-lines">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

function ResetPassword({ user, onDone }: { user: User; onDone: (user: User, message: string) => void }) {
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!open) {
    return (
      <button type="button" className="button" onClick={() => setOpen(true)} data-testid="user-reset-password">
        Set a new password…
      </button>
    );
  }
  const reset = async () => {
    try {
      onDone(await resetUserPassword(user.id, password), `New password set for ${user.username}; they are signed out and must change it`);
    } catch (e) {
      setError(e instanceof ApiError ? (e.fields.password ?? e.message) : String(e));
    }
  };
  return (
    <div className="reset-password">
      <Field label={`New password for ${user.username}`} name="resetPassword" error={error ?? undefined}>
        <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" data-testid="input-reset-password" />
      </Field>
      <button type="button" className="button button-primary" disabled={!password} onClick={() => void reset()} data-testid="user-reset-confirm">
        Set password
      </button>
    </div>
  );
}

export function UsersTab() {
  const users = useResource(listUsers, []);
  const site = useSite();
  const zone = site.data?.timezone ?? 'UTC';
  const when = (iso: string | null) => (iso ? DateTime.fromISO(iso, { zone }).toFormat('yyyy-MM-dd HH:mm') : '–');

  return (
    <CrudTab<User>
      testId="admin-users"
      noun="user"
      resource={users}
      rows={users.data}
      rowKey={(user) => user.id}
      rowTestId={(user) => `row-user-${user.username}`}
      create={{ label: 'New user', testId: 'create-user' }}
      empty={{ title: 'No users yet' }}
      columns={[
        { header: 'Name', className: 'strong', cell: (user) => user.displayName },
        { header: 'User name', className: 'mono', cell: (user) => `${user.username}${user.sso ? ' (SSO)' : ''}` },
        { header: 'Role', cell: (user) => ROLE_LABELS[user.role] },
        {
          header: 'State',
          cell: (user) => (
            <>
              {!user.active ? <span className="badge badge-muted">Deactivated</span> : user.locked ? <span className="badge badge-danger">Locked</span> : <span className="badge badge-ok">Active</span>}
              {user.mustChangePassword ? <span className="badge badge-warn">must change password</span> : null}
            </>
          ),
        },
        { header: 'Last sign-in', cell: (user) => when(user.lastLoginAt) },
      ]}
      // users are never deleted (the audit trail and signatures name them): only edited
      actions={(user, { edit }) => (
        <button type="button" className="button button-small" onClick={edit} data-testid={`edit-user-${user.username}`}>
          Edit
        </button>
      )}
      form={(props) => <UserForm {...props} />}
    />
  );
}
