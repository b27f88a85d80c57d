// GET /api/production/state: running or stopped per machine, with the threshold of each machine's
// OEE profile (availabilityLossSeconds). Here rather than in machine-data because the profile is
// resolved by this feature.
import { z } from 'zod';
import type { App, AppDeps } from '../../server/context.js';
import { Invalid } from '../../core/errors.js';
import * as plantRepo from '../plant/repository.js';
import { machineStates } from '../machine-data/machine-state.js';
import { machineStatesResponseSchema } from '../machine-data/schemas.js';
import { resolveProfile } from './service.js';
import { machineListSchema } from '../machine-data/window-query.js';

export async function machineStateRoutes(app: App, { db }: AppDeps): Promise<void> {
  app.get(
    '/api/production/state',
    {
      config: { permission: 'plant:read' },
      schema: {
        tags: ['machine data'],
        description:
          'Whether each machine runs: stopped once no cycle came for its OEE profile\'s availabilityLossSeconds, or at once when its source ' +
          'reported "stopped" (MQTT <prefix>/<machine>/state); with the last cycle, since when, and when a running machine would turn stopped.',
        querystring: z.object({ machine: machineListSchema }),
        response: { 200: machineStatesResponseSchema },
      },
    },
    async (req) => {
      const now = Date.now();
      const machines: { key: string; thresholdMs: number }[] = [];
      for (const key of req.query.machine) {
        const machine = await plantRepo.getMachine(db, key);
        if (!machine) throw Invalid.field('query.machine', `unknown machine '${key}'`);
        const profile = await resolveProfile(db, machine.oeeProfile, 'query.machine');
        machines.push({ key, thresholdMs: profile.availabilityLossSeconds * 1000 });
      }
      return { at: now, machines: await machineStates(db, machines, now) };
    },
  );
}
