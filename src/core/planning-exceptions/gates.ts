// Gates nobody can sign, and gates left waiting. A gate is signed by someone holding its role (and
// the role must be allowed to sign gates); if no active user does, every open lot of that product
// stalls after the step. A gate whose step is done but that is still not passed after its gate hours
// makes the plan optimistic: the next step is planned as if it had been passed on time.
import { can } from '../permissions.js';
import { MS_PER_HOUR } from '../time.js';
import type { GateWithoutSignerException } from './schema.js';
import { formatHours, formatInstant, groupOf, hours, isDone, lotLabel, stepLabel, type PlanIndex } from './context.js';

const ROLE_NAMES: Record<string, string> = {
  viewer: 'viewer', operator: 'operator', lead: 'shift lead', planner: 'planner', quality: 'quality', manager: 'manager', admin: 'administrator',
};

export function gatesWithoutSigner(index: PlanIndex): GateWithoutSignerException[] {
  const signerRoles = new Set(index.input.activeUserRoles.filter((role) => can(role, 'gates:sign')));
  const passed = new Set(index.input.gatePasses.map((p) => `${p.lot}/${p.step}`));
  const found: GateWithoutSignerException[] = [];
  /** per product and step, the open lots waiting for a gate nobody can sign */
  const unsignable = new Map<string, { product: string; step: number; lots: string[]; ready: boolean }>();

  for (const workOrder of index.input.plan.workOrders) {
    const product = index.products.get(workOrder.product);
    if (!product || product.gates.every((_, step) => isDone(index, workOrder.lot, step))) continue;
    product.gates.forEach((gate, step) => {
      if (gate === null || passed.has(`${workOrder.lot}/${step}`)) return;
      // a gate before a step already done was passed in practice (or the lot was closed)
      const next = step + 1;
      if (next < product.gates.length && isDone(index, workOrder.lot, next)) return;
      const stepDone = isDone(index, workOrder.lot, step);
      if (!signerRoles.has(gate.role)) {
        const key = `${product.key}/${step}`;
        const entry = unsignable.get(key) ?? { product: product.key, step, lots: [], ready: false };
        entry.lots.push(workOrder.lot);
        entry.ready ||= stepDone;
        unsignable.set(key, entry);
      }
      const endedAt = index.operationInputs.get(workOrder.lot)?.get(step)?.actualEnd ?? null;
      if (stepDone && endedAt !== null && index.now - endedAt > gate.hours * MS_PER_HOUR) {
        const waitingMs = index.now - endedAt;
        found.push({
          kind: 'gate-without-signer',
          id: `gate-overdue:${workOrder.lot}:${step}`,
          severity: 'warning',
          message: `The ${gate.name} after ${stepLabel(step)} of ${lotLabel(index, workOrder.lot).replace(/^Lot/, 'lot')} has waited ${formatHours(waitingMs)} since the step ended ${formatInstant(index, endedAt)} (planned ${gate.hours} h): the plan assumes it is passed, ask ${ROLE_NAMES[gate.role] ?? gate.role} to sign it.`,
          lot: workOrder.lot,
          step,
          machine: null,
          group: groupOf(index, workOrder.lot, step),
          at: endedAt,
          reason: 'overdue',
          gateName: gate.name,
          role: gate.role,
          gateHours: gate.hours,
          lots: [workOrder.lot],
          waitingHours: hours(waitingMs),
        });
      }
    });
  }

  for (const entry of unsignable.values()) {
    const product = index.products.get(entry.product)!;
    const gate = product.gates[entry.step]!;
    const lots = [...entry.lots].sort();
    const listed = lots.length <= 3 ? lots.join(', ') : `${lots.slice(0, 3).join(', ')} and ${lots.length - 3} more`;
    found.push({
      kind: 'gate-without-signer',
      id: `gate-no-signer:${product.key}:${entry.step}`,
      severity: entry.ready ? 'critical' : 'warning',
      message: `Nobody can sign the ${gate.name} after ${stepLabel(entry.step)} of ${product.name}: no active user has the ${ROLE_NAMES[gate.role] ?? gate.role} role${can(gate.role, 'gates:sign') ? '' : ' with the right to sign gates'} (${lots.length} open ${lots.length === 1 ? 'lot' : 'lots'}: ${listed}).`,
      lot: lots[0],
      step: entry.step,
      machine: null,
      group: groupOf(index, lots[0], entry.step),
      at: null,
      reason: 'no-signer',
      gateName: gate.name,
      role: gate.role,
      gateHours: gate.hours,
      lots,
      waitingHours: null,
    });
  }
  return found;
}
