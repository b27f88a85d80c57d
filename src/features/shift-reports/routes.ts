// REST for the operator screen (/api/operator/:machine) and the shift reports built on it.
import { z } from 'zod';
import type { App, AppDeps } from '../../server/context.js';
import { keySchema } from '../plant/schemas.js';
import { parseExactInstant } from '../../core/time.js';
import { signaturesOf, type SignedContentReaders } from '../auth/signatures.js';
import { SHIFT_LOG_ENTITY, shiftLogKey } from '../operator-input/shift-log.js';
import { operatorView } from './operator-view.js';
import { operatorViewSchema } from './schemas.js';
import { Invalid } from '../../core/errors.js';

export interface ShiftReportOptions {
  signedContent: SignedContentReaders;
}

export async function shiftReportRoutes(app: App, { db, config }: AppDeps, options: ShiftReportOptions): Promise<void> {
  const zone = config.QMFG_TZ;
  const signatures = (machine: string, shiftStart: number) => signaturesOf(options.signedContent, db, SHIFT_LOG_ENTITY, [shiftLogKey(machine, shiftStart)]);
  app.get(
    '/api/operator/:machine',
    {
      config: { permission: 'plant:read' },
      schema: {
        tags: ['shift logs'],
        description: 'Everything the operator screen shows for a line: the shift (the one running now, or `shift` = its start), current and next job, counts so far, stops that need a reason, the shift log, the previous shift\'s handover, the reason tree, lots and people.',
        params: z.object({ machine: keySchema }),
        querystring: z.object({ shift: z.string().trim().min(1).max(40).optional() }),
        response: { 200: operatorViewSchema },
      },
    },
    async (req) => {
      let shiftStart: number | undefined;
      if (req.query.shift) {
        const parsed = parseExactInstant(req.query.shift, zone);
        if (parsed === null) throw Invalid.field('query.shift', "must be the shift's start as epoch ms or ISO 8601");
        shiftStart = parsed;
      }
      return operatorView(db, req.params.machine, { zone, promptSeconds: config.QMFG_REASON_PROMPT_SECONDS, shiftStart, signatures });
    },
  );
}
