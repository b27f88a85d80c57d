// The shift report of a line, made to be printed (A4, the browser's print): counts, OEE, TEEP and
// labour, the losses and their reasons, stops, scrap, crew, notes and the signatures as they were
// given (their manifestation) — and the .xlsx of the same.
import { useParams } from 'react-router-dom';
import { DateTime } from 'luxon';
import { useSite } from '../../hooks/site.js';
import { getShiftReport, shiftReportXlsxUrl } from '../../api/reports.js';
import { LoadFailed, Spinner } from '../../components/feedback.js';
import { useResource } from '../../hooks/use-resource.js';
import { count, hours, KeyFigures, LossSteps, percent, ReasonTable, ReportActions } from './report-parts.js';
import './reports.css';


export function ShiftReportPage() {
  const { machine = '', shift = '' } = useParams();
  const start = Number(shift);
  const report = useResource(() => getShiftReport(machine, start), [machine, start], ['shift-log']);
  // times of the plant, whatever the browser's zone
  const zone = useSite().data?.timezone ?? 'UTC';
  const local = (iso: string) => DateTime.fromISO(iso, { zone }).toFormat('HH:mm');
  if (report.error) return <LoadFailed error={report.error} onRetry={report.reload} />;
  if (!report.data) return <Spinner />;
  const r = report.data;
  const t = r.totals;
  return (
    <article className="report-page" data-testid="shift-report">
      <header className="report-head">
        <div>
          <h1>Shift report · {r.machine.name}</h1>
          <p className="report-sub">
            {r.shift.label} · profile {r.profile} · report <strong data-testid="report-state">{r.log.state}</strong>
          </p>
        </div>
        <ReportActions xlsxUrl={shiftReportXlsxUrl(r.machine.key, start)} testId="report-xlsx" />
      </header>
      <KeyFigures
        figures={[
          ['OEE', percent(t.oee)], ['Availability', percent(t.availability)], ['Performance', percent(t.performance)], ['Quality', percent(t.quality)],
          ['TEEP', percent(r.losses.teep)], ['Labour utilisation', percent(r.losses.labourUtilisation)], ['Parts', count(t.parts)], ['Good', count(t.good)],
          ['Scrap', count(t.rejects)], ['Crew', `${r.log.headCount} · ${r.log.crewHours} h`],
          ['Counted / camera', `${r.reconciliation.reported === null ? '–' : count(r.reconciliation.reported)} / ${count(r.reconciliation.camera)}`],
        ]}
      />
      <section>
        <h2>Losses</h2>
        <LossSteps losses={r.losses} />
      </section>
      <section>
        <h2>Reasons</h2>
        <ReasonTable losses={r.losses} />
      </section>
      <section>
        <h2>Stops that need a reason ({r.stops.length})</h2>
        <table className="report-table">
          <thead>
            <tr>
              <th>Start</th>
              <th className="num">Minutes</th>
              <th>Reason</th>
              <th>Comment</th>
            </tr>
          </thead>
          <tbody>
            {r.stops.map((s) => (
              <tr key={s.start}>
                <td>{local(s.start)}</td>
                <td className="num">{(s.seconds / 60).toFixed(1)}</td>
                <td>{s.reason ?? <span className="report-missing">no reason given</span>}</td>
                <td>{s.comment ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="report-columns">
        <div>
          <h2>Scrap</h2>
          {r.log.scrap.length === 0 ? (
            <p className="muted">None reported.</p>
          ) : (
            <table className="report-table">
              <tbody>
                {r.log.scrap.map((s) => (
                  <tr key={s.id}>
                    <td>Lot {s.lot}</td>
                    <td>{s.label}</td>
                    <td className="num">{count(s.quantity)} scrapped</td>
                    <td className="num">{count(s.rework)} reworked</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <div>
          <h2>Crew</h2>
          {r.log.crew.length === 0 ? <p className="muted">None reported.</p> : <ul className="report-list">{r.log.crew.map((c) => <li key={c.person}>{c.person} · {c.hours} h</li>)}</ul>}
          <p className="muted">Producing {hours(r.losses.producingCrewHours * 3600)} of {hours(r.losses.paidCrewHours * 3600)} paid.</p>
        </div>
      </section>
      <section>
        <h2>Notes and handover</h2>
        <p className="report-notes">{r.log.notes ?? 'No notes.'}</p>
        {r.log.openIssues ? <p className="report-notes"><strong>Open issues:</strong> {r.log.openIssues}</p> : null}
      </section>
      <section>
        <h2>Signatures</h2>
        {r.manifestations.length === 0 ? <p className="muted">Not signed yet.</p> : <ul className="report-list" data-testid="report-signatures">{r.manifestations.map((m) => <li key={m}>{m}</li>)}</ul>}
        {r.log.changedSinceSigning.length > 0 ? <p className="report-missing">Changed after signing: {r.log.changedSinceSigning.join(', ')}</p> : null}
      </section>
    </article>
  );
}
