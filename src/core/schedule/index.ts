// Finite-capacity scheduler (DESIGN.md §3): the public surface other parts code against.
export type {
  Interval,
  WorkingTimeSource,
  OperationState,
  RateMode,
  RoutingStep,
  PlanProduct,
  PlanMachine,
  PlanOperationInput,
  PlanWorkOrder,
  PlanInput,
  PlannedOperation,
  PlanResult,
  UnplannedReason,
  LoadMode,
  ChangeoverRule,
} from './types.js';
export { ANY_FAMILY } from './types.js';
export { ChangeoverMatrix } from './changeover.js';
export { ScheduleModel, subtractIntervals, placementOnQueue, type ScheduleNode, type MachineQueue } from './scheduler.js';
export { frozenQueues, type FrozenQueue } from './frozen.js';
export {
  optimize,
  optimizeInTurns,
  SEARCH_SLICE_MS,
  kpisOf,
  earliestDueDateDispatch,
  DEFAULT_TIME_LIMIT_MS,
  type PlanKpis,
  type OptimizeOptions,
  type OptimizeResult,
  type OperationMove,
} from './optimizer.js';
export { plan, planningHorizonEnd, operationDurationMs, PLANNING_HORIZON_YEARS } from './scheduler.js';
export { addWorkingTime, WorkingTimeline } from './working-time.js';
export { loadIntoQueue } from './queue.js';
export { operationId, parseOperationId, queueState } from './operations.js';
export { estimateCompletion, type CompletionEstimate, type EstimateInput, type EstimateOperation, type StepEstimate } from './estimate.js';
export { workOrderProgress, type StepCounts, type WorkOrderProgress } from './progress.js';
export {
  scenarioSchema,
  scenarioToPlanInput,
  parseScenario,
  describeScenarioIssues,
  formatIssuePath,
  ScenarioError,
  type Scenario,
  type ScenarioFile,
} from './scenario.js';
export { capableToPromise, type PromiseRequest, type PromiseResult, type PromiseAnswer, type PromisedStep } from './promise.js';
