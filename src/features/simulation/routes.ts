// The living demo's control (issue 12 item 1), administrators only: which machines are simulated
// and their state, and pause/resume one (a paused machine makes nothing and reports "stopped").
import { z } from 'zod';
import type { App, AppDeps } from '../../server/context.js';
import { Simulation, UnknownSimulatedMachine } from './runner.js';

/** The simulation of this server, when one runs (set after start: the runner starts after the app). */
export interface SimulationHolder {
  current: Simulation | null;
}

const machineStatus = z.object({
  machine: z.string(),
  paused: z.boolean(),
  lot: z.string().nullable(),
  item: z.string().nullable(),
  count: z.number(),
  cycles: z.number(),
});
const statusSchema = z.object({ running: z.boolean(), now: z.string().nullable(), machines: z.array(machineStatus) });
const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const params = z.object({ key: z.string().min(1).max(80) });

export async function simulationRoutes(app: App, _deps: AppDeps, options: { holder: SimulationHolder }): Promise<void> {
  const admin = { permission: 'users:admin' as const };
  const tags = ['simulation'];
  app.get('/api/simulation', { config: admin, schema: { tags, response: { 200: statusSchema } } }, async () => {
    const simulation = options.holder.current;
    if (!simulation) return { running: false, now: null, machines: [] };
    return { running: true, now: new Date(simulation.now()).toISOString(), machines: simulation.status() };
  });
  for (const action of ['pause', 'resume'] as const) {
    app.post(
      `/api/simulation/machines/:key/${action}`,
      { config: admin, schema: { tags, params, response: { 200: machineStatus, 404: errorSchema, 409: errorSchema } } },
      async (request, reply) => {
        const simulation = options.holder.current;
        if (!simulation) return reply.code(409).send({ error: { code: 'no_simulation', message: 'no simulation runs in this server (QMFG_DEMO_LIVE=0, or `qmfg simulate` runs as its own process)' } });
        try {
          return action === 'pause' ? await simulation.pause(request.params.key) : await simulation.resume(request.params.key);
        } catch (error) {
          if (error instanceof UnknownSimulatedMachine) return reply.code(404).send({ error: { code: 'not_found', message: error.message } });
          throw error;
        }
      },
    );
  }
}
