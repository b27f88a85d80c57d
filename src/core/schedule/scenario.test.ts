import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError, scenarioOptions, scenarioToPlanInput, type ScenarioFile } from './scenario.js';
import { plan } from './scheduler.js';
import { changeoverScenario, sampleScenario } from './scenario-fixture.js';
import { iso, local } from './test-helpers.js';

/** Problems reported for a scenario changed by `edit` (the sample is valid). */
function problemsOf(edit: (scenario: ScenarioFile & Record<string, unknown>) => void, base: () => ScenarioFile = sampleScenario): string[] {
  const scenario = base() as ScenarioFile & Record<string, unknown>;
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

/** Problems of the changeover scenario changed by `edit`. */
function changeoverProblems(edit: (scenario: ScenarioFile & Record<string, unknown>) => void): string[] {
  return problemsOf(edit, changeoverScenario);
}

describe('scenario file: families, changeovers, pinned operations, frozen horizon', () => {
  it('reads families, last families, the matrix, pinned and frozenHours into the plan input', () => {
    const scenario = parseScenario(changeoverScenario());
    const input = scenarioToPlanInput(scenario);
    expect(input.products.map((product) => [product.key, product.family])).toEqual([
      ['FLU', 'flu'],
      ['STREP', 'strep'],
      ['STREP_PLUS', 'strep'],
      ['SWAB', undefined],
    ]);
    expect(input.machines).toEqual([
      { key: 'line7', group: 'pouch', lastFamily: 'flu' },
      { key: 'line8', group: 'pouch', lastFamily: null },
      { key: 'kit1', group: 'kit', lastFamily: null },
    ]);
    expect(input.changeovers).toEqual([
      { group: null, from: 'flu', to: 'strep', minutes: 150 },
      { group: null, from: 'strep', to: 'flu', minutes: 90 },
      { group: null, from: '*', to: '*', minutes: 60 },
      { group: 'pouch', from: 'SWAB', to: 'SWAB', minutes: 20 },
    ]);
    expect(input.workOrders.map((workOrder) => workOrder.operations.map((operation) => operation.pinned))).toEqual([[true], [false], [false], [], [], []]);
    expect(scenarioOptions(scenario)).toEqual({ frozenHours: 1 });
  });

  it('defaults: no families, no changeovers, nothing pinned, frozenHours 0', () => {
    const scenario = parseScenario(sampleScenario());
    const input = scenarioToPlanInput(scenario);
    expect(input.changeovers).toEqual([]);
    expect(input.products[0].family).toBeUndefined();
    expect(input.machines.every((machine) => machine.lastFamily === null)).toBe(true);
    expect(input.workOrders.flatMap((workOrder) => workOrder.operations).every((operation) => operation.pinned === false)).toBe(true);
    expect(scenarioOptions(scenario)).toEqual({ frozenHours: 0 });
  });

  it('plans the changeovers the file describes', () => {
    // line7 last ran flu. L1 (FLU, same family): 40 000 / 5000 = 8 h + 0.5 h setup: 06:30–15:00.
    // L2 (STREP): flu → strep 150 min 15:00–17:30, + 0.5 h setup + 4 h → 22:00; due 18:00 → late.
    // line8 unknown last family: L3 (STREP_PLUS) 20 000 / 4000 = 5 h: 06:30–11:30, no changeover.
    const result = plan(scenarioToPlanInput(parseScenario(changeoverScenario())));
    expect(result.operations.map((o) => [o.lot, o.machine, iso(o.start), iso(o.changeoverEnd), iso(o.end), o.changeoverMinutes, o.late])).toEqual([
      ['L1', 'line7', iso(local('2026-11-23T06:30')), iso(local('2026-11-23T06:30')), iso(local('2026-11-23T15:00')), 0, false],
      ['L2', 'line7', iso(local('2026-11-23T15:00')), iso(local('2026-11-23T17:30')), iso(local('2026-11-23T22:00')), 150, true],
      ['L3', 'line8', iso(local('2026-11-23T06:30')), iso(local('2026-11-23T06:30')), iso(local('2026-11-23T11:30')), 0, false],
      ['L4', null, null, null, null, 0, false],
      ['L5', null, null, null, null, 0, false],
      ['L5', null, null, null, null, 0, false],
      ['L6', null, null, null, null, 0, false],
    ]);
  });

  it('a group-specific rule in the file applies on that group: SWAB to SWAB on a pouching line', () => {
    // line8 last ran SWAB; L5 (SWAB) loaded there takes the exact 20 min rule: 06:30–06:50, then 6 h → 12:50
    const result = plan(
      scenarioToPlanInput(
        parseScenario({
          ...changeoverScenario(),
          machines: [{ key: 'line7', group: 'pouch' }, { key: 'line8', group: 'pouch', lastFamily: 'SWAB' }, { key: 'kit1', group: 'kit' }],
          workOrders: [{ lot: 'L5', product: 'SWAB', quantity: 30000, due: null, operations: [{ step: 0, machine: 'line8', position: 0 }] }],
        }),
      ),
    );
    expect(result.operations[0].changeoverMinutes).toBe(20);
    expect(result.operations[0].end).toBe(local('2026-11-23T12:50'));
  });

  it('names the path of an unknown family in a rule; `*` and a product key without a family are families', () => {
    expect(changeoverProblems((s) => { s.changeovers![2].to = 'x'; })).toEqual(["changeovers[2].to: unknown family 'x'"]);
    expect(changeoverProblems((s) => { s.changeovers![1].from = 'covid'; })).toEqual(["changeovers[1].from: unknown family 'covid'"]);
    // a product key is not a family when the product has one
    expect(changeoverProblems((s) => { s.changeovers![0].to = 'STREP'; })).toEqual(["changeovers[0].to: unknown family 'STREP'"]);
    expect(changeoverProblems((s) => { s.changeovers![0].from = '*'; s.changeovers![0].to = 'SWAB'; })).toEqual([]);
  });

  it('names the path of negative or missing minutes', () => {
    expect(changeoverProblems((s) => { s.changeovers![1].minutes = -5; })).toEqual(['changeovers[1].minutes: must be >= 0 minutes, got -5']);
    expect(changeoverProblems((s) => { delete (s.changeovers![3] as Record<string, unknown>).minutes; })).toEqual([
      'changeovers[3].minutes: expected working minutes >= 0, missing',
    ]);
    expect(changeoverProblems((s) => { (s.changeovers![0] as Record<string, unknown>).minutes = '150'; })).toEqual([
      'changeovers[0].minutes: expected working minutes >= 0, got "150"',
    ]);
  });

  it('names the path of an unknown group and of a duplicate rule', () => {
    expect(changeoverProblems((s) => { s.changeovers![3].group = 'sterile'; })).toEqual([
      "changeovers[3].group: unknown group 'sterile' (no machine belongs to it)",
    ]);
    expect(changeoverProblems((s) => { s.changeovers!.push({ from: 'flu', to: 'strep', minutes: 10 }); })).toEqual([
      "changeovers[4]: duplicate rule 'flu' → 'strep' for every group (first at changeovers[0])",
    ]);
    expect(changeoverProblems((s) => { s.changeovers!.push({ group: 'pouch', from: 'SWAB', to: 'SWAB', minutes: 25 }); })).toEqual([
      "changeovers[4]: duplicate rule 'SWAB' → 'SWAB' for group 'pouch' (first at changeovers[3])",
    ]);
    // the same pair for one group and for every group, or for two groups, is no duplicate
    expect(changeoverProblems((s) => { s.changeovers!.push({ group: 'pouch', from: 'flu', to: 'strep', minutes: 10 }, { group: 'kit', from: 'flu', to: 'strep', minutes: 5 }); })).toEqual([]);
  });

  it("names the path of a machine's unknown last family, and of bad pinned and frozenHours values", () => {
    expect(changeoverProblems((s) => { s.machines[0].lastFamily = 'covid'; })).toEqual(["machines[0].lastFamily: unknown family 'covid'"]);
    expect(changeoverProblems((s) => { s.machines[0].lastFamily = '*'; })).toEqual(["machines[0].lastFamily: unknown family '*'"]);
    // an empty family is refused; the rules and the machine naming 'flu' then name no family either
    expect(changeoverProblems((s) => { s.products[0].family = ''; })[0]).toBe('products[0].family: must not be empty');
    expect(changeoverProblems((s) => { (s.workOrders[0].operations![0] as Record<string, unknown>).pinned = 'yes'; })).toEqual([
      'workOrders[0].operations[0].pinned: expected true or false, got "yes"',
    ]);
    expect(changeoverProblems((s) => { s.frozenHours = -1; })).toEqual(['frozenHours: must be >= 0 hours']);
    expect(changeoverProblems((s) => { (s as Record<string, unknown>).frozenHours = '2'; })).toEqual(['frozenHours: expected a number of hours >= 0, got "2"']);
  });

  it('reports every changeover problem at once (shape problems first)', () => {
    const problems = changeoverProblems((s) => {
      s.changeovers![0].from = 'x';
      s.changeovers![1].minutes = -1;
      s.changeovers![3].group = 'nope';
    });
    expect(problems).toEqual([
      'changeovers[1].minutes: must be >= 0 minutes, got -1',
      "changeovers[0].from: unknown family 'x'",
      "changeovers[3].group: unknown group 'nope' (no machine belongs to it)",
    ]);
  });
});
