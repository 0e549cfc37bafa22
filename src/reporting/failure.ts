// Failing the step: every failure the action explains has a kind, and its annotation's title comes from the
// kind (and, for work on a fleet, the record's counts). Pure, so the step runner prints them and tests read them.
import { ApiError, errorMessage } from '../api/errors.ts';
import { SettingsError } from '../settings/index.ts';
import type { Operation } from '../settings/types.ts';
import { failuresOf, failureTitle } from './outcome.ts';
import type { Failure, RunRecord } from './record.ts';

/** Why the step would not act on what the inputs name; nothing was changed. */
export type Refusal =
  | 'not-found'
  | 'other-server'
  | 'ambiguous-name'
  | 'named-twice'
  | 'server-busy'
  | 'not-completed'
  | 'name-in-use'
  | 'limit-reached';

/** Every way the step fails that it explains itself: work that did not end as asked, a refusal, a rollback. */
export type FailureKind = Failure | Refusal | 'rollback';

/** One thing that stops the step before any change: its kind, and the sentence that says what to do. */
export interface Problem {
  kind: Refusal;
  message: string;
}

const REFUSED: Record<Refusal, (operation: string) => string> = {
  'not-found': (op) => `Cannot ${op}: snapshot not found`,
  'other-server': (op) => `Cannot ${op}: snapshot of another server`,
  'ambiguous-name': (op) => `Cannot ${op}: the name is ambiguous`,
  'named-twice': (op) => `Cannot ${op}: a server named twice`,
  'server-busy': (op) => `Cannot ${op}: server busy`,
  'not-completed': (op) => `Cannot ${op}: snapshot not completed`,
  'name-in-use': () => 'Snapshot name already in use',
  'limit-reached': () => 'Snapshot limit reached',
};

/**
 * A failure the action explains itself: its kind, the annotation's title (from the kind, by the functions
 * below), and one line per problem (a fleet's servers each have their own), each saying what failed and
 * what to do next: one annotation each. The run record stays with the step.
 */
export class ActionError extends Error {
  readonly kind: FailureKind;
  readonly title: string;
  readonly problems: readonly string[];

  constructor(kind: FailureKind, title: string, problems: string | readonly string[]) {
    const lines = typeof problems === 'string' ? [problems] : problems;
    super(lines.join(' '));
    this.name = 'ActionError';
    this.kind = kind;
    this.title = title;
    this.problems = lines;
  }
}

/** The step refuses what the inputs name, with every problem at once. */
export function refusal(operation: Operation, problems: readonly Problem[]): ActionError {
  const kinds = [...new Set(problems.map((p) => p.kind))];
  const [kind] = kinds as [Refusal];
  const title =
    kinds.length === 1 ? REFUSED[kind](operation) : `Cannot ${operation}: ${problems.length} problems`;
  return new ActionError(
    kind,
    title,
    problems.map((p) => p.message),
  );
}

/** The post step's rollback did not complete. */
export function rollbackFailure(message: string): ActionError {
  return new ActionError('rollback', 'Rollback failed', message);
}

/** The error for work that did not end as asked (a row failed, timed out or has an unknown outcome), if any. */
export function workFailure(record: RunRecord): ActionError | undefined {
  const failures = failuresOf(record);
  const [first] = failures;
  if (!first) return undefined;
  const rows = record.rows.filter((r) => failures.some((f) => f.kind === r.state));
  return new ActionError(
    first.kind,
    failureTitle(record),
    rows.map((r) => r.error ?? ''),
  );
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
