// What a run may do to the runner and the summary when the provider's text is hostile: only the action's
// own commands are obeyed, and every table of the summary keeps its shape.
import { expect } from 'vitest';
import type { ActionRun } from '../../scripts/run-action.ts';
import { TOKEN } from './fixture.ts';

/** The commands the action itself writes (through @actions/core); nothing else may be obeyed. */
const OWN_COMMANDS = new Set(['add-mask', 'debug', 'group', 'endgroup', 'error', 'warning', 'notice']);

/** Every obeyed command is the action's own: no output, state, stop, env or path from stdout, no foreign mask. */
export function expectOnlyOwnCommands(run: ActionRun): void {
  const foreign = run.commands.filter((c) => !OWN_COMMANDS.has(c.name.toLowerCase()) || c.form !== 'v2');
  expect(foreign.map((c) => c.line)).toEqual([]);
  expect(run.masks.filter((m) => m !== TOKEN)).toEqual([]);
  expect(run.runner.stops).toEqual([]);
  expect(run.runner.failed).toBe(false);
  // The catalogue's own annotations (`::error title=x::owned`, `::warning::owned`) never became one.
  for (const a of run.annotations) {
    expect(a.source).toBe('command');
    expect(a.title).not.toBe('x');
    expect(a.message).not.toMatch(/^owned/);
  }
  // Each line the runner printed came whole from one line the action wrote: nothing ends a line early.
  for (const line of run.log)
    expect(line).not.toMatch(/^\s*::(set-output|save-state|add-mask|stop-commands)/);
}

interface Table {
  header: string[];
  rows: string[][];
}

/** The cells of a row, split where GitHub splits them: at each `|` without a backslash before it. */
function cells(row: string): string[] {
  return row.split(/(?<!\\)\|/).slice(1, -1);
}

/** Every markdown table of the summary. */
export function summaryTables(summary: string): Table[] {
  const lines = summary.split('\n');
  const tables: Table[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\| --- \|/.test(lines[i + 1] ?? '')) continue;
    const header = cells(lines[i] ?? '');
    const rows: string[][] = [];
    let j = i + 2;
    for (; lines[j]?.startsWith('|'); j++) rows.push(cells(lines[j] ?? ''));
    tables.push({ header, rows });
    i = j;
  }
  return tables;
}

/** Each table keeps its column count in every row, and has `rowCounts[i]` rows; no raw HTML anywhere. */
export function expectSummaryShape(run: ActionRun, rowCounts: number[]): void {
  const tables = summaryTables(run.summary);
  expect(tables.map((t) => t.rows.length)).toEqual(rowCounts);
  for (const t of tables) for (const row of t.rows) expect(row).toHaveLength(t.header.length);
  expect(run.summary).not.toMatch(/<(img|script|table|!--)/i);
}
