// What a database error means for the caller, on every dialect: a transaction that lost a race
// (deadlock, serialisation failure: run it again) or a database that cannot be reached at the moment
// (outage, restart, killed connection: answer 503 and let the client retry; the pool reconnects).

interface DriverError {
  code?: unknown;
  errno?: unknown;
  message?: unknown;
  fatal?: unknown;
  errors?: unknown;
}

const RETRYABLE_CODES = new Set([
  '40P01', // PostgreSQL deadlock_detected
  '40001', // PostgreSQL serialization_failure
  'ER_LOCK_DEADLOCK', // MySQL/MariaDB 1213
  'ER_LOCK_WAIT_TIMEOUT', // MySQL/MariaDB 1205
  'SQLITE_BUSY',
  'SQLITE_BUSY_SNAPSHOT',
]);

/** A deadlock or serialisation failure: the transaction was rolled back and may simply be run again. */
export function isRetryableTransactionError(error: unknown): boolean {
  const e = error as DriverError | null;
  if (!e || typeof e !== 'object') return false;
  return RETRYABLE_CODES.has(String(e.code ?? '')) || e.errno === 1213 || e.errno === 1205;
}

const UNAVAILABLE_CODES = new Set([
  // sockets
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  // PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections, connection exceptions
  '57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006', '08P01',
  // MySQL/MariaDB client and server
  'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR', 'PROTOCOL_ENQUEUE_AFTER_QUIT',
  'ER_SERVER_SHUTDOWN', 'ER_CON_COUNT_ERROR', 'ER_CONNECTION_KILLED', 'ER_QUERY_INTERRUPTED', 'ER_ABORTING_CONNECTION',
  'ER_NORMAL_SHUTDOWN', 'ER_SHUTDOWN_COMPLETE', 'ER_CLIENT_INTERACTION_TIMEOUT',
]);

// drivers that give no code for a lost connection say so in words
const UNAVAILABLE_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /client has encountered a connection error and is not queryable/i,
  /cannot use a pool after calling end/i,
  /can't add new command when connection is in closed state/i,
  /connection lost/i,
  /connection is closed/i,
  /pool is closed/i,
];

/** The database is unreachable or dropped the connection: a temporary outage, not a bug in the request. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  const e = error as DriverError | null;
  if (!e || typeof e !== 'object' || depth > 3) return false;
  if (UNAVAILABLE_CODES.has(String(e.code ?? ''))) return true;
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.some((m) => m.test(e.message as string))) return true;
  // an AggregateError (connecting to every address of localhost failed) carries the reasons inside
  if (Array.isArray(e.errors)) return e.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1));
  const cause = (error as { cause?: unknown }).cause;
  return cause !== undefined && isDatabaseUnavailable(cause, depth + 1);
}
