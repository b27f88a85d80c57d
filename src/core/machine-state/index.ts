// Is a machine running? One rule for the server's answer and for the screens that re-evaluate it
// every few seconds between answers (pure: "now" is a parameter).
//
// - A machine that reported "stopped" (its own source: an MQTT state message) is stopped from that
//   instant, until a cycle arrives after the report.
// - Otherwise it is running while its last sign of life — the last cycle, or a later "running"
//   report — is younger than the threshold: the profile's availabilityLossSeconds (60 s for
//   itrak-legacy), the same line between a short stop (a speed loss) and an availability loss.
// - Once that long without a cycle it is stopped, since its last cycle.
// - No cycle and no report at all: no data.

export type RunState = 'running' | 'stopped' | 'no-data';

export interface SourceReport {
  state: 'running' | 'stopped';
  /** when the machine says the state began (epoch ms) */
  at: number;
}

export interface RunStateInput {
  lastCycleAt: number | null;
  /** start of the current run (end of the last stop ≥ threshold, or the first cycle), when known */
  runStartAt?: number | null;
  reported?: SourceReport | null;
  thresholdMs: number;
  now: number;
}

export interface RunStateResult {
  state: RunState;
  /** since when the machine is in this state (null when unknown) */
  since: number | null;
  /** when it turns "stopped" if nothing else comes (null unless running) */
  stopsAt: number | null;
}

export function machineRunState(input: RunStateInput): RunStateResult {
  const { lastCycleAt, reported, thresholdMs, now } = input;
  if (reported && reported.state === 'stopped' && (lastCycleAt === null || reported.at >= lastCycleAt)) {
    return { state: 'stopped', since: reported.at, stopsAt: null };
  }
  const reportedRunning = reported && reported.state === 'running' ? reported.at : null;
  const lastSign = lastCycleAt === null ? reportedRunning : reportedRunning === null ? lastCycleAt : Math.max(lastCycleAt, reportedRunning);
  if (lastSign === null) return { state: 'no-data', since: null, stopsAt: null };
  if (now - lastSign < thresholdMs) {
    const runStart = input.runStartAt ?? (lastCycleAt === null ? reportedRunning : null);
    return { state: 'running', since: runStart ?? null, stopsAt: lastSign + thresholdMs };
  }
  return { state: 'stopped', since: lastCycleAt ?? lastSign, stopsAt: null };
}

/** What a machine's tile shows (the TV view, live deltas): the run state told apart by the calendar and the loaded job. */
export type TileState = 'running' | 'stopped' | 'changeover' | 'off-shift' | 'no-data';

/** `working`: now is in the calendar's working time; `jobStarted`: the loaded job has parts (null: no job). */
export function tileState(run: RunState, working: boolean, jobStarted: boolean | null): TileState {
  if (run === 'running') return 'running';
  if (!working) return 'off-shift';
  if (run === 'no-data') return 'no-data';
  // stopped with the next job loaded but not a part of it made yet: the line is being changed over
  return jobStarted === false ? 'changeover' : 'stopped';
}
