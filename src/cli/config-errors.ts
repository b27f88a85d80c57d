import { ConfigError } from '../config.js';
import { CliError } from './errors.js';

/** Turns a bad setting (DATABASE_URL, QMFG_TZ …) into a one-line CLI error with exit code 1. */
export async function withConfigErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message);
    throw error;
  }
}
