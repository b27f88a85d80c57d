// The periodic review of the system's audit trail: a quarter's changes to users, the plant model,
// the calendar, OEE profiles and rules, for the quality unit to review and sign ("Reviewed"); the
// signed versions with their manifestation; export as .xlsx or CSV (times with their zone offset).
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { DateTime } from 'luxon';
import { getPeriodicReview, periodicExportUrl, signPeriodicReview } from '../../api/release-review.js';
import { useAuth } from '../../auth/auth.js';
import { SignatureDialog, SignatureLine } from '../../auth/signature-dialog.js';
import { EmptyState, LoadFailed, Spinner } from '../../components/feedback.js';
import { useToast } from '../../components/toasts.js';
import { useResource } from '../../hooks/use-resource.js';
import { useSite } from '../../hooks/site.js';
import '../work-orders/release-review.css';

const quarterOf = (at: DateTime) => `${at.year}-Q${Math.ceil(at.month / 3)}`;
/** This quarter and the seven before it, newest first. */
const recentQuarters = (zone: string) => Array.from({ length: 8 }, (_, i) => quarterOf(DateTime.now().setZone(zone).minus({ months: 3 * i })));

export function PeriodicReviewPage() {
  const site = useSite();
  const zone = site.data?.timezone ?? 'UTC';
  const auth = useAuth();
  const toast = useToast();
  const [params, setParams] = useSearchParams();
  const quarter = params.get('quarter') ?? quarterOf(DateTime.now().setZone(zone));
  const review = useResource(() => getPeriodicReview(quarter), [quarter]);
  const [signing, setSigning] = useState(false);
  const data = review.data?.quarter === quarter ? review.data : undefined;
  const when = (iso: string) => DateTime.fromISO(iso, { zone }).toFormat('yyyy-MM-dd HH:mm:ss ZZ');

  return (
    <section className="page rv-periodic" data-testid="page-periodic-review">
      <div className="page-header">
        <h1>Periodic review of the system audit trail</h1>
        <div className="page-actions">
          <Link className="button" to="/audit">
            Audit trail
          </Link>
          <a className="button" href={periodicExportUrl(quarter, 'xlsx')} download data-testid="rv-periodic-xlsx">
            Export .xlsx
          </a>
          <a className="button" href={periodicExportUrl(quarter, 'csv')} download data-testid="rv-periodic-csv">
            Export CSV
          </a>
        </div>
      </div>
      <div className="rv-periodic-controls">
        <label>
          Quarter{' '}
          <select value={quarter} onChange={(e) => setParams({ quarter: e.target.value })} data-testid="rv-periodic-quarter">
            {[...new Set([quarter, ...recentQuarters(zone)])].map((q) => (
              <option key={q} value={q}>
                {q}
              </option>
            ))}
          </select>
        </label>
        {data && auth.me?.user.role === 'quality' && data.needsSignature ? (
          <button type="button" className="button button-primary" onClick={() => setSigning(true)} data-testid="rv-periodic-sign">
            Sign as reviewed…
          </button>
        ) : null}
      </div>
      {review.error ? <LoadFailed error={review.error} onRetry={review.reload} /> : null}
      {!data ? (
        review.error ? null : <Spinner />
      ) : (
        <>
          <h2>Signed versions</h2>
          {data.signed.length === 0 ? (
            <p className="muted" data-testid="rv-periodic-unsigned">Not signed yet.</p>
          ) : (
            <ul className="rv-periodic-signed" data-testid="rv-periodic-signed">
              {data.signed.map((s) => (
                <li key={s.version}>
                  Version {s.version}: {s.itemCount} item{s.itemCount === 1 ? '' : 's'}
                  {s.signature ? <SignatureLine signature={s.signature} zone={zone} /> : ` signed by ${s.signedBy}`}
                </li>
              ))}
            </ul>
          )}
          <h2>
            {data.items.length} system change{data.items.length === 1 ? '' : 's'} in {quarter}
          </h2>
          <p className="muted">Users and roles, site, process groups, machines, products, calendar, holidays, OEE profiles, changeover matrices, reason trees, alert rules and TV screens.</p>
          {data.items.length === 0 ? (
            <EmptyState title="No system changes in this quarter" />
          ) : (
            <table className="rv-periodic-table" data-testid="rv-periodic-items">
              <thead>
                <tr>
                  <th>When ({zone})</th>
                  <th>User</th>
                  <th>Record</th>
                  <th>Action</th>
                  <th>Reason</th>
                  <th>Change</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((item) => (
                  <tr key={item.auditId} className={item.newSinceSigned ? 'rv-periodic-new' : undefined}>
                    <td>{when(item.at)}</td>
                    <td>{item.actor}</td>
                    <td>
                      {item.entityLabel} {item.entityKey}
                    </td>
                    <td>
                      {item.actionLabel}
                      {item.newSinceSigned ? ' (new since last signed)' : ''}
                    </td>
                    <td>{item.reason ?? ''}</td>
                    <td>{item.change.join('; ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      {signing && data ? (
        <SignatureDialog
          title={`Sign the review of ${quarter}`}
          what={
            <>
              The {data.items.length} system-level audit item{data.items.length === 1 ? '' : 's'} of {quarter} are reviewed
              {data.signed.length > 0 ? ` (version ${data.signed[0].version + 1})` : ''}.
            </>
          }
          defaultMeaning="reviewed"
          requireReason={false}
          confirmLabel="Sign as reviewed"
          onSign={async (signature, reason) => {
            await signPeriodicReview(quarter, signature, reason || undefined);
            toast.success(`Review of ${quarter} signed`);
            setSigning(false);
            void review.reload();
          }}
          onClose={() => setSigning(false)}
        />
      ) : null}
    </section>
  );
}
