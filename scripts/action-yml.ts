// action.yml as the runner and the docs read it.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

export const ROOT = resolve(import.meta.dirname, '..');

export interface ActionYml {
  using: string;
  main: string;
  post: string;
  postIf: string;
  inputs: Record<string, { default?: string; description: string }>;
  outputs: Record<string, string>;
}

export function readActionYml(): ActionYml {
  const doc = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
    runs: { using: string; main: string; post: string; 'post-if': string };
    inputs: Record<string, { default?: unknown; description: string }>;
    outputs: Record<string, { description: string }>;
  };
  return {
    using: doc.runs.using,
    main: doc.runs.main,
    post: doc.runs.post,
    postIf: doc.runs['post-if'],
    inputs: Object.fromEntries(
      Object.entries(doc.inputs).map(([name, input]) => [
        name,
        {
          description: input.description,
          ...(input.default !== undefined ? { default: String(input.default) } : {}),
        },
      ]),
    ),
    outputs: Object.fromEntries(
      Object.entries(doc.outputs).map(([name, output]) => [name, output.description]),
    ),
  };
}
