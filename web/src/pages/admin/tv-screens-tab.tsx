// TV screens: read-only device tokens for wall screens (the andon view at /tv). A new screen's link
// is shown once — only a hash of its token is kept; revoking ends its view and live stream at once.
import { useState, type FormEvent } from 'react';
import { DateTime } from 'luxon';
import type { TvDevice } from '../../../../src/features/auth/tv-device-schemas.js';
import { createTvDevice, listTvDevices, revokeTvDevice } from '../../api/tv.js';
import { listProcessGroups } from '../../api/plant.js';
import { Field } from '../../components/field.js';
import { useToast } from '../../components/toasts.js';
import { useResource } from '../../hooks/use-resource.js';
import { useSubmit } from '../../lib/forms.js';
import { CrudTab, FormPanel, type FormProps } from './crud-kit.js';

const when = (ms: number | null) => (ms === null ? '—' : DateTime.fromMillis(ms).toFormat('yyyy-MM-dd HH:mm'));

function TvScreenForm({ onDone, onCancel }: FormProps<TvDevice>) {
  const groups = useResource(listProcessGroups, []);
  const submit = useSubmit((path) => path === 'name' || path.startsWith('groups'));
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [link, setLink] = useState<string | null>(null);
  const save = (event: FormEvent) => {
    event.preventDefault();
    if (link) {
      onDone(`TV screen ${name} created`);
      return;
    }
    void submit.run(async () => {
      const created = await createTvDevice({ name, groups: chosen });
      setLink(`${window.location.origin}${created.link}`);
    });
  };
  return (
    <FormPanel formId="tv-screen-form" title="New TV screen" entity="TV screen" submitLabel={link ? 'Done' : 'Create screen'} busy={submit.busy} error={submit.formError} onSubmit={save} onCancel={link ? () => onDone(`TV screen ${name} created`) : onCancel}>
      {link ? (
        <div className="tv-link-once" data-testid="tv-link">
          <p>
            <strong>Open this link on the screen.</strong> It is shown only now: the server keeps only a hash of the token. Lost it? Revoke this screen and create a new one.
          </p>
          <input readOnly value={link} className="mono" onFocus={(e) => e.target.select()} data-testid="tv-link-value" />
        </div>
      ) : (
        <>
          <Field label="Name" name="name" error={submit.fieldErrors.name} hint="Where the screen hangs, e.g. Hall B north wall.">
            <input value={name} onChange={(e) => setName(e.target.value)} data-testid="input-name" />
          </Field>
          <fieldset className="field" data-testid="input-groups">
            <legend>Process groups it shows</legend>
            <p className="field-hint">The screen rotates between them. None ticked = every group.</p>
            {(groups.data ?? []).map((group) => (
              <label key={group.key} className="checkbox">
                <input
                  type="checkbox"
                  checked={chosen.includes(group.key)}
                  onChange={(e) => setChosen(e.target.checked ? [...chosen, group.key] : chosen.filter((key) => key !== group.key))}
                  data-testid={`group-${group.key}`}
                />{' '}
                {group.name}
              </label>
            ))}
          </fieldset>
        </>
      )}
    </FormPanel>
  );
}

export function TvScreensTab() {
  const devices = useResource(listTvDevices, []);
  const toast = useToast();
  const revoke = async (device: TvDevice) => {
    try {
      await revokeTvDevice(device.id);
      toast.success(`TV screen ${device.name} revoked`);
    } catch (error) {
      toast.error(error instanceof Error ? error.message : String(error));
    }
    await devices.reload();
  };
  return (
    <CrudTab<TvDevice>
      testId="tv-screens-tab"
      noun="TV screen"
      resource={devices}
      rows={devices.data}
      rowKey={(d) => d.id}
      rowTestId={(d) => `tv-screen-${d.id}`}
      columns={[
        { header: 'Name', className: 'strong', cell: (d) => d.name },
        { header: 'Groups', cell: (d) => (d.groups.length === 0 ? 'all' : d.groups.join(', ')) },
        { header: 'Created', cell: (d) => `${when(d.createdAt)} by ${d.createdBy}` },
        { header: 'Last seen', cell: (d) => when(d.lastSeenAt) },
        { header: 'Status', cell: (d) => (d.revokedAt === null ? 'active' : `revoked ${when(d.revokedAt)} by ${d.revokedBy}`) },
      ]}
      empty={{ title: 'No TV screens yet', body: 'Create one to show the andon view on a wall screen without anyone signed in.' }}
      create={{ label: 'New TV screen', testId: 'tv-screen-new', permission: 'users:admin' }}
      actions={(d) =>
        d.revokedAt === null ? (
          <button type="button" className="button button-small button-danger-outline" onClick={() => void revoke(d)} data-testid={`revoke-${d.id}`}>
            Revoke
          </button>
        ) : null
      }
      form={(props) => <TvScreenForm {...props} />}
    />
  );
}
