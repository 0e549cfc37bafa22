// Failing the step: which annotation(s) a failure makes, with a title that says what failed. Pure, so the
// step runner prints them and tests read them.
import { ApiError, errorMessage } from '../api/errors.ts';
import { SettingsError } from '../settings/index.ts';
import type { RunRecord } from './record.ts';

/** A failure the action explains itself: `title` heads the annotation, the message says what to do next. */
export class ActionError extends Error {
  readonly title: string;
  /** One line per failure (a fleet's servers each have their own): one annotation each. */
  readonly problems: readonly string[];
  /** What was done before the failure, for the job summary. */
  readonly record: RunRecord | undefined;

  constructor(title: string, problems: string | readonly string[], record?: RunRecord) {
    const lines = typeof problems === 'string' ? [problems] : problems;
    super(lines.join(' '));
    this.name = 'ActionError';
    this.title = title;
    this.problems = lines;
    this.record = record;
  }
}

export interface Annotation {
  title: string;
  message: string;
}

/** One annotation per failure (one per problem for bad inputs); `context` names what was being done. */
export function annotationsFor(error: unknown, context: string): Annotation[] {
  if (error instanceof SettingsError)
    return error.problems.map((message) => ({ title: 'Invalid input', message }));
  if (error instanceof ActionError) return error.problems.map((message) => ({ title: error.title, message }));
  if (error instanceof ApiError)
    return [{ title: `${context}: VPS API error`, message: `${context}: ${error.message}` }];
  return [{ title: `${context}: unexpected error`, message: errorMessage(error) }];
}
