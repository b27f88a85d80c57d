// "Suggest a plan" (src/features/orders/suggestion-routes.ts): ask the optimiser for a suggestion of
// the live plan, accept it whole or per machine.
import { requestJson } from './client.js';
import {
  acceptResultSchema, suggestionSchema, type AcceptResult, type Suggestion,
} from '../../../src/features/orders/suggestion-schemas.js';

export type { AcceptResult, MachineDiff, MachineMove, PlanKpisView, SuggestedOperation, Suggestion } from '../../../src/features/orders/suggestion-schemas.js';
export { DEFAULT_SUGGESTION_SECONDS, MAX_SUGGESTION_SECONDS } from '../../../src/features/orders/suggestion-schemas.js';

export interface SuggestionOptions {
  timeLimitSeconds: number;
  frozenHours: number;
  nonDisruptive: boolean;
}

export const requestSuggestion = (options: SuggestionOptions): Promise<Suggestion> => requestJson('POST', '/api/schedule/suggestions', suggestionSchema, options);

/** Accepts `suggestion` for `machines` (all when absent); 409 when the plan changed since it was computed. */
export const acceptSuggestion = (suggestion: Suggestion, machines?: string[], reason?: string): Promise<AcceptResult> =>
  requestJson('POST', '/api/schedule/suggestions/accept', acceptResultSchema, {
    basis: suggestion.basis,
    queues: suggestion.queues,
    machines,
    computedAt: suggestion.computedAt,
    frozenHours: suggestion.frozenHours,
    suggestion: suggestion.id,
    reason,
  });
