// The audit trail: who changed what, when (plant time), why, from where, with the electronic
// signature a change carries; filtered by user, record and time; exported as .xlsx or CSV with the
// same filters. Filters live in the URL, so a filtered view can be shared.
import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { auditEntrySchema, type AuditEntryView } from '../../../../src/features/audit/schemas.js';
import { requestJson } from '../../api/client.js';
import { SignatureLine } from '../../auth/signature-dialog.js';
import { EmptyState, LoadFailed, Spinner } from '../../components/feedback.js';
import { Field } from '../../components/field.js';
import { useResource } from '../../hooks/use-resource.js';
import { useSite } from '../../hooks/site.js';

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

function compact(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = JSON.stringify(value);
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
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
  const entries = useResource(() => requestJson('GET', `/api/audit?${query}`, z.array(auditEntrySchema)), [query], ['plant', 'calendar', 'schedule', 'production']);
  const exportQuery = useMemo(() => auditQueryString(filters, zone, 5000), [query, zone]);

  return (
    <section className="page" data-testid="page-audit">
      <div className="page-header">
        <h1>Audit trail</h1>
        <div className="page-actions">
          <a className="button" href={`/api/audit/export.xlsx?${exportQuery}`} download data-testid="audit-export-xlsx">
            Export .xlsx
          </a>
          <a className="button" href={`/api/audit/export.csv?${exportQuery}`} download data-testid="audit-export-csv">
            Export CSV
          </a>
        </div>
      </div>
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
      {entries.data && entries.data.length > 0 ? <AuditTable entries={entries.data} zone={zone} /> : null}
    </section>
  );
}

function AuditTable({ entries, zone }: { entries: AuditEntryView[]; zone: string }) {
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
          {entries.map((e) => (
            <tr key={e.id} data-testid={`audit-row-${e.id}`}>
              <td className="mono">{DateTime.fromMillis(e.at, { zone }).toFormat('yyyy-MM-dd HH:mm:ss')}</td>
              <td>
                {e.actor}
                {e.source ? <div className="muted">{e.source}</div> : null}
              </td>
              <td>
                {e.entity} <strong>{e.entityKey}</strong>
              </td>
              <td>{e.action}</td>
              <td>{e.reason}</td>
              <td className="audit-change">
                {e.before !== null && e.before !== undefined ? <div>before: {compact(e.before)}</div> : null}
                {e.after !== null && e.after !== undefined ? <div>after: {compact(e.after)}</div> : null}
              </td>
              <td>{e.signature ? <SignatureLine signature={e.signature} zone={zone} testId={`audit-signature-${e.id}`} /> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
