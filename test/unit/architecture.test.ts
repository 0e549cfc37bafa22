// The import direction of src/, read from every file's imports (type-only ones too):
//   entrypoints -> step -> operations -> wait, api, reporting, settings -> ...; only step speaks to @actions/*.
// ARCHITECTURE_SRC=<dir> checks another tree (a copy of src/ with a forbidden import, to see this fail).
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = process.env.ARCHITECTURE_SRC ?? fileURLToPath(new URL('../../src', import.meta.url));

type Layer =
  | 'entrypoints'
  | 'step'
  | 'operations'
  | 'wait'
  | 'api'
  | 'reporting'
  | 'settings'
  | 'clock'
  | 'logger'
  | 'limits'
  | 'text';

interface Rule {
  /** What in src/ it may import: a folder ('api/') or a file ('reporting/format.ts'); '*' for anything. */
  src: string[];
  /** npm packages it may import ('*': any); Node's built-in modules are open to all. */
  packages: string[];
}

const RULES: Record<Layer, Rule> = {
  entrypoints: { src: ['step/'], packages: [] },
  step: { src: ['*'], packages: ['*'] },
  operations: {
    src: ['operations/', 'api/', 'wait/', 'reporting/', 'settings/', 'clock.ts', 'logger.ts', 'limits.ts'],
    packages: [],
  },
  wait: { src: ['wait/', 'api/', 'reporting/format.ts', 'clock.ts', 'logger.ts'], packages: [] },
  api: { src: ['api/', 'logger.ts', 'reporting/format.ts'], packages: ['undici'] },
  reporting: {
    src: ['reporting/', 'api/schema.ts', 'api/errors.ts', 'api/types.ts', 'settings/', 'text.ts'],
    packages: [],
  },
  settings: { src: ['settings/', 'api/url.ts'], packages: [] },
  clock: { src: [], packages: [] },
  logger: { src: [], packages: [] },
  limits: { src: [], packages: [] },
  text: { src: [], packages: [] },
};

/** The layer of a file, by its path under src/ ('api/client.ts'); undefined for a file outside every layer. */
function layerOf(file: string): Layer | undefined {
  const [top = '', rest] = file.split('/');
  if (rest !== undefined) return top in RULES && !top.endsWith('.ts') ? (top as Layer) : undefined;
  const leaf = top.replace(/\.ts$/, '');
  return ['clock', 'logger', 'limits', 'text'].includes(leaf) ? (leaf as Layer) : undefined;
}

function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** Why `file` may not import `specifier`, or undefined when it may. */
function violation(file: string, specifier: string): string | undefined {
  const layer = layerOf(file);
  if (!layer) return `${file} belongs to no layer: add it to the rules in this test`;
  const rule = RULES[layer];
  if (!specifier.startsWith('.')) {
    if (specifier.startsWith('node:') || builtinModules.includes(specifier)) return undefined;
    const name = packageOf(specifier);
    if (name.startsWith('@actions/') && file !== 'step/actions.ts')
      return `${file} imports ${specifier}: only src/step/actions.ts speaks to the runner (@actions/*)`;
    if (rule.packages.includes('*') || rule.packages.includes(name)) return undefined;
    return `${file} (${layer}) imports the package ${specifier}`;
  }
  const target = posix.normalize(posix.join(posix.dirname(file), specifier));
  if (target.startsWith('../')) return `${file} imports ${specifier}, outside src/`;
  if (rule.src.includes('*')) return undefined;
  const allowed = rule.src.some((a) => (a.endsWith('/') ? target.startsWith(a) : target === a));
  return allowed ? undefined : `${file} (${layer}) imports ${target}`;
}

function sourceFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = `${prefix}${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(`${dir}/${entry.name}`, `${path}/`);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module a file imports or re-exports, statically or dynamically. */
function importsOf(path: string): string[] {
  return ts.preProcessFile(readFileSync(path, 'utf8'), true, true).importedFiles.map((f) => f.fileName);
}

describe('the import direction of src/', () => {
  const files = sourceFiles(ROOT);

  it('reads the whole tree', () => {
    expect(files.length).toBeGreaterThan(40);
    expect(files).toContain('step/runner.ts');
    expect(importsOf(`${ROOT}/step/actions.ts`)).toContain('@actions/core');
  });

  it('holds for every import of every file', () => {
    const problems = files.flatMap((file) =>
      importsOf(`${ROOT}/${file}`).flatMap((specifier) => violation(file, specifier) ?? []),
    );
    expect(problems).toEqual([]);
  });
});

describe('the rules themselves', () => {
  it.each([
    ['entrypoints/main.ts', '../operations/list.ts'],
    ['operations/list.ts', '../step/actions.ts'],
    ['operations/create/index.ts', '@actions/core'],
    ['operations/list.ts', '@actions/github'],
    ['wait/poll.ts', '../reporting/summary.ts'],
    ['wait/poll.ts', '../operations/context.ts'],
    ['api/client.ts', '../settings/index.ts'],
    ['api/client.ts', '../wait/poll.ts'],
    ['api/transport.ts', 'node-fetch'],
    ['api/client.ts', '@actions/core'],
    ['api/proxy.ts', '@actions/http-client'],
    ['step/runner.ts', '@actions/core'],
    ['text.ts', './logger.ts'],
    ['reporting/summary.ts', '../api/client.ts'],
    ['reporting/outcome.ts', '../operations/context.ts'],
    ['settings/common.ts', '../api/client.ts'],
    ['settings/common.ts', '../reporting/record.ts'],
    ['clock.ts', './logger.ts'],
    ['api/client.ts', '../../emulator/index.ts'],
  ])('refuses %s importing %s', (file, specifier) => {
    expect(violation(file, specifier)).toBeDefined();
  });

  it.each([
    ['entrypoints/main.ts', '../step/main.ts'],
    ['step/actions.ts', '@actions/core'],
    ['step/actions.ts', '../text.ts'],
    ['reporting/summary.ts', '../text.ts'],
    ['step/runner.ts', '../operations/context.ts'],
    ['operations/create/naming.ts', 'node:crypto'],
    ['operations/create/plan.ts', '../../settings/types.ts'],
    ['wait/poll.ts', '../reporting/format.ts'],
    ['api/proxy.ts', 'undici'],
    ['reporting/failure.ts', '../api/errors.ts'],
    ['settings/common.ts', '../api/url.ts'],
  ])('allows %s importing %s', (file, specifier) => {
    expect(violation(file, specifier)).toBeUndefined();
  });

  it('refuses a file outside every layer', () => {
    expect(violation('helpers.ts', './logger.ts')).toMatch(/belongs to no layer/);
  });
});
