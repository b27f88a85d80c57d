// The production calendar, one ISO week at a time: shifts per day, holidays, whether the week
// follows the default or has its own shifts, and the editors for all of it.
import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { WEEKDAYS } from '../../../../src/core/calendar/index.js';
import { isValidIsoWeek } from '../../../../src/core/calendar/index.js';
import { getCalendar, getWeek, resetWeek } from '../../api/calendar.js';
import { useResource } from '../../hooks/use-resource.js';
import { useSite } from '../../hooks/site.js';
import { useToast } from '../../components/toasts.js';
import { LoadFailed, Spinner } from '../../components/feedback.js';
import { currentPlantWeek, plantToday, shiftWeek, weekSpanLabel } from '../../lib/plant-time.js';
import { WeekGrid } from './week-grid.js';
import { DayEditor, type EditBase } from './day-editor.js';
import { HolidaysPanel } from './holidays-panel.js';
import { formatHours } from './week-layout.js';
import { ReasonDialog } from '../../components/reason-dialog.js';
import { useCan } from '../../auth/auth.js';
import { whoMay } from '../../../../src/core/permissions.js';

/** Plant "today", refreshed every minute so a screen left open rolls over at midnight. */
function usePlantToday(zone: string | undefined): string | undefined {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return zone ? plantToday(zone, now) : undefined;
}

export function CalendarPage() {
  const site = useSite();
  const zone = site.data?.timezone;
  const today = usePlantToday(zone);
  if (site.error) {
    return (
      <div className="page">
        <LoadFailed error={site.error} onRetry={site.reload} />
      </div>
    );
  }
  if (!zone || !today) return <Spinner label="Loading the calendar…" />;
  return <CalendarScreen zone={zone} today={today} />;
}

function CalendarScreen({ zone, today }: { zone: string; today: string }) {
  const [params, setParams] = useSearchParams();
  const thisWeek = currentPlantWeek(zone, Date.now());
  const requested = params.get('week');
  const week = requested && isValidIsoWeek(requested) ? requested : thisWeek;
  const toast = useToast();
  // the editors show only to those who may change the calendar; the others read it
  const canEdit = useCan('calendar:write');

  const weekView = useResource(() => getWeek(week), [week], ['calendar']);
  const calendar = useResource(getCalendar, [], ['calendar']);
  const [editingDay, setEditingDay] = useState<number | null>(null);
  const [editBase, setEditBase] = useState<EditBase | null>(null);
  const [confirmReset, setConfirmReset] = useState(false);

  const view = weekView.data?.week === week ? weekView.data : undefined;
  const goTo = (target: string) => setParams(target === thisWeek ? {} : { week: target });

  const baseFrom = useCallback(
    (current: NonNullable<typeof view>, cal: NonNullable<typeof calendar.data>): EditBase => ({
      week: current.week,
      dates: current.dates,
      weekDays: current.days,
      overridden: current.overridden,
      overrideVersion: current.version,
      // when the week follows the default its pattern and version ARE the default's: one consistent pair
      defaultDays: current.overridden ? cal.default.days : current.days,
      defaultVersion: current.overridden ? cal.default.version : current.version,
    }),
    [],
  );

  const openEditor = (dayIndex: number) => {
    if (!canEdit || !view || !calendar.data) return;
    setEditBase(baseFrom(view, calendar.data));
    setEditingDay(dayIndex);
  };

  const reloadBase = async (): Promise<EditBase> => {
    const [fresh, cal] = await Promise.all([getWeek(week), getCalendar()]);
    void weekView.reload();
    void calendar.reload();
    return baseFrom(fresh, cal);
  };

  return (
    <div className="page calendar-page" data-testid="page-calendar">
      <div className="page-header">
        <h1>Production calendar</h1>
        <p className="page-subtitle" data-testid="calendar-subtitle">
          Planned working time of the plant ({zone}). {canEdit ? 'Click a day to change its shifts.' : `Only ${whoMay('calendar:write')} can change it.`}
        </p>
      </div>
      <div className="week-toolbar">
        <div className="week-nav" role="group" aria-label="Week">
          <button type="button" className="button" onClick={() => goTo(shiftWeek(week, -1))} data-testid="week-prev" aria-label="Previous week">
            ‹ Prev
          </button>
          <button type="button" className="button" onClick={() => goTo(thisWeek)} disabled={week === thisWeek} data-testid="week-today">
            Today
          </button>
          <button type="button" className="button" onClick={() => goTo(shiftWeek(week, 1))} data-testid="week-next" aria-label="Next week">
            Next ›
          </button>
        </div>
        <h2 className="week-label" data-testid="week-label">
          {week}
          {view ? <span className="week-span"> · {weekSpanLabel(view.dates)}</span> : null}
        </h2>
        <div className="week-summary">
          {view ? (
            <span className="week-hours" data-testid="week-hours" title="Working time this week, from the plant's calendar (DST-exact)">
              <strong>{formatHours(view.workingHours)}</strong> working time
            </span>
          ) : null}
          {view?.overridden ? (
            <>
              <span className="badge badge-warn badge-large" data-testid="week-overridden-badge">
                This week differs from the default
              </span>
              {canEdit ? (
                <button type="button" className="button" onClick={() => setConfirmReset(true)} data-testid="week-reset">
                  Reset to default
                </button>
              ) : null}
            </>
          ) : view ? (
            <span className="badge badge-muted badge-large" data-testid="week-default-badge">
              Default week
            </span>
          ) : null}
        </div>
      </div>

      <div className="calendar-layout">
        <div className="calendar-main">
          {weekView.error ? <LoadFailed error={weekView.error} onRetry={weekView.reload} /> : null}
          {view ? <WeekGrid view={view} today={today} onEditDay={canEdit ? openEditor : null} /> : weekView.error ? null : <Spinner label={`Loading ${week}…`} />}
          <p className="legend muted small">
            <span className="legend-swatch legend-shift" /> shift
            <span className="legend-swatch legend-night" /> runs past midnight
            <span className="legend-swatch legend-holiday" /> holiday
          </p>
        </div>
        <aside className="calendar-side">
          {calendar.error ? <LoadFailed error={calendar.error} onRetry={calendar.reload} /> : null}
          {calendar.data ? (
            <HolidaysPanel holidays={calendar.data.holidays} today={today} canEdit={canEdit} onChanged={() => void Promise.all([calendar.reload(), weekView.reload()])} onShowWeek={goTo} />
          ) : calendar.error ? null : (
            <Spinner />
          )}
        </aside>
      </div>

      {editingDay !== null && editBase && view ? (
        <DayEditor
          base={editBase}
          dayIndex={editingDay}
          weekday={WEEKDAYS[editingDay]}
          holidayName={view.holidays.find((h) => h.date === editBase.dates[editingDay])?.name}
          onClose={() => setEditingDay(null)}
          onStale={reloadBase}
          onSaved={(scope) => {
            setEditingDay(null);
            toast.success(scope === 'week' ? `Shifts saved for ${week} only` : 'Default week saved: every week without its own shifts follows it');
            void Promise.all([weekView.reload(), calendar.reload()]);
          }}
        />
      ) : null}
      {confirmReset && view ? (
        <ReasonDialog
          title={`Reset ${week} to the default?`}
          confirmLabel="Reset to default"
          onClose={() => setConfirmReset(false)}
          onConfirm={async (reason) => {
            await resetWeek(week, reason);
            toast.success(`${week} follows the default week again`);
            await Promise.all([weekView.reload(), calendar.reload()]);
          }}
        >
          <p>The shifts set for this week only are discarded, and the week follows the default pattern again.</p>
        </ReasonDialog>
      ) : null}
    </div>
  );
}
