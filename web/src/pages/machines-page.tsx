// Machines grouped by process group, each with its live status: running or stopped, the lot on it
// and OEE so far today (readable across the room on a TV; refreshed by 'production' events).
import { Link } from 'react-router-dom';
import type { Machine, ProcessGroup } from '../../../src/features/plant/schemas.js';
import { listMachines, listProcessGroups } from '../api/plant.js';
import { listProfiles } from '../api/analytics.js';
import { useResource } from '../hooks/use-resource.js';
import { EmptyState, LoadFailed, Spinner } from '../components/feedback.js';
import { MachinesIcon } from '../components/icons.js';
import { useCan } from '../auth/auth.js';
import { whoMay } from '../../../src/core/permissions.js';
import { useSite } from '../hooks/site.js';
import { MachineLiveStatus, STATE_TICK_MS, useNow, usePlantLive, type PlantLive } from './analytics/machine-status.js';

async function loadPlant(): Promise<{ groups: ProcessGroup[]; machines: Machine[]; profileNames: Map<string, string> }> {
  const [groups, machines, profiles] = await Promise.all([listProcessGroups(), listMachines(), listProfiles()]);
  return { groups, machines, profileNames: new Map(profiles.map((p) => [p.name, p.displayName])) };
}

function MachineCard({ machine, profileName, live, now, zone }: { machine: Machine; profileName: string; live: PlantLive | null | undefined; now: number; zone: string }) {
  return (
    <article className={`machine-card${machine.enabled ? '' : ' machine-disabled'}`} data-testid={`machine-card-${machine.key}`}>
      <header className="machine-card-header">
        <h3>{machine.name}</h3>
        <span className={`badge ${machine.enabled ? 'badge-ok' : 'badge-muted'}`}>{machine.enabled ? 'Enabled' : 'Disabled'}</span>
      </header>
      {live ? <MachineLiveStatus machine={machine} live={live.machines.get(machine.key)} now={now} zone={zone} calendar={live.calendar} clockOffsetMs={live.clockOffsetMs} /> : null}
      <dl className="machine-facts">
        <div>
          <dt>Key</dt>
          <dd className="mono">{machine.key}</dd>
        </div>
        <div>
          <dt>OEE profile</dt>
          <dd>{profileName}</dd>
        </div>
      </dl>
      <Link className="button button-small machine-analytics-link" to={`/analytics?machines=${encodeURIComponent(machine.key)}&window=today`} data-testid={`machine-analytics-${machine.key}`}>
        Analytics
      </Link>
    </article>
  );
}

export function MachinesPage() {
  // managing machines is an Admin tab, for those who may change the plant set-up
  const canManage = useCan('plant:write');
  const plant = useResource(loadPlant, [], ['plant']);
  const site = useSite();
  const zone = site.data?.timezone;
  const machineKeys = plant.data ? plant.data.machines.map((m) => m.key) : null;
  const live = usePlantLive(machineKeys, zone);
  // the run state is worked out again on this tick (and on every live event), not only when data arrives
  const now = useNow(STATE_TICK_MS);
  const groups = plant.data?.groups ?? [];
  const machines = (plant.data?.machines ?? []).slice().sort((a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name));
  const ungrouped = machines.filter((m) => !groups.some((g) => g.key === m.group));
  const sections = [
    ...groups.map((group) => ({ key: group.key, name: group.name, machines: machines.filter((m) => m.group === group.key) })),
    ...(ungrouped.length ? [{ key: '_none', name: 'Without a known process group', machines: ungrouped }] : []),
  ];

  return (
    <div className="page" data-testid="page-machines">
      <div className="page-header">
        <h1>Machines</h1>
        {plant.data ? (
          <p className="page-subtitle">
            {machines.length} machines in {groups.length} process groups · {machines.filter((m) => m.enabled).length} enabled
          </p>
        ) : null}
        {canManage ? (
          <div className="page-actions">
            <Link className="button" to="/admin/machines" data-testid="manage-machines">
              Manage machines
            </Link>
          </div>
        ) : null}
      </div>
      {plant.error ? <LoadFailed error={plant.error} onRetry={plant.reload} /> : null}
      {live.error ? <LoadFailed error={live.error} onRetry={live.reload} /> : null}
      {plant.loading && !plant.data ? <Spinner label="Loading machines…" /> : null}
      {plant.data && sections.length === 0 ? (
        <EmptyState title="No machines yet" icon={<MachinesIcon />}>
          <p>Create process groups and machines in Admin; they appear here grouped by process group.</p>
          {canManage ? (
            <Link className="button button-primary" to="/admin/process-groups">
              Set up the plant
            </Link>
          ) : (
            <p className="muted">Only {whoMay('plant:write')} can set up the plant.</p>
          )}
        </EmptyState>
      ) : null}
      {sections.map((section) => (
        <section key={section.key} className="group-section" data-testid={`machine-group-${section.key}`}>
          <h2 className="group-title">
            {section.name}
            <span className="group-count">{section.machines.length}</span>
          </h2>
          {section.machines.length === 0 ? (
            <p className="muted">No machines in this group yet.</p>
          ) : (
            <div className="card-grid">
              {section.machines.map((machine) => (
                <MachineCard key={machine.key} machine={machine} profileName={plant.data?.profileNames.get(machine.oeeProfile) ?? machine.oeeProfile} live={live.data} now={now} zone={zone ?? 'UTC'} />
              ))}
            </div>
          )}
        </section>
      ))}
    </div>
  );
}
