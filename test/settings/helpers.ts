// Shared by the settings tests: inputs as a workflow gives them (trimmed), and the problems they make.
import { expect } from 'vitest';
import { parseSettings, SettingsError } from '../../src/settings/index.ts';

export type Inputs = Record<string, string>;

export const reader = (inputs: Inputs) => (name: string) => (inputs[name] ?? '').trim();

/** Parses with a token, so only the inputs under test can be wrong. */
export const parse = (inputs: Inputs, env: NodeJS.ProcessEnv = {}) =>
  parseSettings(reader({ api_token: 't', ...inputs }), env);

/** The problem lines of inputs that must be refused (no token added: pass api_token). */
export function problems(inputs: Inputs, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseSettings(reader(inputs), env);
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    const lines = (error as SettingsError).problems;
    for (const line of lines) expect(line).not.toContain('\n');
    return lines;
  }
  throw new Error('expected the inputs to be refused');
}

/** problems() with a token. */
export const refused = (inputs: Inputs, env: NodeJS.ProcessEnv = {}) =>
  problems({ api_token: 't', ...inputs }, env);
