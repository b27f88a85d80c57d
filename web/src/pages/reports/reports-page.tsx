// Reports for leads and managers: the weekly line report of a process group (OEE per machine and
// day, losses and reasons, TEEP, labour, every shift's report with its state) with links to each
// shift report, printable and as .xlsx.
import { GroupSelect, useChosenGroup } from '../../components/group-picker.js';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { DateTime } from 'luxon';
import { getWeekReport, weekReportXlsxUrl } from '../../api/reports.js';
import { LoadFailed, Spinner } from '../../components/feedback.js';
import { useResource } from '../../hooks/use-resource.js';
import { useSite } from '../../hooks/site.js';
import { count, KeyFigures, LossSteps, percent, ReasonTable, ReportActions } from './report-parts.js';
import './reports.css';

export function ReportsPage() {
  const site = useSite();
  const zone = site.data?.timezone ?? 'UTC';
  const { groups, chosen, setGroup } = useChosenGroup();
  const [week, setWeek] = useState(() => DateTime.now().setZone(zone).minus({ weeks: 1 }).toFormat("kkkk-'W'WW"));
  const report = useResource(() => (chosen ? getWeekReport(chosen, week) : Promise.resolve(null)), [chosen, week], ['shift-log']);
  return (
    <article className="report-page" data-testid="reports-page">
      <header className="report-head">
        <div>
          <h1>Weekly line report</h1>
          <div className="report-controls no-print">
            <label>
              Process group{' '}
              <GroupSelect groups={groups.data} value={chosen} onChange={setGroup} testId="report-group" />
            </label>
            <label>
              Week{' '}
              <input type="week" value={week} onChange={(e) => e.target.value && setWeek(e.target.value)} data-testid="report-week" />
            </label>
          </div>
        </div>
        <ReportActions xlsxUrl={chosen ? weekReportXlsxUrl(chosen, week) : null} testId="week-xlsx" />
      </header>
      {report.error ? <LoadFailed error={report.error} onRetry={report.reload} /> : null}
      {!report.data ? (
        report.error ? null : <Spinner />
      ) : (
        <>
          <KeyFigures
            figures={[
              ['OEE', percent(report.data.losses.total.oee)], ['TEEP', percent(report.data.losses.total.teep)], ['Utilisation', percent(report.data.losses.total.utilisation)],
              ['Labour utilisation', percent(report.data.losses.total.labourUtilisation)], ['Paid crew hours', `${report.data.losses.total.paidCrewHours} h`],
            ]}
          />
          <section>
            <h2>Machines</h2>
            <table className="report-table" data-testid="week-machines">
              <thead>
                <tr>
                  <th>Machine</th>
                  <th className="num">Parts</th>
                  <th className="num">Good</th>
                  <th className="num">OEE</th>
                  <th className="num">TEEP</th>
                  {report.data.machines[0]?.days.map((d) => <th key={d.label} className="num">{d.label.slice(5)}</th>)}
                </tr>
              </thead>
              <tbody>
                {report.data.machines.map((m) => (
                  <tr key={m.machine}>
                    <td>{m.machine}</td>
                    <td className="num">{count(m.totals.parts)}</td>
                    <td className="num">{count(m.totals.good)}</td>
                    <td className="num">{percent(m.totals.oee)}</td>
                    <td className="num">{percent(report.data!.losses.machines.find((l) => l.machine === m.machine)?.teep)}</td>
                    {m.days.map((d) => <td key={d.label} className="num">{percent(d.oee)}</td>)}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section className="report-columns">
            <div>
              <h2>Losses</h2>
              <LossSteps losses={report.data.losses.total} />
            </div>
            <div>
              <h2>Reasons of the week</h2>
              <ReasonTable losses={report.data.losses.total} />
            </div>
          </section>
          <section>
            <h2>Shift reports</h2>
            <table className="report-table" data-testid="week-shifts">
              <thead>
                <tr>
                  <th>Machine</th>
                  <th>Shift</th>
                  <th>Report</th>
                  <th className="num">Crew</th>
                  <th className="num">Scrap</th>
                  <th>Notes</th>
                </tr>
              </thead>
              <tbody>
                {report.data.shifts
                  .filter((s) => s.state !== 'none')
                  .map((s) => (
                    <tr key={`${s.machine}-${s.shiftStart}`}>
                      <td>{s.machine}</td>
                      <td>
                        <Link to={`/reports/shift/${s.machine}/${Date.parse(s.shiftStart)}`}>{s.shift}</Link>
                      </td>
                      <td>{s.state === 'signed' ? `signed by ${s.signedBy}` : s.state}</td>
                      <td className="num">
                        {s.headCount} · {s.crewHours} h
                      </td>
                      <td className="num">{count(s.scrap)}</td>
                      <td>{s.notes ?? ''}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </article>
  );
}
