// A small typed wrapper around fetch. Every answer is checked against the shared zod schema of the
// endpoint, and every failure becomes an ApiError the screens can show: a message for a banner or
// toast, and field errors keyed the way the forms name their fields ("routing.1.ratePerHour").
import type { z } from 'zod';
import { isPermission, refusalMessage } from '../../../src/core/permissions.js';

export interface FieldErrors {
  [path: string]: string;
}

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    message: string,
    /** HTTP status; 0 when the server could not be reached */
    readonly status: number,
    /** the server's error code: invalid, not_found, conflict, stale_version, … */
    readonly code: string,
    readonly fields: FieldErrors = {},
  ) {
    super(message);
  }
  get isStale(): boolean {
    return this.code === 'stale_version';
  }
  get isConflict(): boolean {
    return this.status === 409;
  }
}

/**
 * The server names a field after where it was found ("body.routing.1.ratePerHour", "body.days.tue.0.1")
 * and the core sometimes uses brackets ("routing[1].ratePerHour"); forms use plain dotted paths
 * relative to the object they edit.
 */
export function normaliseFieldPath(path: string): string {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/^\.+/, '')
    .replace(/^(body|query|params|querystring)(\.|$)/, '');
}

interface ErrorBody {
  error?: { code?: string; message?: string; fields?: { path: string; message: string }[]; permission?: string };
}

async function errorFrom(response: Response): Promise<ApiError> {
  let body: ErrorBody | undefined;
  try {
    body = (await response.json()) as ErrorBody;
  } catch {
    // not JSON (a proxy's error page, an empty 502): the status line is all we have
    body = undefined;
  }
  const fields: FieldErrors = {};
  for (const field of body?.error?.fields ?? []) {
    const path = normaliseFieldPath(field.path);
    // keep the first message per field: it is the one the user should fix first
    if (!(path in fields)) fields[path] = field.message;
  }
  const message = response.status === 403 ? forbiddenMessage(body) : (body?.error?.message ?? `The server answered ${response.status} ${response.statusText}`.trim());
  return new ApiError(message, response.status, body?.error?.code ?? `http_${response.status}`, fields);
}

/**
 * Every refusal in plain words: what the user may not do and whom to ask — never a permission key.
 * A refusal for another reason (not your line, a built-in profile) keeps the server's sentence.
 */
function forbiddenMessage(body: ErrorBody | undefined): string {
  const permission = body?.error?.permission;
  if (permission !== undefined) return refusalMessage(isPermission(permission) ? permission : null);
  return body?.error?.message ?? refusalMessage(null);
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

async function send(method: Method, path: string, body?: unknown): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (cause) {
    throw new ApiError(`Cannot reach the qmfg server (${(cause as Error).message}). Check the network and try again.`, 0, 'network');
  }
  if (!response.ok) throw await errorFrom(response);
  return response;
}

/** A request whose answer is checked against `schema` and typed by it. */
export async function requestJson<S extends z.ZodType>(method: Method, path: string, schema: S, body?: unknown): Promise<z.infer<S>> {
  const response = await send(method, path, body);
  const json: unknown = await response.json();
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError(
      `The server's answer to ${method} ${path} did not have the expected shape (${issue.path.join('.') || 'value'}: ${issue.message}). Reload the page; if it persists the app and server versions differ.`,
      response.status,
      'bad_response',
    );
  }
  return parsed.data;
}

/** A request without a body in the answer (204). */
export async function requestVoid(method: Method, path: string, body?: unknown): Promise<void> {
  await send(method, path, body);
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
