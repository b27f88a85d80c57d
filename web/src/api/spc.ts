// Endpoints of SPC monitoring (/api/machines/:key/channels/:channel/spc…), typed by the schemas the server validates with.
import { z } from 'zod';
import { limitsInputSchema, limitsSchema, RULE_SETS, spcChartSchema, type LimitsView, type SpcChart } from '../../../src/features/spc/schemas.js';
import { requestJson } from './client.js';

export { RULE_SETS };
export type { LimitsView, SpcChart };
/** What the form sends (subgroup and rules may be left to the server's defaults). */
export type LimitsInput = z.input<typeof limitsInputSchema>;
export type SpcSignal = SpcChart['signals'][number];
export type Capability = SpcChart['capability'];
export type CapabilityIndex = Capability['cp'];

const base = (machine: string, channel: string) => `/api/machines/${encodeURIComponent(machine)}/channels/${encodeURIComponent(channel)}/spc`;

export function getSpcChart(machine: string, channel: string, from: number, to: number) {
  const params = new URLSearchParams({ from: new Date(from).toISOString(), to: new Date(to).toISOString() });
  return requestJson('GET', `${base(machine, channel)}?${params}`, spcChartSchema);
}
export const listSpcLimits = (machine: string, channel: string) => requestJson('GET', `${base(machine, channel)}/limits`, z.array(limitsSchema));
export const createSpcLimits = (machine: string, channel: string, input: LimitsInput) => requestJson('POST', `${base(machine, channel)}/limits`, limitsSchema, input);
