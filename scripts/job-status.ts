// The job's status as the runner evaluates it for a step: `post-if` conditions made of the status functions
// (always(), success(), failure(), cancelled(), with !, && and || and parentheses), and input defaults that
// read `${{ job.status }}`, which the runner evaluates again for each stage (actions/runner,
// src/Runner.Worker/ActionRunner.cs: EvaluateStepInputs; the functions in src/Runner.Worker/Expressions/).

export type JobStatus = 'success' | 'failure' | 'cancelled';

const FUNCTIONS: Record<string, (status: JobStatus) => boolean> = {
  'always()': () => true,
  'success()': (s) => s === 'success',
  'failure()': (s) => s === 'failure',
  'cancelled()': (s) => s === 'cancelled',
};

/** An input's default as the runner passes it: `${{ job.status }}` evaluated for this stage. */
export function evaluateDefault(value: string, status: JobStatus): string {
  return value.replace(/\$\{\{\s*job\.status\s*\}\}/g, status);
}

/** Whether a condition of status functions holds; throws on anything else, so a test never guesses. */
export function evaluateCondition(expression: string, status: JobStatus): boolean {
  const tokens = expression.replace(/^\s*\$\{\{|\}\}\s*$/g, '').match(/\w+\(\)|&&|\|\||!|\(|\)|\S+/g) ?? [];
  let at = 0;
  const next = (): string | undefined => tokens[at];
  const or = (): boolean => {
    let value = and();
    while (next() === '||') {
      at += 1;
      value = and() || value;
    }
    return value;
  };
  const and = (): boolean => {
    let value = not();
    while (next() === '&&') {
      at += 1;
      value = not() && value;
    }
    return value;
  };
  const not = (): boolean => {
    const token = tokens[at++];
    if (token === '!') return !not();
    if (token === '(') {
      const value = or();
      if (tokens[at++] !== ')') throw new Error(`unbalanced parentheses in '${expression}'`);
      return value;
    }
    const fn = token === undefined ? undefined : FUNCTIONS[token];
    if (!fn) throw new Error(`'${token}' in '${expression}' is not a status function this stand-in knows`);
    return fn(status);
  };
  const value = or();
  if (at !== tokens.length) throw new Error(`'${expression}' does not end where expected`);
  return value;
}
