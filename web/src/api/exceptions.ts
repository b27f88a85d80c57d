// Plan exceptions of the live plan (/api/schedule/exceptions), typed by the schema the server sends.
import { exceptionsReportSchema } from '../../../src/core/planning-exceptions/schema.js';
import { requestJson } from './client.js';

export type { ExceptionKind, ExceptionsReport, PlanException } from '../../../src/core/planning-exceptions/schema.js';
export { EXCEPTION_KINDS } from '../../../src/core/planning-exceptions/schema.js';

export const getPlanExceptions = () => requestJson('GET', '/api/schedule/exceptions', exceptionsReportSchema);
