// The week at a glance: seven day columns on a 00:00–24:00 axis, shifts as blocks, holidays shaded.
// A day's header (or anywhere in its column) opens that day's editor.
import type { WeekView } from '../../../../src/features/calendar/schemas.js';
import { dayLabel } from '../../lib/plant-time.js';
import { formatHours, formatMinutes, layoutWeek, MINUTES_PER_DAY, shiftSpan, type DayLayout, type ShiftPiece } from './week-layout.js';

const AXIS_HOURS = [0, 3, 6, 9, 12, 15, 18, 21, 24];

function pct(minutes: number): string {
  return `${(minutes / MINUTES_PER_DAY) * 100}%`;
}

function ShiftBlock({ piece }: { piece: ShiftPiece }) {
  const span = shiftSpan(piece.shift);
  const duration = span ? formatMinutes(span.end - span.start) : '';
  const height = piece.bottom - piece.top;
  const label = `${piece.shift[0]}–${piece.shift[1]}`;
  const classes = ['shift-block', piece.continuation ? 'shift-continuation' : '', piece.continues ? 'shift-continues' : '', piece.cancelled ? 'shift-cancelled' : '', height < 120 ? 'shift-short' : '', height < 75 ? 'shift-tiny' : '']
    .filter(Boolean)
    .join(' ');
  const testId = piece.continuation ? `shift-cont-${piece.weekday}-${piece.shiftIndex}` : `shift-${piece.weekday}-${piece.shiftIndex}`;
  const title = piece.continuation
    ? `${label}: continues from the day before until ${piece.shift[1]}`
    : `${label} (${duration})${piece.continues ? ', ends the next day' : ''}${piece.cancelled ? ' — not worked: holiday' : ''}`;
  return (
    <div className={classes} style={{ top: `calc(${pct(piece.top)} + 1px)`, height: `calc(${pct(height)} - 2px)` }} data-testid={testId} title={title}>
      {piece.continuation ? (
        <span className="shift-time">until {piece.shift[1]}</span>
      ) : (
        <>
          <span className="shift-time">
            {piece.shift[0]}–<wbr />
            {piece.shift[1]}
          </span>
          {height >= 90 ? <span className="shift-duration">{piece.cancelled ? 'not worked' : `${duration}${piece.continues ? ' · ends next day' : ''}`}</span> : null}
        </>
      )}
    </div>
  );
}

function DayHeader({ day, today, onEdit }: { day: DayLayout; today: boolean; onEdit: (() => void) | null }) {
  const label = dayLabel(day.date);
  const working = day.pieces.some((p) => !p.continuation);
  const content = (
    <>
      <span className="day-name">
        {label.weekday}
        {onEdit ? <PencilIcon /> : null}
      </span>
      <span className="day-date">
        {label.date}
        {today ? <span className="today-pill">Today</span> : null}
      </span>
      <span className="day-hours" data-testid={`day-hours-${day.weekday}`}>
        {day.holiday ? 'Holiday' : working ? formatHours(day.plannedMinutes / 60) : 'Not working'}
      </span>
    </>
  );
  const className = `day-header${today ? ' day-today' : ''}${day.holiday ? ' day-holiday' : ''}`;
  // for those who may not change the calendar the header is a plain label, not a button
  if (!onEdit) {
    return (
      <div className={`${className} day-header-readonly`} data-testid={`day-header-${day.weekday}`}>
        {content}
      </div>
    );
  }
  return (
    <button type="button" className={className} onClick={onEdit} data-testid={`day-edit-${day.weekday}`} aria-label={`Edit shifts of ${label.long}`}>
      {content}
    </button>
  );
}

function PencilIcon() {
  return (
    <svg className="day-edit-icon" viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d="M4 20h4L19 9l-4-4L4 16z" />
      <path d="M14 6l4 4" />
    </svg>
  );
}

/** `onEditDay` null: the week is shown read-only (the user may not change the calendar). */
export function WeekGrid({ view, today, onEditDay }: { view: WeekView; today: string; onEditDay: ((dayIndex: number) => void) | null }) {
  const layout = layoutWeek(view.days, view.dates, view.holidays);
  return (
    <div className="week-grid" data-testid="week-grid">
      <div className="week-corner" aria-hidden="true" />
      {layout.map((day, index) => (
        <DayHeader key={day.weekday} day={day} today={day.date === today} onEdit={onEditDay ? () => onEditDay(index) : null} />
      ))}
      <div className="time-axis" aria-hidden="true">
        {AXIS_HOURS.map((hour) => (
          <span key={hour} className="axis-label" style={{ top: pct(hour * 60) }}>
            {String(hour).padStart(2, '0')}:00
          </span>
        ))}
      </div>
      {layout.map((day, index) => (
        <div
          key={day.weekday}
          className={`day-column${day.date === today ? ' day-today' : ''}${day.holiday ? ' day-holiday' : ''}${onEditDay ? '' : ' day-column-readonly'}`}
          data-testid={`day-${day.weekday}`}
          onClick={onEditDay ? () => onEditDay(index) : undefined}
        >
          {AXIS_HOURS.slice(1, -1).map((hour) => (
            <span key={hour} className="hour-line" style={{ top: pct(hour * 60) }} aria-hidden="true" />
          ))}
          {day.holiday ? (
            <div className="holiday-label" data-testid={`holiday-label-${day.weekday}`}>
              Holiday · {day.holiday.name}
            </div>
          ) : null}
          {day.pieces.map((piece) => (
            <ShiftBlock key={`${piece.weekday}-${piece.shiftIndex}-${piece.continuation ? 'c' : 's'}`} piece={piece} />
          ))}
        </div>
      ))}
    </div>
  );
}
