import { describe, expect, it } from 'vitest';
import { alertRuleInputSchema, condition, decide, mayMail, retryDelayMs, type RuleSpec } from './index.js';

const MIN = 60_000;
const rule = (over: Partial<RuleSpec> = {}): RuleSpec => ({ id: 1, kind: 'stopped', minutes: 10, percent: null, clearMinutes: 2, capPerHour: 3, ...over });

describe('alert conditions', () => {
  it('a stop counts only working time: one that began off shift counts from the start of the shift', () => {
    const shiftStart = 1_000 * MIN;
    // last cycle last night, 5 min into the shift: not yet 10 min
    expect(condition(rule(), { kind: 'stopped', lastAt: shiftStart - 600 * MIN, workingSince: shiftStart }, shiftStart + 5 * MIN).holds).toBe(false);
    const at11 = condition(rule(), { kind: 'stopped', lastAt: shiftStart - 600 * MIN, workingSince: shiftStart }, shiftStart + 11 * MIN);
    expect(at11).toEqual({ holds: true, since: shiftStart, detail: 'stopped for 11 min' });
    expect(condition(rule(), { kind: 'stopped', lastAt: 0, workingSince: null }, shiftStart).holds).toBe(false);
  });

  it('rate below X % of standard over the window', () => {
    const slow = rule({ kind: 'rate-below', percent: 80 });
    // 10 min at 100 parts = 600/h against 1000/h standard: 60 %
    expect(condition(slow, { kind: 'rate-below', parts: 100, windowMinutes: 10, standardPerHour: 1000, runningSince: 0 }, 0)).toMatchObject({ holds: true, detail: 'rate 60 % of standard (600/h)' });
    expect(condition(slow, { kind: 'rate-below', parts: 150, windowMinutes: 10, standardPerHour: 1000, runningSince: 0 }, 0).holds).toBe(false);
    // a window shorter than the rule's minutes (the shift just began) is not judged yet
    expect(condition(slow, { kind: 'rate-below', parts: 1, windowMinutes: 3, standardPerHour: 1000, runningSince: 0 }, 0).holds).toBe(false);
  });

  it('late by the scheduler’s flag or forecast; a gate waiting longer than its hours', () => {
    expect(condition(rule({ kind: 'late' }), { kind: 'late', late: false, forecastEnd: 90 * MIN, due: 60 * MIN }, 0)).toMatchObject({ holds: true, detail: 'finish 30 min after due' });
    expect(condition(rule({ kind: 'late' }), { kind: 'late', late: false, forecastEnd: 30 * MIN, due: 60 * MIN }, 0).holds).toBe(false);
    const gate = rule({ kind: 'gate-waiting', minutes: 120 });
    expect(condition(gate, { kind: 'gate-waiting', waitingSince: 0 }, 119 * MIN).holds).toBe(false);
    expect(condition(gate, { kind: 'gate-waiting', waitingSince: 0 }, 121 * MIN).holds).toBe(true);
  });
});

describe('alert decisions', () => {
  const holds = { holds: true, since: 5, detail: '' };
  const clear = { holds: false, since: null, detail: '' };
  it('raises once, resolves only after the clear minutes (hysteresis), forgets a clearing when it holds again', () => {
    expect(decide(rule(), holds, null, 100)).toEqual({ action: 'raise', since: 5 });
    expect(decide(rule(), holds, { id: 1, clearSince: null }, 100)).toEqual({ action: 'none' });
    expect(decide(rule(), clear, { id: 1, clearSince: null }, 100)).toEqual({ action: 'clearing', since: 100 });
    expect(decide(rule(), clear, { id: 1, clearSince: 100 }, 100 + MIN)).toEqual({ action: 'none' });
    expect(decide(rule(), holds, { id: 1, clearSince: 100 }, 100 + MIN)).toEqual({ action: 'hold' });
    expect(decide(rule(), clear, { id: 1, clearSince: 100 }, 100 + 2 * MIN)).toEqual({ action: 'resolve' });
    expect(decide(rule({ clearMinutes: 0 }), clear, { id: 1, clearSince: null }, 100)).toEqual({ action: 'resolve' });
  });
  it('off shift nothing is judged: a line stopped at the end of the shift keeps its alert open', () => {
    const off = condition(rule(), { kind: 'stopped', lastAt: 0, workingSince: null }, 100 * MIN);
    expect(decide(rule(), off, { id: 1, clearSince: null }, 100 * MIN)).toEqual({ action: 'none' });
    expect(decide(rule(), off, null, 100 * MIN)).toEqual({ action: 'none' });
  });
  it('caps mails per rule per hour and backs off retries', () => {
    expect([0, 1, 2, 3].map((n) => mayMail(rule(), n))).toEqual([true, true, true, false]);
    expect([1, 2, 3, 20].map((n) => retryDelayMs(n))).toEqual([30_000, 60_000, 120_000, 3_600_000]);
  });
  it('refuses negative thresholds naming the field', () => {
    const result = alertRuleInputSchema.safeParse({ kind: 'stopped', scope: 'machine', scopeKey: 'line7', minutes: -1 });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['minutes']);
    expect(alertRuleInputSchema.safeParse({ kind: 'gate-waiting', scope: 'group', scopeKey: 'g' }).error?.issues[0].path).toEqual(['hours']);
  });
});
