// Failing the step: every failure the action explains has a kind, and its title comes from the kind (and, for
// work, from the record's counts). Pure: the step runner prints the annotations, tests read them.
import { ApiError, errorMessage } from '../api/errors.ts';
import { SettingsError } from '../settings/index.ts';
import type { Operation } from '../settings/types.ts';
import { failuresOf, failureTitle } from './outcome.ts';
import type { Failure, RunRecord } from './record.ts';

const REFUSED = {
  'not-found': (op: string) => `Cannot ${op}: snapshot not found`,
  'other-server': (op: string) => `Cannot ${op}: snapshot of another server`,
  'ambiguous-name': (op: string) => `Cannot ${op}: the name is ambiguous`,
  'named-twice': (op: string) => `Cannot ${op}: a server named twice`,
  'server-busy': (op: string) => `Cannot ${op}: server busy`,
  'not-completed': (op: string) => `Cannot ${op}: snapshot not completed`,
  'name-in-use': () => 'Snapshot name already in use',
  'limit-reached': () => 'Snapshot limit reached',
};

/** Why the step would not act on what the inputs name; nothing was changed. */
export type Refusal = keyof typeof REFUSED;
/** Every way the step fails that it explains: work that did not end as asked, a refusal, a rollback. */
export type FailureKind = Failure | Refusal | 'rollback';

/** One thing that stops the step before any change: its kind, and the sentence that says what to do. */
export interface Problem {
  kind: Refusal;
  message: string;
}

/** A failure the action explains: its kind, the annotations' title, one line (one annotation) per problem. */
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
  const kinds = new Set(problems.map((p) => p.kind));
  const [kind = 'not-found'] = kinds;
  const title =
    kinds.size > 1 ? `Cannot ${operation}: ${problems.length} problems` : REFUSED[kind](operation);
  const lines = problems.map((p) => p.message);
  return new ActionError(kind, title, lines);
}

export function rollbackFailure(message: string): ActionError {
  return new ActionError('rollback', 'Rollback failed', message);
}

/** The error for work that did not end as asked (a row failed, timed out or has an unknown outcome), if any. */
export function workFailure(record: RunRecord): ActionError | undefined {
  const failures = failuresOf(record);
  if (!failures[0]) return undefined;
  const lines = record.rows.flatMap((r) => (failures.some((f) => f.kind === r.state) ? [r.error ?? ''] : []));
  return new ActionError(failures[0].kind, failureTitle(record), lines);
}

/** One annotation per failure (one per problem for bad inputs); `context` names what was being done. */
export function annotationsFor(error: unknown, context: string): { title: string; message: string }[] {
  const each = (title: string, lines: readonly string[]) => lines.map((message) => ({ title, message }));
  if (error instanceof SettingsError) return each('Invalid input', error.problems);
  if (error instanceof ActionError) return each(error.title, error.problems);
  if (error instanceof ApiError) return each(`${context}: VPS API error`, [`${context}: ${error.message}`]);
  return each(`${context}: unexpected error`, [errorMessage(error)]);
}
