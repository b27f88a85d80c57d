// The at-risk estimate's shortcut (append at a machine's end without re-running the plan) must give
// what running the scheduler's model for every candidate gives: a seeded plant of busy machines,
// family changeovers, gates and parked lots of one and two steps, compared lot by lot.
import { describe, expect, it } from 'vitest';
import { plan, ScheduleModel, type PlanInput, type ScheduleNode } from '../schedule/index.js';
import { calendarSource, local, op, step, workOrder } from '../schedule/test-helpers.js';
import { indexPlan } from './context.js';
import { earliestFinish, earliestFinishByRuns } from './parked.js';

describe('parked estimate shortcut', () => {
  it('equals running the model for every candidate machine', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const machines = ['m1', 'm2', 'm3', 'k1', 'k2'].map((key) => ({ key, name: key, group: key.startsWith('m') ? 'pouch' : 'kit', enabled: true }));
    const now = local('2026-01-05T09:10');
    const workOrders = Array.from({ length: 40 }, (_, i) => {
      const product = ['a', 'b', 'c'][i % 3];
      const quantity = 1000 + Math.floor(random() * 20_000);
      if (i % 4 === 0) return workOrder(`P${i}`, product, quantity, [], { due: now + Math.floor(random() * 200) * 3_600_000 });
      return workOrder(`Q${i}`, product, quantity, [op(0, `m${1 + (i % 3)}`, i), op(1, `k${1 + (i % 2)}`, i)]);
    });
    const input: PlanInput = {
      now,
      working: calendarSource(),
      machines: machines.map((m) => ({ key: m.key, group: m.group, lastFamily: m.key === 'm2' ? 'fa' : null })),
      products: ['a', 'b', 'c'].map((key) => ({ key, family: key === 'c' ? 'fa' : `f${key}`, routing: [step('pouch', 3000, 15, key === 'a' ? 24 : 2), step('kit', 4000, 10)] })),
      workOrders,
      changeovers: [{ group: 'pouch', from: '*', to: '*', minutes: 45 }, { group: 'pouch', from: 'fa', to: 'fb', minutes: 120 }],
    };
    const index = indexPlan({ plan: input, result: plan(input), zone: 'America/Los_Angeles', machines, products: [], activeUserRoles: [], gatePasses: [] });
    const model = new ScheduleModel(input);
    const nodesOf = (lot: string): ScheduleNode[] => model.nodes.filter((node) => node.workOrder.lot === lot);
    const parked = workOrders.filter((wo) => wo.lot.startsWith('P'));
    expect(parked.length).toBe(10);
    for (const wo of parked) {
      const fast = earliestFinish(index, model, nodesOf(wo.lot));
      const runs = earliestFinishByRuns(index, model, nodesOf(wo.lot));
      expect(fast, wo.lot).toEqual(runs);
      expect(fast?.finish, wo.lot).toBeGreaterThan(now);
    }
  });
});
