// The audit trail: who changed what, when (plant time), why, from where, with the electronic
// signature a change carries; filtered by user, record and time; exported as .xlsx or CSV with the
// same filters. Filters live in the URL, so a filtered view can be shared.
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { actionLabel, describeChange, recordLabel, type DescribeContext } from '../../../../src/features/audit/describe.js';
import { auditEntrySchema, type AuditEntryView } from '../../../../src/features/records/schemas.js';
import { requestJson } from '../../api/client.js';
import { listMachines, listProducts } from '../../api/plant.js';
import { SignatureLine } from '../../auth/signature-dialog.js';
import { EmptyState, LoadFailed, Spinner } from '../../components/feedback.js';
import { Field } from '../../components/field.js';
import { useResource } from '../../hooks/use-resource.js';
import { waitForReplan } from '../../api/live.js';
import { useSite } from '../../hooks/site.js';
import { AuditIntegrityPanel } from './integrity-panel.js';

const RECORD_TYPES: [string, string][] = [
  ['', 'All records'],
  ['work-order', 'Work orders'],
  ['machine', 'Machines'],
  ['product', 'Products'],
  ['process-group', 'Process groups'],
  ['calendar', 'Calendar'],
  ['holiday', 'Holidays'],
  ['oee-profile', 'OEE profiles'],
  ['stop', 'Stops'],
  ['schedule', 'Schedule'],
  ['user', 'Users and sign-ins'],
  ['site', 'Site'],
];

interface Filters {
  actor: string;
  entity: string;
  entityKey: string;
  /** plant-local dates, YYYY-MM-DD; `to` inclusive */
  from: string;
  to: string;
}

/** The API's query for the filters: plant-local days → UTC instants. */
export function auditQueryString(filters: Filters, zone: string, limit = 500): string {
  const query = new URLSearchParams();
  if (filters.actor) query.set('actor', filters.actor);
  if (filters.entity) query.set('entity', filters.entity);
  if (filters.entityKey.trim()) query.set('entityKey', filters.entityKey.trim());
  const from = filters.from ? DateTime.fromISO(filters.from, { zone }) : null;
  const to = filters.to ? DateTime.fromISO(filters.to, { zone }).plus({ days: 1 }) : null;
  if (from?.isValid) query.set('from', String(from.toMillis()));
  if (to?.isValid) query.set('to', String(to.toMillis()));
  query.set('limit', String(limit));
  return query.toString();
}

export function AuditPage() {
  const site = useSite();
  const zone = site.data?.timezone ?? 'UTC';
  const [params, setParams] = useSearchParams();
  const filters: Filters = {
    actor: params.get('actor') ?? '',
    entity: params.get('entity') ?? '',
    entityKey: params.get('key') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
  };
  const set = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };
  const query = auditQueryString(filters, zone);
  const actors = useResource(() => requestJson('GET', '/api/audit/actors', z.array(z.string())), []);
  const entries = useResource(() => requestJson('GET', `/api/audit?${query}`, z.array(auditEntrySchema)), [query], ['plant', 'calendar', 'schedule', 'production'], waitForReplan);
  const exportQuery = useMemo(() => auditQueryString(filters, zone, 5000), [query, zone]);
  // names, so a change reads "Machine: Line 7", not "line7" (the exports do the same on the server)
  const names = useResource(() => Promise.all([listMachines(), listProducts()]), [], ['plant']);
  const describeContext = useMemo<DescribeContext>(
    () => ({
      zone,
      machineNames: new Map((names.data?.[0] ?? []).map((m) => [m.key, m.name])),
      productNames: new Map((names.data?.[1] ?? []).map((p) => [p.key, p.name])),
    }),
    [zone, names.data],
  );

  return (
    <section className="page" data-testid="page-audit">
      <div className="page-header">
        <h1>Audit trail</h1>
        <div className="page-actions">
          <Link className="button" to="/audit/periodic-review" data-testid="audit-periodic-review">
            Periodic review
          </Link>
          <Link className="button" to={filters.entity === 'work-order' && filters.entityKey.trim() ? `/trace/${encodeURIComponent(filters.entityKey.trim())}` : '/trace'} data-testid="audit-trace">
            Trace a lot
          </Link>
          <a className="button" href={`/api/audit/export.xlsx?${exportQuery}`} download data-testid="audit-export-xlsx">
            Export .xlsx
          </a>
          <a className="button" href={`/api/audit/export.csv?${exportQuery}`} download data-testid="audit-export-csv">
            Export CSV
          </a>
        </div>
      </div>
      <AuditIntegrityPanel zone={zone} />
      <form className="audit-filters" onSubmit={(e) => e.preventDefault()} data-testid="audit-filters">
        <Field label="User" name="actor">
          <select value={filters.actor} onChange={(e) => set('actor', e.target.value)} data-testid="audit-filter-user">
            <option value="">Everyone</option>
            {(actors.data ?? []).map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Record type" name="entity">
          <select value={filters.entity} onChange={(e) => set('entity', e.target.value)} data-testid="audit-filter-entity">
            {RECORD_TYPES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Record (lot, machine key…)" name="key">
          <input value={filters.entityKey} onChange={(e) => set('key', e.target.value)} data-testid="audit-filter-key" />
        </Field>
        <Field label="From (plant date)" name="from">
          <input type="date" value={filters.from} onChange={(e) => set('from', e.target.value)} data-testid="audit-filter-from" />
        </Field>
        <Field label="To (plant date)" name="to">
          <input type="date" value={filters.to} onChange={(e) => set('to', e.target.value)} data-testid="audit-filter-to" />
        </Field>
      </form>
      {entries.error ? <LoadFailed error={entries.error} onRetry={() => void entries.reload()} /> : null}
      {entries.loading && !entries.data ? <Spinner /> : null}
      {entries.data && entries.data.length === 0 ? <EmptyState title="No entries match these filters" testId="audit-empty" /> : null}
      {entries.data && entries.data.length > 0 ? <AuditTable entries={entries.data} zone={zone} describeContext={describeContext} /> : null}
    </section>
  );
}

function AuditTable({ entries, zone, describeContext }: { entries: AuditEntryView[]; zone: string; describeContext: DescribeContext }) {
  return (
    <div className="audit-table-wrap">
      <table className="audit-table" data-testid="audit-table">
        <thead>
          <tr>
            <th>When (plant time)</th>
            <th>User</th>
            <th>Record</th>
            <th>Action</th>
            <th>Reason</th>
            <th>Change</th>
            <th>Electronic signature</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => {
            const at = DateTime.fromMillis(e.at, { zone });
            const lines = describeChange(e, describeContext);
            return (
              <tr key={e.id} data-testid={`audit-row-${e.id}`}>
                <td className="audit-when">
                  <time dateTime={new Date(e.at).toISOString()}>
                    {at.toFormat('yyyy-MM-dd')} <span className="mono">{at.toFormat('HH:mm:ss')}</span> <span className="muted">{at.toFormat('ZZZZ')}</span>
                  </time>
                </td>
                <td>
                  {e.actor}
                  {e.source ? <div className="muted small">{e.source}</div> : null}
                </td>
                <td>
                  {recordLabel(e.entity)} <strong>{e.entityKey}</strong>
                </td>
                <td>{actionLabel(e.action)}</td>
                <td className="audit-reason">{e.reason}</td>
                <td className="audit-change" data-testid={`audit-change-${e.id}`}>
                  {lines.length > 0 ? (
                    <ul>
                      {lines.map((line, i) => (
                        <li key={i}>{line}</li>
                      ))}
                    </ul>
                  ) : null}
                </td>
                <td>{e.signature ? <SignatureLine signature={e.signature} zone={zone} testId={`audit-signature-${e.id}`} /> : null}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
