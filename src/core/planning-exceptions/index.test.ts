// Hand-computed plan exceptions. Calendar: two shifts Mon–Fri 06:30–23:00 (16.5 working hours a
// day, America/Los_Angeles); Monday 2026-01-05 is in ISO week 2026-W02. Rates are 1000 units/h, so
// a quantity in thousands is that many working hours.
import { describe, expect, it } from 'vitest';
import { plan, type PlanInput, type PlanWorkOrder, type RoutingStep } from '../schedule/index.js';
import { calendarSource, local, op, step, workOrder } from '../schedule/test-helpers.js';
import {
  countByKind, exceptionsReport, planExceptions, type ExceptionGate, type ExceptionsInput, type PlanException,
} from './index.js';

const MON = (time: string) => local(`2026-01-05T${time}`);
const TUE = (time: string) => local(`2026-01-06T${time}`);
const H = 3_600_000;

const QC: ExceptionGate = { name: 'QC release', hours: 24, role: 'quality' };

interface ProductSpec {
  key: string;
  routing: RoutingStep[];
  gates?: (ExceptionGate | null)[];
}

const PRODUCTS: ProductSpec[] = [
  { key: 'single', routing: [step('pouch', 1000)] },
  { key: 'two', routing: [step('pouch', 1000), step('kit', 1000)] },
  { key: 'gated', routing: [step('pouch', 1000, 0, 24), step('kit', 1000)], gates: [QC, null] },
  { key: 'short-gate', routing: [step('pouch', 1000, 0, 4), step('kit', 1000)], gates: [{ name: 'Line clearance', hours: 4, role: 'lead' }, null] },
];

const MACHINES = [
  { key: 'm1', name: 'Line 1', group: 'pouch', enabled: true },
  { key: 'm2', name: 'Line 2', group: 'pouch', enabled: true },
  { key: 'k1', name: 'Kitting 1', group: 'kit', enabled: true },
];

function exceptions(
  now: number,
  workOrders: PlanWorkOrder[],
  extra: Partial<Omit<ExceptionsInput, 'plan' | 'result'>> = {},
): PlanException[] {
  const machines = extra.machines ?? MACHINES;
  const input: PlanInput = {
    now,
    working: calendarSource(),
    machines: machines.map((m) => ({ key: m.key, group: m.group })),
    products: PRODUCTS.map((p) => ({ key: p.key, routing: p.routing })),
    workOrders,
  };
  return planExceptions({
    plan: input,
    result: plan(input),
    zone: 'America/Los_Angeles',
    machines,
    products: PRODUCTS.map((p) => ({ key: p.key, name: `Product ${p.key}`, gates: p.gates ?? p.routing.map(() => null) })),
    activeUserRoles: extra.activeUserRoles ?? ['planner', 'quality', 'lead'],
    gatePasses: extra.gatePasses ?? [],
    options: extra.options,
  });
}

const ofKind = <K extends PlanException['kind']>(items: PlanException[], kind: K) =>
  items.filter((item): item is Extract<PlanException, { kind: K }> => item.kind === kind);

describe('late work orders and their cause', () => {
  it('capacity: the job waits for its machine, which names the machine and the hours of work ahead', () => {
    // m1: A 06:30–16:30 (10 h), B 16:30–21:30 (5 h); B is due 20:00 → 1.5 h late
    const items = exceptions(MON('06:30'), [
      workOrder('A', 'single', 10_000, [op(0, 'm1', 0)]),
      workOrder('B', 'single', 5_000, [op(0, 'm1', 1)], { due: MON('20:00') }),
    ]);
    const late = ofKind(items, 'late-work-order');
    expect(late).toHaveLength(1);
    expect(late[0]).toMatchObject({
      lot: 'B', step: 0, machine: 'm1', group: 'pouch', cause: 'capacity', severity: 'critical',
      hoursLate: 1.5, workAheadHours: 10, jobsAhead: 1, finish: MON('21:30'), at: MON('16:30'), due: MON('20:00'),
    });
    expect(late[0].message).toBe('Lot B (Product single) is 1.5 h late (due Mon 5 Jan 20:00): step 1 waits for Line 1, which has 10.0 h of work ahead of it (1 job).');
  });

  it('gate: the next step starts at the previous step’s end plus the gate hours', () => {
    // step 1 on m1 06:30–07:30 Mon; QC release 24 h → kitting Tue 07:30–08:30; due Tue 08:00
    const items = exceptions(MON('06:30'), [workOrder('C', 'gated', 1_000, [op(0, 'm1', 0), op(1, 'k1', 0)], { due: TUE('08:00') })]);
    const [late] = ofKind(items, 'late-work-order');
    expect(late).toMatchObject({ lot: 'C', step: 1, machine: 'k1', cause: 'gate', gateName: 'QC release', gateHours: 24, hoursLate: 0.5, finish: TUE('08:30') });
    expect(late.message).toContain('step 2 on Kitting 1 waits for the QC release (24 h) after step 1');
  });

  it('predecessor late: the step waits for a step that is itself late, and the root cause is named', () => {
    // m1: A 06:30–16:30, D/0 16:30–18:30 (late, due 18:00); k1: D/1 18:30–20:30 → 2.5 h late
    const items = exceptions(MON('06:30'), [
      workOrder('A', 'single', 10_000, [op(0, 'm1', 0)]),
      workOrder('D', 'two', 2_000, [op(0, 'm1', 1), op(1, 'k1', 0)], { due: MON('18:00') }),
    ]);
    const [late] = ofKind(items, 'late-work-order');
    expect(late).toMatchObject({ lot: 'D', step: 1, machine: 'k1', cause: 'predecessor-late', hoursLate: 2.5, rootCause: { cause: 'capacity', step: 0, machine: 'm1' } });
    expect(late.message).toContain('step 2 on Kitting 1 cannot start before step 1, which is itself late — step 1 waits for Line 1, which has 10.0 h of work ahead of it (1 job)');
  });

  it('lead time: nothing holds it up, it just does not fit before its due date', () => {
    // 20 h from Mon 06:30: 16.5 h on Monday, 3.5 h Tuesday → Tue 10:00; due Mon 23:00 → 11 h late
    const items = exceptions(MON('06:30'), [workOrder('E', 'single', 20_000, [op(0, 'm2', 0)], { due: MON('23:00') })]);
    const [late] = ofKind(items, 'late-work-order');
    expect(late).toMatchObject({ lot: 'E', cause: 'lead-time', hoursLate: 11, finish: TUE('10:00'), workAheadHours: null });
  });

  it('unplannable: a held step (and the steps behind it) cannot be planned; overdue makes it critical', () => {
    const items = exceptions(MON('06:30'), [
      workOrder('F', 'two', 1_000, [op(0, 'm1', 0, { state: 'held' }), op(1, 'k1', 0)], { due: TUE('12:00') }),
      workOrder('G', 'two', 1_000, [op(0, null, null, { state: 'done', actualStart: MON('03:00'), actualEnd: MON('04:00') }), op(1, 'k1', 1, { state: 'held' })], { due: MON('06:00') }),
      // no due date: never late
      workOrder('N', 'two', 1_000, [op(0, 'm2', 1, { state: 'held' })]),
    ]);
    const late = ofKind(items, 'late-work-order');
    expect(late.map((item) => [item.lot, item.step, item.cause, item.severity, item.unplannedReason])).toEqual([
      ['G', 1, 'unplannable', 'critical', 'held'],
      ['F', 0, 'unplannable', 'warning', 'held'],
    ]);
    expect(late.find((item) => item.lot === 'G')!.hoursLate).toBe(0.5);
    expect(late.find((item) => item.lot === 'F')!.message).toBe('Lot F (Product two) cannot be planned: step 1 is on hold; it is due Tue 6 Jan 12:00.');
  });

  it('a work order on time is not listed', () => {
    const items = exceptions(MON('06:30'), [workOrder('OK', 'single', 5_000, [op(0, 'm1', 0)], { due: MON('12:00') })]);
    expect(items).toEqual([]);
  });
});

describe('machine load per ISO week', () => {
  it('counts planned hours plus work due by the week’s end that is planned after it, against the week’s working time', () => {
    // W02 has 5 × 16.5 = 82.5 working hours. m1: 100 h due Fri 23:00 → 82.5 planned + 17.5 due but later = 121.2 %.
    // m2: 80 h without due → 97.0 % (warning). k1: 40 h → 48.5 %, not listed.
    const items = exceptions(MON('06:30'), [
      workOrder('L1', 'single', 100_000, [op(0, 'm1', 0)], { due: local('2026-01-09T23:00') }),
      workOrder('L2', 'single', 80_000, [op(0, 'm2', 0)]),
      workOrder('L3', 'two', 40_000, [op(1, 'k1', 0)]),
    ]);
    const load = ofKind(items, 'machine-overload');
    expect(load.map((item) => [item.machine, item.week, item.severity, item.loadPercent, item.plannedHours, item.dueLaterHours, item.availableHours])).toEqual([
      ['m1', '2026-W02', 'critical', 121.2, 82.5, 17.5, 82.5],
      ['m2', '2026-W02', 'warning', 97, 80, 0, 82.5],
    ]);
    expect(load[0].message).toBe('Line 1 is loaded 121.2 % in week 2026-W02: 100.0 h of work for 82.5 h of working time, 17.5 h of it due that week but planned later.');
    expect(load[0]).toMatchObject({ weekStart: local('2026-01-05T00:00'), group: 'pouch', at: MON('06:30') });
  });

  it('work due in one week counts there once: the weeks after it are only full', () => {
    // 200 h due Fri W02: W02 82.5 planned + 117.5 due but later = 242.4 %; W03 82.5 planned of 82.5 = 100 % (a warning,
    // not an overload again); W04 35 h = 42.4 %, not listed. Work overdue at now counts in the current week.
    const items = exceptions(MON('06:30'), [workOrder('L1', 'single', 200_000, [op(0, 'm1', 0)], { due: local('2026-01-09T23:00') })]);
    expect(ofKind(items, 'machine-overload').map((item) => [item.week, item.severity, item.loadPercent, item.dueLaterHours])).toEqual([
      ['2026-W02', 'critical', 242.4, 117.5],
      ['2026-W03', 'warning', 100, 0],
    ]);
    const overdue = exceptions(local('2026-01-07T06:30'), [workOrder('L0', 'single', 60_000, [op(0, 'm1', 0)], { due: local('2026-01-02T12:00') })]);
    // Wednesday: 49.5 h left in W02, 49.5 planned + 10.5 later = 121.2 %; W03 10.5 h, not listed
    expect(ofKind(overdue, 'machine-overload').map((item) => [item.week, item.loadPercent, item.dueLaterHours])).toEqual([['2026-W02', 121.2, 10.5]]);
  });

  it('the current week counts working time from now', () => {
    // Wednesday 06:30: 3 × 16.5 = 49.5 h left in W02; 48 h planned → 97.0 %; 45 h would be 90.9 % (not listed)
    const wednesday = local('2026-01-07T06:30');
    const full = ofKind(exceptions(wednesday, [workOrder('W', 'single', 48_000, [op(0, 'm1', 0)])]), 'machine-overload');
    expect(full.map((item) => [item.week, item.loadPercent, item.availableHours])).toEqual([['2026-W02', 97, 49.5]]);
    expect(ofKind(exceptions(wednesday, [workOrder('W', 'single', 45_000, [op(0, 'm1', 0)])]), 'machine-overload')).toEqual([]);
  });
});

describe('parked work orders whose due date is at risk', () => {
  it('loads each parked step at the end of the best machine of its group and compares the finish with due', () => {
    // m1 busy 06:30–16:30, m2 06:30–09:30 → step 1 goes to m2. Line clearance gate 4 h. k1 is free.
    // P1 5000: m2 09:30–14:30, +4 h → k1 18:30–23:00 + Tue 06:30–07:00; due Mon 23:00 → 0.5 working h after due
    // P2 1000: m2 09:30–10:30, +4 h → k1 14:30–15:30; due Mon 20:00 → 4.5 working h of slack < 8 → warning
    // P3 1000 due Wednesday: plenty of slack; P4 without due: not looked at
    const busy = [workOrder('A', 'single', 10_000, [op(0, 'm1', 0)]), workOrder('B', 'single', 3_000, [op(0, 'm2', 0)])];
    const items = exceptions(MON('06:30'), [
      ...busy,
      workOrder('P1', 'short-gate', 5_000, [], { due: MON('23:00') }),
      workOrder('P2', 'short-gate', 1_000, [op(0, null, null), op(1, null, null)], { due: MON('20:00') }),
      workOrder('P3', 'short-gate', 1_000, [], { due: local('2026-01-07T12:00') }),
      workOrder('P4', 'short-gate', 1_000, []),
    ]);
    const risk = ofKind(items, 'due-date-at-risk');
    expect(risk.map((item) => [item.lot, item.severity, item.earliestFinish, item.slackHours, item.placements])).toEqual([
      ['P1', 'critical', TUE('07:00'), -0.5, [{ step: 0, machine: 'm2' }, { step: 1, machine: 'k1' }]],
      ['P2', 'warning', MON('15:30'), 4.5, [{ step: 0, machine: 'm2' }, { step: 1, machine: 'k1' }]],
    ]);
    expect(risk.find((item) => item.lot === 'P1')!.message).toBe(
      'Lot P1 (Product short-gate) is parked; loaded now at the end of Line 2 (step 1) and Kitting 1 (step 2), it would finish Tue 6 Jan 07:00, 8.0 h after its due date Mon 5 Jan 23:00.',
    );
    // the estimate leaves the plan as it was: nothing else is reported, and a second run gives the same
    expect(items.filter((item) => item.kind !== 'due-date-at-risk')).toEqual([]);
  });

  it('a queued later step behind a parked one is planned by the estimate too; a disabled machine is never chosen', () => {
    // step 1 parked, step 2 already queued on k1. m2 disabled, m1 free: m1 06:30–08:30, k1 08:30–10:30; due 11:00 → 0.5 h slack
    const machines = [{ ...MACHINES[0] }, { ...MACHINES[1], enabled: false }, MACHINES[2]];
    const items = exceptions(MON('06:30'), [workOrder('Q', 'two', 2_000, [op(0, null, null), op(1, 'k1', 0)], { due: MON('11:00') })], { machines });
    const [risk] = ofKind(items, 'due-date-at-risk');
    expect(risk).toMatchObject({ lot: 'Q', severity: 'warning', earliestFinish: MON('10:30'), slackHours: 0.5, placements: [{ step: 0, machine: 'm1' }] });
  });

  it('a lot already late is not listed again as at risk', () => {
    const items = exceptions(MON('06:30'), [workOrder('R', 'two', 20_000, [op(0, 'm1', 0)], { due: MON('12:00') })]);
    expect(countByKind(items)).toMatchObject({ 'late-work-order': 1, 'due-date-at-risk': 0 });
  });
});

describe('gates without a signer', () => {
  it('a gate whose role no active user holds is listed once per product step with its open lots', () => {
    const items = exceptions(
      MON('06:30'),
      [
        workOrder('S1', 'gated', 1_000, [op(0, 'm1', 0), op(1, 'k1', 0)], { due: local('2026-01-20T12:00') }),
        workOrder('S2', 'gated', 1_000, [op(0, 'm1', 1), op(1, 'k1', 1)], { due: local('2026-01-20T12:00') }),
        workOrder('S3', 'gated', 1_000, [op(0, null, null, { state: 'done', actualStart: MON('01:00'), actualEnd: MON('02:00') })]),
      ],
      { activeUserRoles: ['planner', 'admin', 'operator'] },
    );
    const gates = ofKind(items, 'gate-without-signer').filter((item) => item.reason === 'no-signer');
    expect(gates).toHaveLength(1);
    // S3's step 1 is done and waits for the gate: critical
    expect(gates[0]).toMatchObject({ severity: 'critical', lots: ['S1', 'S2', 'S3'], role: 'quality', gateName: 'QC release', step: 0, lot: 'S1' });
    expect(gates[0].message).toBe('Nobody can sign the QC release after step 1 of Product gated: no active user has the quality role (3 open lots: S1, S2, S3).');
  });

  it('a gate role that may not sign gates counts as having no signer; a passed gate or an active signer does not', () => {
    const planner: ExceptionGate = { name: 'Planner check', hours: 1, role: 'planner' };
    PRODUCTS.push({ key: 'planner-gate', routing: [step('pouch', 1000, 0, 1), step('kit', 1000)], gates: [planner, null] });
    try {
      const items = exceptions(MON('06:30'), [
        workOrder('T1', 'planner-gate', 1_000, [op(0, 'm1', 0)]),
        workOrder('T2', 'gated', 1_000, [op(0, 'm1', 1)]),
      ], { activeUserRoles: ['planner', 'quality'] });
      const gates = ofKind(items, 'gate-without-signer');
      expect(gates.map((item) => [item.lots, item.severity])).toEqual([[['T1'], 'warning']]);
      expect(gates[0].message).toContain('no active user has the planner role with the right to sign gates');
      const passed = exceptions(MON('06:30'), [workOrder('T1', 'planner-gate', 1_000, [op(0, 'm1', 0)])], { activeUserRoles: [], gatePasses: [{ lot: 'T1', step: 0 }] });
      expect(ofKind(passed, 'gate-without-signer')).toEqual([]);
    } finally {
      PRODUCTS.pop();
    }
  });

  it('a gate not passed longer than its hours after its step ended is overdue', () => {
    const done = (end: number) => op(0, null, null, { state: 'done', actualStart: end - H, actualEnd: end });
    const items = exceptions(MON('06:30'), [
      workOrder('U1', 'gated', 1_000, [done(MON('06:30') - 30 * H), op(1, 'k1', 0)]),
      workOrder('U2', 'gated', 1_000, [done(MON('06:30') - 20 * H), op(1, 'k1', 1)]),
      workOrder('U3', 'gated', 1_000, [done(MON('06:30') - 30 * H), op(1, 'k1', 2)]),
    ], { gatePasses: [{ lot: 'U3', step: 0 }] });
    const overdue = ofKind(items, 'gate-without-signer');
    expect(overdue.map((item) => [item.lot, item.reason, item.waitingHours, item.severity])).toEqual([['U1', 'overdue', 30, 'warning']]);
    expect(overdue[0].message).toBe('The QC release after step 1 of lot U1 (Product gated) has waited 30.0 h since the step ended Sun 4 Jan 00:30 (planned 24 h): the plan assumes it is passed, ask quality to sign it.');
  });
});

describe('operations in conflict with the calendar', () => {
  it('a running job on a machine with no working time in the next 24 h (Friday night → Monday)', () => {
    const friday = local('2026-01-09T23:00');
    const running = [workOrder('V', 'single', 10_000, [op(0, 'm1', 0, { state: 'running', produced: 4_000 })])];
    const [conflict] = ofKind(exceptions(friday, running), 'calendar-conflict');
    expect(conflict).toMatchObject({ lot: 'V', step: 0, machine: 'm1', reason: 'no-working-time', severity: 'warning', nextWorking: local('2026-01-12T06:30') });
    expect(conflict.message).toBe('Step 1 of lot V (Product single) is under way on Line 1, which has no working time in the next 24 h: it stands half-done until Mon 12 Jan 06:30.');
    // Friday morning there is working time ahead; a queued (not started) job is no conflict either
    expect(ofKind(exceptions(local('2026-01-09T10:00'), running), 'calendar-conflict')).toEqual([]);
    expect(ofKind(exceptions(friday, [workOrder('V', 'single', 10_000, [op(0, 'm1', 0)])]), 'calendar-conflict')).toEqual([]);
  });

  it('operations queued on a disabled machine, and the machine’s load without working time', () => {
    const machines = [MACHINES[0], { ...MACHINES[1], enabled: false }, MACHINES[2]];
    const items = exceptions(MON('06:30'), [workOrder('X', 'single', 2_000, [op(0, 'm2', 0)])], { machines });
    const [conflict] = ofKind(items, 'calendar-conflict');
    expect(conflict).toMatchObject({ lot: 'X', machine: 'm2', reason: 'machine-disabled', severity: 'critical', at: MON('06:30') });
    const [load] = ofKind(items, 'machine-overload');
    expect(load).toMatchObject({ machine: 'm2', severity: 'critical', loadPercent: null, availableHours: 0, plannedHours: 2 });
  });
});

describe('the report', () => {
  it('counts by kind and sorts critical first, then by the instant it is about', () => {
    const input: PlanInput = {
      now: MON('06:30'),
      working: calendarSource(),
      machines: MACHINES.map((m) => ({ key: m.key, group: m.group })),
      products: PRODUCTS.map((p) => ({ key: p.key, routing: p.routing })),
      workOrders: [
        workOrder('A', 'single', 10_000, [op(0, 'm1', 0)]),
        workOrder('B', 'single', 5_000, [op(0, 'm1', 1)], { due: MON('20:00') }),
        workOrder('E', 'single', 20_000, [op(0, 'm2', 0)], { due: MON('23:00') }),
        workOrder('P2', 'short-gate', 1_000, [], { due: MON('20:00') }),
      ],
    };
    const report = exceptionsReport({
      plan: input, result: plan(input), zone: 'America/Los_Angeles', machines: MACHINES,
      products: PRODUCTS.map((p) => ({ key: p.key, name: p.key, gates: p.gates ?? p.routing.map(() => null) })),
      activeUserRoles: ['lead', 'quality'], gatePasses: [],
    });
    expect(report.generatedAt).toBe(MON('06:30'));
    expect(report.counts).toEqual({ 'late-work-order': 2, 'machine-overload': 0, 'due-date-at-risk': 1, 'gate-without-signer': 0, 'calendar-conflict': 0 });
    // E is about 06:30 (its start), B 16:30; P2 loaded now goes to m1 after B (free 21:30, m2 only Tue 10:00):
    // 21:30–22:30, +4 h gate → kitting Tue 06:30–07:30, after its due date → critical, about Tue 07:30
    expect(report.items.map((item) => [item.severity, item.lot, item.at])).toEqual([
      ['critical', 'E', MON('06:30')],
      ['critical', 'B', MON('16:30')],
      ['critical', 'P2', TUE('07:30')],
    ]);
  });
});
