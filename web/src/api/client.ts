// The one way the web app talks to its server. Every answer is checked against the shared zod schema
// of the endpoint, every error body is read with the one schema the server sends it by
// (src/core/errors.ts), and every failure becomes an ApiError the screens can show: a message for a
// banner or toast, and field errors keyed the way the forms name their fields ("routing.1.ratePerHour").
// JSON requests and file uploads (multipart, with upload progress where a screen shows it) alike.
import type { z } from 'zod';
import { errorBodySchema, type ErrorBody } from '../../../src/core/errors.js';
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

/** The app's error body in `body` (already parsed JSON), or null for anything else (a proxy's page, an empty 502). */
export function readErrorBody(body: unknown): ErrorBody | null {
  const parsed = errorBodySchema.safeParse(body);
  return parsed.success ? parsed.data : null;
}

/** The ApiError of an answer that is not 2xx: `body` is its parsed JSON, undefined when it had none. */
export function apiErrorOf(status: number, statusText: string, body: unknown): ApiError {
  const error = readErrorBody(body)?.error;
  const fields: FieldErrors = {};
  for (const field of error?.fields ?? []) {
    const path = normaliseFieldPath(field.path);
    // keep the first message per field: it is the one the user should fix first
    if (!(path in fields)) fields[path] = field.message;
  }
  const message = status === 403 ? forbiddenMessage(error) : (error?.message ?? `The server answered ${status} ${statusText}`.trim());
  return new ApiError(message, status, error?.code ?? `http_${status}`, fields);
}

/**
 * Every refusal in plain words: what the user may not do and whom to ask — never a permission key.
 * A refusal for another reason (not your line, a built-in profile) keeps the server's sentence.
 */
function forbiddenMessage(error: ErrorBody['error'] | undefined): string {
  if (error?.permission !== undefined) return refusalMessage(isPermission(error.permission) ? error.permission : null);
  return error?.message ?? refusalMessage(null);
}

/** The answer's body checked against `schema`, or the ApiError that says it had another shape. */
export function parseAnswer<S extends z.ZodType>(schema: S, json: unknown, what: string, status: number): z.output<S> {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ApiError(
    `The server's answer to ${what} did not have the expected shape (${issue.path.join('.') || 'value'}: ${issue.message}). Reload the page; if it persists the app and server versions differ.`,
    status,
    'bad_response',
  );
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Answer {
  status: number;
  statusText: string;
  /** the parsed JSON body; undefined when there was none or it was not JSON */
  body: unknown;
}

const unreachable = (detail?: string) =>
  new ApiError(`Cannot reach the qmfg server${detail ? ` (${detail})` : ''}. Check the network and try again.`, 0, 'network');

const parseJson = (text: string): unknown => {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** A JSON body is sent as JSON; FormData (a file upload) as multipart, its boundary set by the browser. */
async function viaFetch(method: Method, path: string, body: unknown): Promise<Answer> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: payload });
  } catch (cause) {
    throw unreachable((cause as Error).message);
  }
  return { status: response.status, statusText: response.statusText, body: parseJson(await response.text()) };
}

/** XMLHttpRequest, because fetch cannot report upload progress (the request guard adds the CSRF token to it too). */
function viaXhr(method: Method, path: string, body: FormData, onProgress: (fraction: number) => void): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open(method, path);
    request.setRequestHeader('accept', 'application/json');
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onerror = () => reject(unreachable());
    request.onload = () => resolve({ status: request.status, statusText: request.statusText, body: parseJson(request.responseText) });
    request.send(body);
  });
}

async function send(method: Method, path: string, body: unknown, onProgress?: (fraction: number) => void): Promise<Answer> {
  const answer = onProgress && body instanceof FormData ? await viaXhr(method, path, body, onProgress) : await viaFetch(method, path, body);
  if (answer.status < 200 || answer.status >= 300) throw apiErrorOf(answer.status, answer.statusText, answer.body);
  return answer;
}

/** A request whose answer is checked against `schema` and typed by it. */
export async function requestJson<S extends z.ZodType>(method: Method, path: string, schema: S, body?: unknown): Promise<z.output<S>> {
  const answer = await send(method, path, body);
  return parseAnswer(schema, answer.body, `${method} ${path}`, answer.status);
}

/** A request without a body in the answer (204). */
export async function requestVoid(method: Method, path: string, body?: unknown): Promise<void> {
  await send(method, path, body);
}

/**
 * Sends one file as multipart form data (field "file") and checks the answer against `schema`;
 * with `onProgress`, reports the fraction of bytes sent.
 */
export async function uploadFile<S extends z.ZodType>(path: string, file: File, schema: S, onProgress?: (fraction: number) => void): Promise<z.output<S>> {
  const form = new FormData();
  form.append('file', file, file.name);
  const answer = await send('POST', path, form, onProgress);
  return parseAnswer(schema, answer.body, `the upload of ${file.name}`, answer.status);
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
