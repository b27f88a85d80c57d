// The operator screen (issue 13): one line and one shift on a tablet at the line — the lot running,
// the shift's counts, the stops that need a reason (picked from the group's tree with big buttons),
// scrap, crew, notes and the handover, then submit; the lead signs or reopens. Live: 'production'
// and 'shift-log' events refetch, and what is being typed stays (each form keeps its own draft).
import { useMemo, useState } from 'react';
import { DateTime } from 'luxon';
import { Link, Navigate, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { getOperatorView, type OperatorStop, type ShiftLogView } from '../../api/operator.js';
import { listMachines } from '../../api/plant.js';
import { useAuth } from '../../auth/auth.js';
import { EmptyState, LoadFailed, Spinner } from '../../components/feedback.js';
import { useToast } from '../../components/toasts.js';
import { useResource } from '../../hooks/use-resource.js';
import { useSite } from '../../hooks/site.js';
import { useNumberLocale } from '../../lib/forms.js';
import { CountsCard, LotCard, StopsCard } from './operator-cards.js';
import { HandoverPanel, ReportCard, SignedBanner, StateBadge } from './report-actions.js';
import { CrewCard, NotesCard, ScrapCard } from './shift-log-forms.js';
import { StopReasonDialog } from './stop-reason-dialog.js';
import type { ReasonNode } from './reason-tree.js';
import { shiftLabel } from './operator-format.js';
import { SpreadsheetPanel } from './spreadsheet-panel.js';
import './operator.css';

// plant: a new version of the reason tree is offered at once
const LIVE_TOPICS = ['production', 'shift-log', 'plant'];

/** The lines this user reports for: their own lines, or every enabled machine for roles without lines. */
function useLines(): { lines: { key: string; name: string }[] | undefined; error: Error | undefined; reload: () => Promise<void> } {
  const auth = useAuth();
  const own = auth.me?.user.lines ?? [];
  const machines = useResource(listMachines, [], ['plant']);
  const lines = useMemo(() => {
    if (!machines.data) return undefined;
    const sorted = machines.data.slice().sort((a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name));
    const mine = own.length > 0 ? sorted.filter((m) => own.includes(m.key)) : sorted.filter((m) => m.enabled);
    return mine.map((m) => ({ key: m.key, name: m.name }));
  }, [machines.data, own.join(',')]);
  return { lines, error: machines.error, reload: machines.reload };
}

export function OperatorPage() {
  const { machine } = useParams<{ machine?: string }>();
  const { lines, error, reload } = useLines();
  if (error) return <LoadFailed error={error} onRetry={reload} />;
  if (!lines) return <Spinner label="Loading your lines…" />;
  if (!machine) {
    if (lines.length === 1) return <Navigate to={`/operator/${encodeURIComponent(lines[0].key)}`} replace />;
    return <LineChoice lines={lines} />;
  }
  return <OperatorLine machine={machine} lines={lines} />;
}

function LineChoice({ lines }: { lines: { key: string; name: string }[] }) {
  return (
    <div className="page operator-page" data-testid="page-operator">
      <div className="page-header">
        <h1>Operator</h1>
        <p className="page-subtitle">Choose your line</p>
      </div>
      {lines.length === 0 ? (
        <EmptyState title="No lines for you yet">
          <p>Ask an administrator to add the lines you work on to your user.</p>
        </EmptyState>
      ) : (
        <div className="op-line-choice">
          {lines.map((line) => (
            <Link key={line.key} className="button op-line-button" to={`/operator/${encodeURIComponent(line.key)}`} data-testid={`op-line-${line.key}`}>
              {line.name}
            </Link>
          ))}
        </div>
      )}
    </div>
  );
}

function OperatorLine({ machine, lines }: { machine: string; lines: { key: string; name: string }[] }) {
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const auth = useAuth();
  const toast = useToast();
  const zone = useSite().data?.timezone ?? 'UTC';
  const locale = useNumberLocale();
  const shiftParam = search.get('shift');
  const shift = shiftParam && /^\d+$/.test(shiftParam) ? Number(shiftParam) : undefined;
  const view = useResource(() => getOperatorView(machine, shift), [machine, shift], LIVE_TOPICS);
  const [openStop, setOpenStop] = useState<number | null>(null);
  const data = view.data?.machine.key === machine ? view.data : undefined;

  const go = (nextMachine: string, nextShift: number | null) => navigate(`/operator/${encodeURIComponent(nextMachine)}${nextShift === null ? '' : `?shift=${nextShift}`}`);
  const onLog = (log: ShiftLogView) => view.update((v) => (v.log.shift.startMs === log.shift.startMs ? { ...v, log } : v));
  const onHandover = (handover: ShiftLogView) => view.update((v) => ({ ...v, handover }));
  const stop: OperatorStop | undefined = openStop === null ? undefined : data?.stops.find((s) => s.startMs === openStop);
  const readOnly = !data || data.log.state === 'signed' || !auth.can('production:report');
  const tree = (data?.tree.tree.nodes ?? []) as ReasonNode[];
  const known = lines.some((l) => l.key === machine);

  return (
    <div className="page operator-page" data-testid="page-operator">
      <div className="op-topbar">
        <label className="op-line-picker">
          <span className="visually-hidden">Line</span>
          <select value={machine} onChange={(e) => go(e.target.value, shift ?? null)} data-testid="op-line-picker">
            {known ? null : <option value={machine}>{data?.machine.name ?? machine}</option>}
            {lines.map((line) => (
              <option key={line.key} value={line.key}>
                {line.name}
              </option>
            ))}
          </select>
        </label>
        <div className="op-shift-stepper" role="group" aria-label="Shift">
          <button type="button" className="button op-step" onClick={() => data?.previousShift && go(machine, data.previousShift.startMs)} disabled={!data?.previousShift} aria-label="Previous shift" data-testid="op-shift-previous">
            ◀
          </button>
          <span className="op-shift-label" data-testid="op-shift-label">
            {data
              ? shiftLabel(data.shift.startMs, data.shift.endMs, zone)
                  .split(' · ')
                  .map((part) => (
                    <span key={part} className="op-shift-part">
                      {part}
                    </span>
                  ))
              : '…'}
            {data?.shift.running ? <span className="badge badge-ok">Now</span> : null}
          </span>
          <button type="button" className="button op-step" onClick={() => data?.nextShiftStartMs && go(machine, data.nextShiftStartMs)} disabled={!data?.nextShiftStartMs} aria-label="Next shift" data-testid="op-shift-next">
            ▶
          </button>
          {shift !== undefined && !data?.shift.running ? (
            <button type="button" className="button" onClick={() => go(machine, null)} data-testid="op-shift-now">
              Now
            </button>
          ) : null}
        </div>
        {/* another line or shift asked for: the last one stays on screen, dimmed, until it arrives */}
        {view.loading && data ? <Spinner inline label="Loading the shift…" /> : null}
        {data ? <StateBadge log={data.log} testId="op-report-state" /> : null}
      </div>
      {view.error ? <LoadFailed error={view.error} onRetry={view.reload} /> : null}
      {!data && !view.error ? <Spinner label="Loading the line…" /> : null}
      {data ? (
        <>
          <SignedBanner view={data} zone={zone} />
          <HandoverPanel view={data} zone={zone} onAcknowledged={onHandover} />
          <div className="op-pair">
            <LotCard view={data} locale={locale} />
            <CountsCard view={data} locale={locale} />
          </div>
          <div className={`op-grid${view.loading ? ' op-loading' : ''}`} aria-busy={view.loading}>
            <div className="op-column">
              <StopsCard view={data} zone={zone} locale={locale} readOnly={readOnly} onOpen={(s) => setOpenStop(s.startMs)} />
            </div>
            <div className="op-column">
              <ScrapCard view={data} locale={locale} readOnly={readOnly} onLog={onLog} tree={tree} />
              <CrewCard view={data} locale={locale} readOnly={readOnly} onLog={onLog} />
              <NotesCard view={data} locale={locale} readOnly={readOnly} onLog={onLog} />
              <ReportCard view={data} zone={zone} onLog={onLog} />
              {readOnly ? null : (
                <div className="op-card" data-testid="op-sheet">
                  <SpreadsheetPanel
                    machine={machine}
                    shiftStartMs={data.shift.startMs}
                    isoWeek={DateTime.fromMillis(data.shift.startMs, { zone }).toFormat("kkkk-'W'WW")}
                    onImported={() => void view.reload()}
                  />
                </div>
              )}
            </div>
          </div>
        </>
      ) : null}
      {data && stop ? (
        <StopReasonDialog
          machine={machine}
          stop={stop}
          tree={tree}
          zone={zone}
          onSaved={(message) => {
            setOpenStop(null);
            toast.success(message);
            void view.reload();
          }}
          onClose={() => setOpenStop(null)}
        />
      ) : null}
    </div>
  );
}
