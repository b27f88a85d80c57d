// What actually ran beneath a lane's plan (issue 15 item 6): a thin strip in the lane's foot — the
// plan as it stood at each shift start as an outline on top, the lot runs from machine data below it
// (coloured like their product), stops as dark ticks, changeovers hatched — and the drift badge of
// the lane's header.
import { DateTime } from 'luxon';
import type { Drift, MachineActuals } from '../../api/plan-actuals.js';

/** Height of the strip, also reserved below the plan's bars (gantt.tsx). */
export const ACTUAL_STRIP_PX = 22;

const time = (at: number, zone: string) => DateTime.fromMillis(at, { zone }).toFormat('ccc d HH:mm');

/** Stops closer than this many pixels are drawn as one tick (a month holds thousands); each at its true width, at least 1 px. */
const TICK_MERGE_PX = 0.5;

export function ActualStrip({ actual, x, width, zone }: { actual: MachineActuals; x: (t: number) => number; width: number; zone: string }) {
  const span = (start: number, end: number) => {
    const left = Math.max(0, x(start));
    const right = Math.min(width, x(end));
    return right - left >= 0.5 ? { left, width: Math.max(1, right - left) } : null;
  };
  const ticks: { left: number; right: number; count: number; seconds: number; label: string | null }[] = [];
  for (const run of actual.runs) {
    for (const stop of run.stops) {
      if (stop.changeover) continue;
      const left = x(stop.start);
      const right = Math.max(left + 1, x(stop.end));
      if (right < 0 || left > width) continue;
      const last = ticks[ticks.length - 1];
      if (last && left - last.right < TICK_MERGE_PX) {
        last.right = Math.max(last.right, right);
        last.count++;
        last.seconds += stop.seconds;
      } else ticks.push({ left, right, count: 1, seconds: stop.seconds, label: stop.label });
    }
  }
  return (
    <div className="actual-strip" data-testid={`actual-${actual.machine}`} style={{ height: ACTUAL_STRIP_PX }}>
      {actual.baseline.map((bar) => {
        const box = span(bar.shownStart, bar.shownEnd);
        return box ? (
          <span
            key={`${bar.shiftStart}/${bar.lot}/${bar.step}`}
            className="actual-plan"
            style={{ ...box, borderColor: bar.color ?? undefined }}
            title={`Planned at the shift start (${time(bar.shiftStart, zone)}): lot ${bar.lot}, ${time(bar.start, zone)} – ${time(bar.end, zone)}`}
            data-testid={`actual-plan-${bar.lot}`}
          />
        ) : null;
      })}
      {actual.runs.map((run) => {
        const box = span(run.start, run.end);
        return box ? (
          <span
            key={`${run.lot}@${run.start}`}
            className="actual-run"
            style={{ ...box, background: run.color ?? undefined }}
            title={`Ran lot ${run.lot}${run.shortName ? ` (${run.shortName})` : ''}: ${time(run.start, zone)} – ${time(run.end, zone)}, ${run.parts.toLocaleString()} parts, ${run.stopCount} stops (${Math.round(run.stopSeconds / 60)} min)`}
            data-testid={`actual-run-${run.lot}`}
          />
        ) : null;
      })}
      {actual.changeovers.map((c) => {
        const box = span(c.start, c.end);
        return box ? (
          <span
            key={`${c.kind}@${c.start}`}
            className="actual-changeover"
            style={box}
            title={c.kind === 'lot-change' ? `Changeover ${c.fromLot ?? '?'} → ${c.toLot ?? '?'}: ${Math.round((c.end - c.start) / 60_000)} min${c.label ? ` (${c.label})` : ''}` : `Setup: ${c.label ?? ''}, ${Math.round((c.end - c.start) / 60_000)} min`}
            data-testid="actual-changeover"
          />
        ) : null;
      })}
      {ticks.map((tick) => (
        <span
          key={tick.left}
          className="actual-stop"
          style={{ left: tick.left, width: Math.max(1, tick.right - tick.left) }}
          title={tick.count === 1 ? `Stop: ${Math.round(tick.seconds / 60)} min${tick.label ? ` (${tick.label})` : ''}` : `${tick.count} stops: ${Math.round(tick.seconds / 60)} min`}
          data-testid="actual-stop"
        />
      ))}
    </div>
  );
}

/** "+3.2 h behind plan" from the current job's end then vs now, else the past shifts' parts against plan; null with nothing to compare. */
export function driftText(drift: Drift): string | null {
  if (drift.hoursBehind !== null && Math.abs(drift.hoursBehind) >= 0.1) {
    return drift.hoursBehind > 0 ? `+${drift.hoursBehind.toFixed(1)} h behind plan` : `${Math.abs(drift.hoursBehind).toFixed(1)} h ahead of plan`;
  }
  if (drift.hoursBehind !== null) return 'on plan';
  if (drift.plannedParts > 0) {
    const share = Math.round((drift.actualParts / drift.plannedParts) * 100);
    return `${share} % of planned parts`;
  }
  return null;
}

export function DriftBadge({ machine, drift }: { machine: string; drift: Drift }) {
  const text = driftText(drift);
  if (!text) return null;
  const behind = (drift.hoursBehind ?? 0) >= 0.5 || (drift.hoursBehind === null && drift.actualParts < 0.9 * drift.plannedParts);
  return (
    <span
      className={`badge badge-drift${behind ? ' badge-drift-behind' : ''}`}
      title={`Since the shift-start plans of the window (${drift.hours} h compared): ${drift.actualParts.toLocaleString()} parts made of ${drift.plannedParts.toLocaleString()} planned`}
      data-testid={`drift-${machine}`}
    >
      {text}
    </span>
  );
}
