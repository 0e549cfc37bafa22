// The size of src/: no file over FILE_LIMIT lines, no function (declaration, method, arrow, expression) over
// FUNCTION_LIMIT, and the whole tree against BUDGET: logged, and enforced with SRC_BUDGET_STRICT=1.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../src', import.meta.url));
const FILE_LIMIT = 250;
const FUNCTION_LIMIT = 60;
const BUDGET = 2_600;
/** Over a limit on main when this test came in, in folders being rewritten; to be emptied after the merge. */
const KNOWN_OVER: readonly string[] = [];

function sourceFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = `${prefix}${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(`${dir}/${entry.name}`, `${path}/`);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function lineCount(text: string): number {
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** Every function in a file, as `file#name` (or `file#<anonymous>:line`), with its length in lines. */
function functionsOf(file: string, text: string): { name: string; lines: number }[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line + 1;
  const found: { name: string; lines: number }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = lineOf(node.getStart(source));
      const named = node.name ?? (ts.isVariableDeclaration(node.parent) ? node.parent.name : undefined);
      const name =
        named && !ts.isComputedPropertyName(named) ? named.getText(source) : `<anonymous>:${start}`;
      found.push({ name: `${file}#${name}`, lines: lineOf(node.getEnd()) - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const files = sourceFiles(ROOT).map((file) => ({ file, text: readFileSync(`${ROOT}/${file}`, 'utf8') }));

describe('the size of src/', () => {
  it(`has no file over ${FILE_LIMIT} lines`, () => {
    const over = files.filter((f) => lineCount(f.text) > FILE_LIMIT && !KNOWN_OVER.includes(f.file));
    expect(over.map((f) => `${f.file}: ${lineCount(f.text)} lines`)).toEqual([]);
  });

  it(`has no function over ${FUNCTION_LIMIT} lines`, () => {
    const over = files
      .flatMap((f) => functionsOf(f.file, f.text))
      .filter((fn) => fn.lines > FUNCTION_LIMIT && !KNOWN_OVER.includes(fn.name));
    expect(over.map((fn) => `${fn.name}: ${fn.lines} lines`)).toEqual([]);
  });

  it('finds the functions it measures', () => {
    const names = functionsOf(
      'x.ts',
      'function a() {}\nconst b = () => {\n  return 1;\n};\nclass C { m() {} }\n',
    );
    expect(names).toEqual([
      { name: 'x.ts#a', lines: 1 },
      { name: 'x.ts#b', lines: 3 },
      { name: 'x.ts#m', lines: 1 },
    ]);
  });

  it(`counts the lines of src/ against the budget of ${BUDGET}`, () => {
    const total = files.reduce((sum, f) => sum + lineCount(f.text), 0);
    console.log(`src/: ${total} lines in ${files.length} files (budget ${BUDGET})`);
    if (process.env.SRC_BUDGET_STRICT === '1') expect(total).toBeLessThanOrEqual(BUDGET);
    else expect(total).toBeGreaterThan(0);
  });
});
