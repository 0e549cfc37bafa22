// Finds the workflow YAML this repository shows its users (examples/, .github/workflows/, ```yaml blocks of
// the top-level Markdown files and of docs/) and checks it for what makes a workflow unsafe to copy: an expression
// expanded into a script, where a crafted value (a branch name, an input, an output) becomes shell code.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';

export const ROOT = join(import.meta.dirname, '../..');

/** One piece of workflow YAML: a file, or a fenced block of a Markdown file (`firstLine` is its first line). */
export interface YamlSource {
  file: string;
  text: string;
  firstLine: number;
  /** A whole workflow file, which must have `on:`, `jobs:` and `permissions:`. */
  complete: boolean;
}

const EXPRESSION = /\$\{\{[\s\S]*?\}\}/;

function yamlFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(join(ROOT, dir));
  } catch {
    return [];
  }
  return names.filter((n) => /\.ya?ml$/.test(n)).map((n) => `${dir}/${n}`);
}

/** The ```yaml / ```yml blocks of a Markdown text, each with the line its YAML starts on. */
export function yamlBlocks(file: string, markdown: string): YamlSource[] {
  const blocks: YamlSource[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*ya?ml\b/.exec(lines[i] ?? '');
    if (!open) continue;
    const fence = open[2] as string;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !(lines[j] ?? '').trim().startsWith(fence); j++) body.push(lines[j] ?? '');
    blocks.push({ file, text: body.join('\n'), firstLine: i + 2, complete: false });
    i = j;
  }
  return blocks;
}

function markdownFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(join(ROOT, dir));
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.md'))
    .sort()
    .map((n) => (dir ? `${dir}/${n}` : n));
}

/** Every workflow file and every YAML block of the top-level Markdown files and of docs/. */
export function workflowSources(): YamlSource[] {
  const files = [...yamlFiles('examples'), ...yamlFiles('.github/workflows')].map((file) => ({
    file,
    text: readFileSync(join(ROOT, file), 'utf8'),
    firstLine: 1,
    complete: true,
  }));
  const markdown = [...markdownFiles(''), ...markdownFiles('docs')].flatMap((file) =>
    yamlBlocks(file, readFileSync(join(ROOT, file), 'utf8')),
  );
  return [...files, ...markdown];
}

type Path = (string | number)[];

function keyOf(pairKey: unknown): string {
  return isScalar(pairKey) ? String(pairKey.value) : String(pairKey);
}

/** Calls `visit` for every mapping in the tree, with the keys and indexes that lead to it. */
function eachMap(node: unknown, path: Path, visit: (map: Node, path: Path) => void): void {
  if (isMap(node)) {
    visit(node, path);
    for (const pair of node.items) eachMap(pair.value, [...path, keyOf(pair.key)], visit);
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      eachMap(item, [...path, i], visit);
    });
  }
}

function scalarText(map: Node, key: string): string | undefined {
  if (!isMap(map)) return undefined;
  const value = map.get(key, true);
  return isScalar(value) && typeof value.value === 'string' ? value.value : undefined;
}

/** "job 'deploy', step 3 'Deploy'" from where a step mapping sits. */
function describeStep(map: Node, path: Path): string {
  const jobsAt = path.indexOf('jobs');
  const job =
    jobsAt >= 0 && path[jobsAt + 1] !== undefined ? `job '${path[jobsAt + 1]}'` : 'a steps fragment';
  const index = [...path].reverse().find((p) => typeof p === 'number');
  const label = scalarText(map, 'name') ?? scalarText(map, 'id');
  const step = `step ${typeof index === 'number' ? index + 1 : '?'}${label ? ` '${label}'` : ''}`;
  return `${job}, ${step}`;
}

/** What is wrong with one source, one line per problem; [] when it is safe to copy. */
export function problemsIn(source: YamlSource): string[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source.text, { lineCounter });
  const at = (offset: number) => `${source.file}:${source.firstLine + lineCounter.linePos(offset).line - 1}`;
  if (doc.errors.length > 0)
    return doc.errors.map((e) => `${at(e.pos[0])}: not valid YAML: ${e.message.split('\n')[0]}`);
  const problems: string[] = [];
  eachMap(doc.contents, [], (map, path) => {
    if (!isMap(map)) return;
    const scripts: [string, Node | undefined][] = [['run', map.get('run', true) as Node | undefined]];
    // actions/github-script's `script` is code too.
    if (/^actions\/github-script@/.test(scalarText(map, 'uses') ?? '')) {
      const withMap = map.get('with', true);
      if (isMap(withMap)) scripts.push(['with.script', withMap.get('script', true) as Node | undefined]);
    }
    for (const [key, node] of scripts) {
      if (!isScalar(node) || typeof node.value !== 'string') continue;
      const expression = EXPRESSION.exec(node.value);
      if (!expression) continue;
      problems.push(
        `${at(node.range?.[0] ?? 0)}: ${describeStep(map, path)}: ${key} expands ${expression[0]} into the script; pass it through env: and use the variable`,
      );
    }
  });
  problems.push(...permissionProblems(source, doc.contents));
  return problems;
}

/** A workflow (or a jobs: block) sets permissions: for the whole workflow, or for every job. */
function permissionProblems(source: YamlSource, root: unknown): string[] {
  const where = `${source.file}:${source.firstLine}`;
  if (!isMap(root)) return source.complete ? [`${where}: not a workflow (no top-level mapping)`] : [];
  const jobs = root.get('jobs', true);
  if (source.complete && (!root.has('on') || !isMap(jobs)))
    return [`${where}: a workflow file without on: and jobs:`];
  if (!isMap(jobs) || root.has('permissions')) return [];
  return jobs.items
    .filter((pair) => !(isMap(pair.value) && pair.value.has('permissions')))
    .map(
      (pair) =>
        `${where}: job '${keyOf(pair.key)}' runs with the default token permissions: set permissions: for the workflow or the job`,
    );
}
