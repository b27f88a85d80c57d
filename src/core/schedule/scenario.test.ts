import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError, scenarioToPlanInput, type ScenarioFile } from './scenario.js';
import { plan } from './scheduler.js';
import { sampleScenario } from './scenario-fixture.js';
import { iso, local } from './test-helpers.js';

/** Problems reported for a scenario changed by `edit` (the sample is valid). */
function problemsOf(edit: (scenario: ScenarioFile & Record<string, unknown>) => void): string[] {
  const scenario = sampleScenario() as ScenarioFile & Record<string, unknown>;
  edit(scenario);
  try {
    parseScenario(JSON.parse(JSON.stringify(scenario)));
  } catch (error) {
    if (error instanceof ScenarioError) return error.problems;
    throw error;
  }
  return [];
}

describe('scenario file', () => {
  it('accepts the sample and plans it', () => {
    // 159070 step 0 on line7: 200 000 / 5000 = 40 h + 0.5 h setup from Mon 23rd 06:30, Thu 26th holiday:
    //   Mon 16.5, Tue 16.5 (33), Wed 06:30 + 7.5 h = 14:00 PST = 22:00Z.
    // Gate 4 h → kit1 from Wed 18:00; 20 h: Wed 18–23 5 h, Thu holiday, Fri 06:30 + 15 h = 21:30 PST = Sat 05:30Z.
    //   Due "2026-11-27" = by the end of Fri 27th (Sat 00:00 PST = 08:00Z) → on time.
    // 0159071 on line8: 25 000 / 5000 = 5 h + 0.5 → 06:30–12:00 PST (20:00Z); due 12:00-08:00 → on time (not after).
    const input = scenarioToPlanInput(parseScenario(sampleScenario()));
    expect(input.now).toBe(local('2026-11-23T06:30'));
    expect(input.workOrders[0].due).toBe(local('2026-11-28T00:00'));
    const result = plan(input);
    expect(result.operations.map((operation) => [operation.lot, operation.step, iso(operation.start), iso(operation.end), operation.late])).toEqual([
      ['159070', 0, '2026-11-23T14:30:00.000Z', '2026-11-25T22:00:00.000Z', false],
      ['159070', 1, '2026-11-26T02:00:00.000Z', '2026-11-28T05:30:00.000Z', false],
      ['0159071', 0, '2026-11-23T14:30:00.000Z', '2026-11-23T20:00:00.000Z', false],
      ['0159071', 1, null, null, false],
      ['159072', 0, null, null, false],
      ['159072', 1, null, null, false],
    ]);
  });

  it('reads an instant with an offset as that instant and one without as plant-local', () => {
    const withOffset = scenarioToPlanInput(parseScenario({ ...sampleScenario(), now: '2026-11-23T14:30:00Z' }));
    expect(withOffset.now).toBe(local('2026-11-23T06:30'));
  });

  it('names the path of an unknown machine, product and group', () => {
    expect(problemsOf((s) => { s.workOrders[0].operations![1].machine = 'line99'; })).toEqual([
      "workOrders[0].operations[1].machine: unknown machine 'line99'",
    ]);
    expect(problemsOf((s) => { s.workOrders[2].product = 'NOPE'; })).toEqual(["workOrders[2].product: unknown product 'NOPE'"]);
    expect(problemsOf((s) => { s.products[0].routing[1].group = 'sterile'; })).toEqual([
      "products[0].routing[1].group: unknown group 'sterile' (no machine belongs to it)",
    ]);
  });

  it('rejects a machine of the wrong group for the step, a step out of range and a duplicate step', () => {
    expect(problemsOf((s) => { s.workOrders[0].operations![1].machine = 'line8'; s.workOrders[0].operations![1].position = 1; })).toEqual([
      "workOrders[0].operations[1].machine: machine 'line8' is in group 'pouch' but step 1 of 'SWAB' runs on group 'kit'",
    ]);
    expect(problemsOf((s) => { s.workOrders[1].operations![0].step = 2; })).toEqual([
      "workOrders[1].operations[0].step: step 2 is out of range: product 'SWAB' has steps 0..1",
    ]);
    expect(problemsOf((s) => { s.workOrders[0].operations![1].step = 0; s.workOrders[0].operations![1].machine = 'line8'; s.workOrders[0].operations![1].position = 1; })).toEqual([
      "workOrders[0].operations[1].step: step 0 appears twice in lot '159070'",
    ]);
  });

  it('rejects duplicate lots, machines and queue positions', () => {
    expect(problemsOf((s) => { s.workOrders[2].lot = '159070'; })).toEqual(["workOrders[2].lot: duplicate lot '159070'"]);
    expect(problemsOf((s) => { s.machines[1].key = 'line7'; s.workOrders[1].operations![0].machine = 'line7'; s.workOrders[1].operations![0].position = 1; })).toEqual([
      "machines[1].key: duplicate machine 'line7'",
    ]);
    expect(problemsOf((s) => { s.workOrders[1].operations![0].machine = 'line7'; })).toEqual([
      "workOrders[1].operations[0].position: position 0 on machine 'line7' is already taken by lot '159070' step 0",
    ]);
  });

  it('requires lots to be strings', () => {
    expect(problemsOf((s) => { (s.workOrders[0] as Record<string, unknown>).lot = 159070; })).toEqual([
      'workOrders[0].lot: lot must be a string (keep leading zeros: "159070"), got 159070',
    ]);
  });

  it('rejects a bad time zone, a bad ISO date and bad calendar entries, naming the path', () => {
    expect(problemsOf((s) => { s.timezone = 'Mars/Olympus'; })).toEqual(['timezone: unknown time zone "Mars/Olympus"']);
    expect(problemsOf((s) => { s.now = '2026-13-45T06:30'; })).toEqual(['now: "2026-13-45T06:30" is not an ISO 8601 date/time']);
    expect(problemsOf((s) => { s.workOrders[1].due = 'next friday'; })).toEqual(['workOrders[1].due: "next friday" is not an ISO 8601 date/time']);
    expect(problemsOf((s) => { s.calendar.holidays = ['2026-02-30']; })).toEqual(['calendar.holidays[0]: "2026-02-30" is not a date YYYY-MM-DD']);
    expect(problemsOf((s) => { s.calendar.default.tue = [['06:30', '25:00']]; })).toEqual([
      'calendar.default.tue[0][1]: "25:00" is not a time of day; use HH:MM from 00:00 to 24:00',
    ]);
    const weekProblems = problemsOf((s) => { s.calendar.weeks = { '2026-W60': s.calendar.default }; });
    expect(weekProblems).toHaveLength(1);
    expect(weekProblems[0]).toMatch(/^calendar\.weeks\.2026-W60: /);
  });

  it('lists every structural problem with its path', () => {
    const problems = problemsOf((s) => {
      delete (s as Record<string, unknown>).timezone;
      s.workOrders[0].quantity = -5;
      s.products[0].routing[0].ratePerHour = 0;
    });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^timezone: /);
    expect(problems).toContain('products[0].routing[0].ratePerHour: must be > 0 units/h');
    expect(problems.some((problem) => problem.startsWith('workOrders[0].quantity: '))).toBe(true);
  });
});
