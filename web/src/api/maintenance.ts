// Endpoints of the maintenance signals and comparative analysis, typed by the schemas the server validates with.
import {
  correlationResponseSchema, healthResponseSchema, metricsResponseSchema, type CorrelationResponse, type HealthResponse,
} from '../../../src/features/maintenance/schemas.js';
import { requestJson } from './client.js';

export type { CorrelationResponse, HealthResponse };
export type AnalysisBucket = CorrelationResponse['bucket'];

export function getHealth(machine: string, from: number, to: number, groupBy: 'day' | 'week' = 'day') {
  const params = new URLSearchParams({ from: String(from), to: String(to), groupBy });
  return requestJson('GET', `/api/machines/${encodeURIComponent(machine)}/health?${params}`, healthResponseSchema);
}

export const listAnalysisMetrics = () => requestJson('GET', '/api/analysis/metrics', metricsResponseSchema);

export function getCorrelation(query: { machine: string; x: string; y: string; from: number; to: number; bucket: AnalysisBucket }) {
  const params = new URLSearchParams({ machine: query.machine, x: query.x, y: query.y, from: String(query.from), to: String(query.to), bucket: query.bucket });
  return requestJson('GET', `/api/analysis/correlation?${params}`, correlationResponseSchema);
}
