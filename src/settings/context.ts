// What every reader gets: the inputs, the environment, and a place to record problems.
import type { InputReader } from './types.ts';

export interface ReaderContext {
  read: InputReader;
  env: NodeJS.ProcessEnv;
  /** Records one problem: one line naming the input, the value and what would be accepted. */
  problem(line: string): void;
}

export function createContext(
  read: InputReader,
  env: NodeJS.ProcessEnv,
): ReaderContext & { problems: string[] } {
  const problems: string[] = [];
  return { read, env, problems, problem: (line) => problems.push(line) };
}

const SHOWN_MAX = 120;

/** Any text on one line: runs of white space, new lines included, become one space. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ');
}

/** A value as a problem line quotes it: on one line, and cut short when long. */
export function shown(text: string): string {
  const line = oneLine(text);
  return line.length > SHOWN_MAX ? `${line.slice(0, SHOWN_MAX - 3)}...` : line;
}

/** A numeric ID as inputs give it: digits only, positive, at most 15 of them. */
export function parseId(text: string): number | undefined {
  return /^\d{1,15}$/.test(text) && Number(text) > 0 ? Number(text) : undefined;
}

/** Splits a list of IDs on commas, spaces and new lines. */
export function splitList(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}
