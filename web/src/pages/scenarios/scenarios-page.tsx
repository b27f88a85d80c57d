// What-if scenarios: the list (open ones first) and "New scenario" — a copy of the live plan the
// planner then changes on its own screen (scenario-page.tsx).
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { createScenario, listScenarios } from '../../api/scenarios.js';
import { errorMessage } from '../../api/client.js';
import { EmptyState, LoadFailed, Spinner } from '../../components/feedback.js';
import { useResource } from '../../hooks/use-resource.js';
import { useSite } from '../../hooks/site.js';
import { formatInstant } from '../work-orders/format.js';
import './scenarios.css';

const STATE_LABEL = { open: 'Open', published: 'Published', discarded: 'Discarded' } as const;

export function ScenariosPage() {
  const list = useResource(listScenarios, [], ['schedule']);
  const zone = useSite().data?.timezone ?? 'UTC';
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const create = async () => {
    if (!name.trim()) return setError('Give the scenario a name');
    setBusy(true);
    try {
      const s = await createScenario(name.trim());
      navigate(`/scenarios/${s.id}`);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const items = [...(list.data?.items ?? [])].sort((a, b) => (a.state === 'open') === (b.state === 'open') ? b.id - a.id : a.state === 'open' ? -1 : 1);
  return (
    <div className="page scenarios-page" data-testid="page-scenarios">
      <div className="page-header">
        <h1>What-if scenarios</h1>
        <p className="page-subtitle">A copy of the live plan to try a shift, a line down, a rush order or new quantities — compared with the live plan, then published or discarded.</p>
      </div>
      <form className="scenario-create" onSubmit={(e) => { e.preventDefault(); void create(); }}>
        <label>
          New scenario
          <input value={name} onChange={(e) => { setName(e.target.value); setError(null); }} placeholder="e.g. Line 7 maintenance on Tuesday" maxLength={120} data-testid="scenario-name" />
        </label>
        <button type="submit" className="button primary" disabled={busy} data-testid="scenario-create">Copy the live plan</button>
        {error ? <span className="field-error" role="alert">{error}</span> : null}
      </form>
      {list.error && !list.data ? <LoadFailed error={list.error} onRetry={() => void list.reload()} /> : null}
      {list.loading && !list.data ? <Spinner /> : null}
      {list.data && items.length === 0 ? <EmptyState title="No scenarios yet">Copy the live plan above to start one.</EmptyState> : null}
      {items.length > 0 ? (
        <table className="scenario-list" data-testid="scenario-list">
          <thead><tr><th>Scenario</th><th>State</th><th>Edits</th><th>Copied</th><th>By</th><th>Live plan since</th></tr></thead>
          <tbody>
            {items.map((s) => (
              <tr key={s.id} data-testid={`scenario-row-${s.id}`}>
                <td><Link to={`/scenarios/${s.id}`}>{s.name}</Link></td>
                <td><span className={`scenario-state state-${s.state}`}>{STATE_LABEL[s.state]}</span></td>
                <td>{s.editCount}</td>
                <td>{formatInstant(s.basisAt, zone)}</td>
                <td>{s.createdBy}</td>
                <td>{s.state !== 'open' ? '—' : s.liveChanges.changed ? <span className="scenario-stale">changed: {s.liveChanges.machines.map((m) => m.name).join(', ')}</span> : 'unchanged'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
