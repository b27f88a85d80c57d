// The application's error catalogue. Services throw these; src/server/error-handler.ts maps them to
// HTTP statuses in one place. Messages are written for the person who has to act on them.
import { z } from 'zod';

export interface FieldError {
  /** where: e.g. "body.quantity", "query.from", "routing[1].ratePerHour" */
  path: string;
  message: string;
}

export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
}

export class NotFound extends AppError {
  readonly status = 404;
  readonly code = 'not_found';
  constructor(entity: string, key: string) {
    super(`${entity} '${key}' not found`);
  }
}

export class Conflict extends AppError {
  readonly status = 409;
  readonly code: string = 'conflict';
  constructor(
    message: string,
    /** what is in the way, one line each (e.g. the unreviewed items of a release), when there is a list */
    readonly fields: FieldError[] = [],
  ) {
    super(message);
  }
}

/** Optimistic concurrency: somebody else changed the record since the client read it. */
export class StaleVersion extends Conflict {
  override readonly code = 'stale_version';
  constructor(entity: string, key: string, expected: number, current: number) {
    super(`${entity} '${key}' was changed by someone else (you edited version ${expected}, it is now at version ${current}); reload and try again`);
  }
}

export class Invalid extends AppError {
  readonly status = 400;
  readonly code = 'invalid';
  constructor(
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
  }
  static field(path: string, message: string): Invalid {
    return new Invalid(`${path}: ${message}`, [{ path, message }]);
  }
}

export class Unauthorized extends AppError {
  readonly status = 401;
  readonly code = 'unauthorized';
}

export class Forbidden extends AppError {
  readonly status = 403;
  readonly code = 'forbidden';
  constructor(
    message: string,
    /** the permission the request lacked, when that was the reason (the web app words it) */
    readonly permission: string | null = null,
  ) {
    super(message);
  }
}

/** A request or file over a configured size limit (413): the message names what and the limit. */
export class TooLarge extends AppError {
  readonly status = 413;
  readonly code = 'too_large';
}

/** This instance cannot do it now (503), e.g. it is shutting down; another instance, or a retry, can. */
export class Unavailable extends AppError {
  readonly status = 503;
  readonly code = 'unavailable';
  /** sent as Retry-After */
  readonly retryAfterSeconds = 1;
}

/**
 * The body of every error answer, `{error: {code, message, fields?, permission?}}`: the server
 * (src/server/error-handler.ts) sends it and the web app reads it with this one schema.
 */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    /** the permission the request lacked, on a 403 for that reason */
    permission: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
