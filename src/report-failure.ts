// The one top-level catch: one titled ::error per failure, exit code 1, no stack unless debugging.
import * as core from '@actions/core';
import { ApiError, errorMessage } from './api/errors.ts';
import { ActionError } from './failure.ts';
import { SettingsError } from './settings.ts';

export function reportFailure(error: unknown, context: string): string {
  process.exitCode = 1;
  if (error instanceof SettingsError) {
    for (const problem of error.problems) core.error(problem, { title: 'Invalid input' });
    return error.message;
  }
  if (error instanceof Error && error.stack) core.debug(error.stack);
  const title =
    error instanceof ActionError
      ? error.title
      : error instanceof ApiError
        ? `${context}: VPS API error`
        : `${context}: unexpected error`;
  const message = error instanceof ApiError ? `${context}: ${error.message}` : errorMessage(error);
  core.error(message, { title });
  return message;
}
