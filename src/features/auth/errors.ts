// Errors of signing in and signing, beside the application's catalogue (src/core/errors.ts); the
// error handler maps every AppError by its status and code.
import { AppError } from '../../core/errors.js';

/** Too many wrong passwords: the account waits until `until` (or an administrator unlocks it). */
export class AccountLocked extends AppError {
  readonly status = 423;
  readonly code = 'account_locked';
}

/** The password typed for an electronic signature was wrong (or the signer may not sign). */
export class SignatureRejected extends AppError {
  readonly status = 403;
  readonly code = 'signature_rejected';
}

/** A changing request without the session's CSRF token, or from another site. */
export class CsrfRejected extends AppError {
  readonly status = 403;
  readonly code = 'csrf';
}

/** The user must choose a new password before doing anything else. */
export class PasswordChangeRequired extends AppError {
  readonly status = 403;
  readonly code = 'password_change_required';
}
