// Running or stopped, per machine, from what is stored: the latest cycle, the start of the current
// run (end of the last long gap), and the state the machine's source last reported. The rule itself
// is core/machine-state; the threshold (the OEE profile's availabilityLossSeconds) comes from the caller.
import { machineRunState } from '../../core/machine-state/index.js';
import type { Executor } from '../../db/database.js';
import type { MachineRunState } from './schemas.js';
import * as repo from './repository.js';
import * as derivedRepo from './derived-repository.js';

export async function machineStates(db: Executor, machines: readonly { key: string; thresholdMs: number }[], now: number): Promise<MachineRunState[]> {
  const reports = await repo.reportedStates(db, machines.map((m) => m.key));
  const states: MachineRunState[] = [];
  for (const { key, thresholdMs } of machines) {
    const lastCycleAt = await derivedRepo.latestCycleAt(db, key);
    const runStartAt = lastCycleAt === null ? null : ((await derivedRepo.latestLongGapEnd(db, key, thresholdMs, lastCycleAt)) ?? (await repo.getMachineState(db, key))?.firstAt ?? null);
    const report = reports.get(key) ?? null;
    const result = machineRunState({ lastCycleAt, runStartAt, reported: report, thresholdMs, now });
    states.push({
      machine: key,
      state: result.state,
      stateSince: result.since,
      stopsAt: result.stopsAt,
      lastCycleAt,
      thresholdSeconds: thresholdMs / 1000,
      reported: report && { state: report.state, at: report.at, reason: report.reason, source: report.source },
    });
  }
  return states;
}
