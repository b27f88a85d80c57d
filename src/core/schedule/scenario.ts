// A self-contained planning scenario (the `qmfg plan` file format): plant zone, "now", calendar,
// machines, products (with their changeover families), the changeover matrix, work orders and the
// optimiser's frozen horizon. The schema checks shapes and cross references so that every problem
// is reported with its path in the file, e.g. `workOrders[3].operations[0].machine`.
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import {
  isValidIsoWeek,
  validateWeekPattern,
  workingIntervals,
  type CalendarSpec,
  type WeekPattern,
} from '../calendar/index.js';
import { ANY_FAMILY, type PlanInput } from './types.js';

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

function describe(value: unknown): string {
  return value === undefined ? 'missing' : `got ${JSON.stringify(value)}`;
}

function isIsoDateTime(value: string): boolean {
  return DateTime.fromISO(value, { zone: 'utc' }).isValid;
}

/** "tue[1][0]" → ['tue', 1, 0], so calendar problems join the path of the file. */
function pathSegments(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const match of path.matchAll(/([^[\]]+)|\[(\d+)\]/g)) {
    segments.push(match[2] !== undefined ? Number(match[2]) : match[1]);
  }
  return segments;
}

const weekPatternSchema = z.custom<WeekPattern>(() => true).superRefine((pattern, ctx) => {
  for (const problem of validateWeekPattern(pattern)) {
    ctx.addIssue({ code: 'custom', message: problem.message, path: pathSegments(problem.path) });
  }
});

const isoInstantSchema = z
  .string({ error: (issue) => `expected an ISO 8601 date/time string, ${describe(issue.input)}` })
  .refine(isIsoDateTime, { error: (issue) => `${JSON.stringify(issue.input)} is not an ISO 8601 date/time` });

const calendarSchema = z.object({
  default: weekPatternSchema,
  weeks: z
    .record(
      z.string().refine(isValidIsoWeek, { error: (issue) => `${JSON.stringify(issue.input)} is not an ISO week like "2026-W48"` }),
      weekPatternSchema,
    )
    .default({}),
  holidays: z
    .array(
      z.string().refine((value) => LOCAL_DATE.test(value) && DateTime.fromISO(value, { zone: 'utc' }).isValid, {
        error: (issue) => `${JSON.stringify(issue.input)} is not a date YYYY-MM-DD`,
      }),
    )
    .default([]),
});

const keySchema = z.string().min(1, 'must not be empty');

const routingStepSchema = z.object({
  group: keySchema,
  ratePerHour: z.number().positive('must be > 0 units/h'),
  setupMinutes: z.number().nonnegative().default(0),
  gateHours: z.number().nonnegative().default(0),
});

const operationSchema = z.object({
  step: z.number().int().nonnegative(),
  machine: keySchema.nullable().default(null),
  position: z.number().int().nonnegative().nullable().default(null),
  state: z.enum(['parked', 'queued', 'running', 'done', 'held']).optional(),
  produced: z.number().int().nonnegative().default(0),
  observedRatePerHour: z.number().nonnegative().nullable().optional(),
  actualStart: isoInstantSchema.nullable().optional(),
  actualEnd: isoInstantSchema.nullable().optional(),
  /** the planner pinned it: the optimiser keeps its machine and its order */
  pinned: z.boolean({ error: (issue) => `expected true or false, ${describe(issue.input)}` }).default(false),
});

const changeoverRuleSchema = z.object({
  /** process group the rule applies to; absent = every group */
  group: keySchema.optional(),
  from: keySchema,
  to: keySchema,
  minutes: z
    .number({ error: (issue) => `expected working minutes >= 0, ${describe(issue.input)}` })
    .nonnegative({ error: (issue) => `must be >= 0 minutes, got ${JSON.stringify(issue.input)}` }),
});

const workOrderSchema = z.object({
  lot: z
    .string({ error: (issue) => `lot must be a string (keep leading zeros: "159070"), ${describe(issue.input)}` })
    .min(1, 'must not be empty'),
  product: keySchema,
  quantity: z.number().int().positive(),
  /** ISO instant; a plain date means "by the end of that plant-local day" */
  due: isoInstantSchema.nullable().default(null),
  rateMode: z.enum(['standard', 'observed', 'recommended']).optional(),
  operations: z.array(operationSchema).default([]),
});

const scenarioShapeSchema = z.object({
  timezone: z
    .string()
    .refine((zone) => IANAZone.isValidZone(zone), { error: (issue) => `unknown time zone ${JSON.stringify(issue.input)}` }),
  /** ISO instant; without an offset it is plant-local */
  now: isoInstantSchema,
  calendar: calendarSchema,
  machines: z.array(
    z.object({
      key: keySchema,
      group: keySchema,
      /** family the machine last ran; null/absent = unknown (its first operation has no changeover) */
      lastFamily: keySchema.nullable().optional(),
    }),
  ),
  products: z.array(
    z.object({
      key: keySchema,
      /** changeover family; absent = the product is its own family */
      family: keySchema.optional(),
      routing: z.array(routingStepSchema).min(1, 'a routing needs at least one step'),
    }),
  ),
  /** the changeover matrix: working minutes from family to family (`*` = any), per process group or for every group */
  changeovers: z.array(changeoverRuleSchema).default([]),
  workOrders: z.array(workOrderSchema),
  /** the optimiser keeps queued operations starting within this many hours of now where they are */
  frozenHours: z.number({ error: (issue) => `expected a number of hours >= 0, ${describe(issue.input)}` }).nonnegative('must be >= 0 hours').default(0),
});

type ScenarioShape = z.output<typeof scenarioShapeSchema>;

function checkReferences(scenario: ScenarioShape, ctx: z.RefinementCtx): void {
  const report = (path: (string | number)[], message: string): void => ctx.addIssue({ code: 'custom', path, message });

  const machineByKey = new Map<string, ScenarioShape['machines'][number]>();
  scenario.machines.forEach((machine, index) => {
    if (machineByKey.has(machine.key)) report(['machines', index, 'key'], `duplicate machine '${machine.key}'`);
    else machineByKey.set(machine.key, machine);
  });
  const groups = new Set(scenario.machines.map((machine) => machine.group));

  const productByKey = new Map<string, ScenarioShape['products'][number]>();
  scenario.products.forEach((product, productIndex) => {
    if (productByKey.has(product.key)) report(['products', productIndex, 'key'], `duplicate product '${product.key}'`);
    else productByKey.set(product.key, product);
    product.routing.forEach((routingStep, stepIndex) => {
      if (!groups.has(routingStep.group)) {
        report(['products', productIndex, 'routing', stepIndex, 'group'], `unknown group '${routingStep.group}' (no machine belongs to it)`);
      }
    });
  });

  checkFamilies(scenario, groups, report);

  const lots = new Set<string>();
  /** "machine/position" → who holds it, to reject two jobs in one queue slot */
  const positionHolders = new Map<string, string>();
  scenario.workOrders.forEach((workOrder, orderIndex) => {
    const orderPath = ['workOrders', orderIndex];
    if (lots.has(workOrder.lot)) report([...orderPath, 'lot'], `duplicate lot '${workOrder.lot}'`);
    lots.add(workOrder.lot);
    const product = productByKey.get(workOrder.product);
    if (!product) {
      report([...orderPath, 'product'], `unknown product '${workOrder.product}'`);
      return;
    }
    const seenSteps = new Set<number>();
    workOrder.operations.forEach((operation, operationIndex) => {
      const operationPath = [...orderPath, 'operations', operationIndex];
      const routingStep = product.routing[operation.step];
      if (routingStep === undefined) {
        const last = product.routing.length - 1;
        report([...operationPath, 'step'], `step ${operation.step} is out of range: product '${product.key}' has steps 0..${last}`);
        return;
      }
      if (seenSteps.has(operation.step)) report([...operationPath, 'step'], `step ${operation.step} appears twice in lot '${workOrder.lot}'`);
      seenSteps.add(operation.step);
      if (operation.machine === null) return;
      const machine = machineByKey.get(operation.machine);
      if (!machine) {
        report([...operationPath, 'machine'], `unknown machine '${operation.machine}'`);
        return;
      }
      // An unknown routing group is reported once, on the product, not again on every operation.
      if (machine.group !== routingStep.group && groups.has(routingStep.group)) {
        report(
          [...operationPath, 'machine'],
          `machine '${machine.key}' is in group '${machine.group}' but step ${operation.step} of '${product.key}' runs on group '${routingStep.group}'`,
        );
      }
      if (operation.position !== null) {
        const slot = `${machine.key}\u0000${operation.position}`;
        const holder = positionHolders.get(slot);
        const self = `lot '${workOrder.lot}' step ${operation.step}`;
        if (holder !== undefined) {
          report([...operationPath, 'position'], `position ${operation.position} on machine '${machine.key}' is already taken by ${holder}`);
        } else {
          positionHolders.set(slot, self);
        }
      }
    });
  });
}

/** Every family named by the machines and the changeover matrix must be a product's family (or `*` in a rule). */
function checkFamilies(scenario: ScenarioShape, groups: ReadonlySet<string>, report: (path: (string | number)[], message: string) => void): void {
  const families = new Set(scenario.products.map((product) => product.family ?? product.key));
  scenario.machines.forEach((machine, index) => {
    const last = machine.lastFamily;
    if (last != null && !families.has(last)) report(['machines', index, 'lastFamily'], `unknown family '${last}'`);
  });
  /** "group\0from\0to" → index of the first rule with that key */
  const firstRule = new Map<string, number>();
  scenario.changeovers.forEach((rule, index) => {
    const path = ['changeovers', index];
    if (rule.group !== undefined && !groups.has(rule.group)) {
      report([...path, 'group'], `unknown group '${rule.group}' (no machine belongs to it)`);
    }
    let known = true;
    for (const side of ['from', 'to'] as const) {
      const family = rule[side];
      if (family !== ANY_FAMILY && !families.has(family)) {
        report([...path, side], `unknown family '${family}'`);
        known = false;
      }
    }
    if (!known) return;
    const key = [rule.group ?? '', rule.from, rule.to].join('\u0000');
    const first = firstRule.get(key);
    if (first !== undefined) {
      const scope = rule.group === undefined ? 'every group' : `group '${rule.group}'`;
      report(path, `duplicate rule '${rule.from}' → '${rule.to}' for ${scope} (first at changeovers[${first}])`);
    } else {
      firstRule.set(key, index);
    }
  });
}

export const scenarioSchema = scenarioShapeSchema.superRefine(checkReferences);

export type Scenario = z.output<typeof scenarioSchema>;
/** The file as written (defaults not yet applied). */
export type ScenarioFile = z.input<typeof scenarioSchema>;

/** `['workOrders', 3, 'operations', 0, 'machine']` → `workOrders[3].operations[0].machine` */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text === '' ? '(file)' : text;
}

/** One "path: message" line per problem, in file order as zod reports them. */
export function describeScenarioIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${formatIssuePath(issue.path)}: ${issue.message}`);
}

/** how many problems the one-line message spells out; `problems` keeps them all */
const PROBLEMS_IN_MESSAGE = 5;

export class ScenarioError extends Error {
  constructor(readonly problems: string[]) {
    const hidden = problems.length - PROBLEMS_IN_MESSAGE;
    super(problems.slice(0, PROBLEMS_IN_MESSAGE).join('; ') + (hidden > 0 ? `; and ${hidden} more problem${hidden > 1 ? 's' : ''}` : ''));
    this.name = 'ScenarioError';
  }
}

/** Validates parsed JSON as a scenario; throws ScenarioError listing every problem with its path. */
export function parseScenario(data: unknown): Scenario {
  const result = scenarioSchema.safeParse(data);
  if (!result.success) throw new ScenarioError(describeScenarioIssues(result.error));
  return result.data;
}

/** ISO text → UTC ms in the plant zone: an offset in the text wins; without one it is plant-local time. */
function instantInZone(text: string, zone: string): number {
  return DateTime.fromISO(text, { zone }).toMillis();
}

/** A due date without a time means the lot is due by the end of that plant-local day. */
function dueInstant(text: string, zone: string): number {
  const local = DateTime.fromISO(text, { zone });
  return LOCAL_DATE.test(text) ? local.plus({ days: 1 }).toMillis() : local.toMillis();
}

export function scenarioToPlanInput(scenario: Scenario): PlanInput {
  const zone = scenario.timezone;
  const calendar: CalendarSpec = {
    default: scenario.calendar.default,
    weeks: scenario.calendar.weeks,
    holidays: scenario.calendar.holidays,
  };
  const optionalInstant = (text: string | null | undefined): number | null =>
    text == null ? null : instantInZone(text, zone);
  return {
    now: instantInZone(scenario.now, zone),
    working: (from, to) => workingIntervals(calendar, zone, from, to),
    machines: scenario.machines.map(({ key, group, lastFamily }) => ({ key, group, lastFamily: lastFamily ?? null })),
    products: scenario.products.map(({ key, family, routing }) => ({
      key,
      ...(family !== undefined ? { family } : {}),
      routing: routing.map((step) => ({ ...step })),
    })),
    changeovers: scenario.changeovers.map(({ group, from, to, minutes }) => ({ group: group ?? null, from, to, minutes })),
    workOrders: scenario.workOrders.map((workOrder) => ({
      lot: workOrder.lot,
      product: workOrder.product,
      quantity: workOrder.quantity,
      due: workOrder.due === null ? null : dueInstant(workOrder.due, zone),
      rateMode: workOrder.rateMode,
      operations: workOrder.operations.map((operation) => ({
        step: operation.step,
        machine: operation.machine,
        position: operation.position,
        state: operation.state,
        produced: operation.produced,
        observedRatePerHour: operation.observedRatePerHour ?? null,
        actualStart: optionalInstant(operation.actualStart),
        actualEnd: optionalInstant(operation.actualEnd),
        pinned: operation.pinned,
      })),
    })),
  };
}

/** What the file says about running the optimiser (not part of the plan input). */
export interface ScenarioOptions {
  /** queued operations starting within this many hours of now keep machine and order */
  frozenHours: number;
}

export function scenarioOptions(scenario: Scenario): ScenarioOptions {
  return { frozenHours: scenario.frozenHours };
}
