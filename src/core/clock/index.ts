// Clock integrity (issue 16 item 5), the pure part: is the server's clock close enough to the
// database's to be trusted with the times of records, and did the wall clock step while running?

export interface ClockComparison {
  /** server minus database, in seconds (positive: the server is ahead) */
  offsetSeconds: number;
  ok: boolean;
  /** one line for the operator when not ok */
  message: string | null;
}

/** Compares the server's and the database's clocks (both epoch ms, read around the same moment) against the tolerance. */
export function compareClocks(serverMs: number, databaseMs: number, toleranceSeconds: number): ClockComparison {
  const offsetSeconds = (serverMs - databaseMs) / 1000;
  const ok = Math.abs(offsetSeconds) <= toleranceSeconds;
  const ahead = offsetSeconds > 0 ? 'ahead of' : 'behind';
  return {
    offsetSeconds,
    ok,
    message: ok
      ? null
      : `the server's clock is ${Math.abs(offsetSeconds).toFixed(1)} s ${ahead} the database's (QMFG_CLOCK_TOLERANCE_SECONDS=${toleranceSeconds}); fix the time synchronisation (NTP) of this machine or the database server before starting`,
  };
}

/**
 * A step of the wall clock between two readings: how far the wall clock moved beyond what the
 * monotonic clock measured (ms; positive: jumped forward). Null when within `thresholdMs` (drift).
 */
export function clockStep(previous: { wallMs: number; monotonicMs: number }, now: { wallMs: number; monotonicMs: number }, thresholdMs: number): number | null {
  const step = now.wallMs - previous.wallMs - (now.monotonicMs - previous.monotonicMs);
  return Math.abs(step) > thresholdMs ? step : null;
}
