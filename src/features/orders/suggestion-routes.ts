// REST for "Suggest a plan" (issue 15 item 2): compute a suggestion (changes nothing) and accept it
// whole or per machine (one audited change, then the boards are told).
import type { App, AppDeps } from '../../server/context.js';
import { whoOf } from '../../server/context.js';
import { acceptSuggestion, suggestPlan, type SuggestionContext } from './suggestion.js';
import { acceptRequestSchema, acceptResultSchema, suggestionRequestSchema, suggestionSchema } from './suggestion-schemas.js';

export async function suggestionRoutes(app: App, { db, config, events }: AppDeps): Promise<void> {
  const ctx: SuggestionContext = { db, zone: config.QMFG_TZ };
  const tags = ['schedule'];
  app.post(
    '/api/schedule/suggestions',
    {
      config: { permission: 'orders:write' },
      schema: {
        tags,
        description:
          'Runs the optimiser over the live plan for up to `timeLimitSeconds` and returns the suggested queues, the KPIs before and after and a diff per changed machine. Nothing is stored: accept it with the `basis` and `queues` it returns.',
        body: suggestionRequestSchema,
        response: { 200: suggestionSchema },
      },
    },
    (req) => suggestPlan(ctx, req.body),
  );
  app.post(
    '/api/schedule/suggestions/accept',
    {
      config: { permission: 'orders:write' },
      schema: {
        tags,
        description:
          "Applies a suggestion to all machines or to `machines`: an accepted machine's queue becomes the suggested one; operations moved off it go to their suggested machine when that is accepted too, else to the parking lot; held operations keep their places. 409 when the live queues changed since `basis`.",
        body: acceptRequestSchema,
        response: { 200: acceptResultSchema },
      },
    },
    async (req) => {
      const result = await acceptSuggestion(ctx, whoOf(req, req.body.reason), req.body);
      events.publish({ topic: 'schedule', data: { replan: true, reason: 'suggestion', machines: result.machines } });
      return result;
    },
  );
}
