// Shared by the e2e scenarios of the action (create, restore, delete-list, inputs, post-step, pipelines*):
// seed data, the default name's shape, and readers for what a run wrote.

import type { ActionRun } from '../../scripts/run-action.ts';
import { DEFAULT_CONTEXT, type GitHubContext } from '../../scripts/run-action.ts';
import { type Fixture, TOKEN } from './fixture.ts';

/**
 * The default name of a create step: `<prefix><sha7>-<run id>-<attempt>-<job>-<6 random hex>`, so two
 * steps, jobs, matrix legs or re-runs never collide. The runner stand-in's job is `deploy`.
 */
export function defaultNamePattern(
  options: { prefix?: string; context?: Partial<GitHubContext>; job?: string } = {},
): RegExp {
  const context = { ...DEFAULT_CONTEXT, ...options.context };
  const prefix = options.prefix ?? 'pre-deploy-';
  const job = options.job ?? 'deploy';
  return new RegExp(
    `^${prefix}${context.sha.slice(0, 7)}-${context.runId}-${context.runAttempt}-${job}-[0-9a-f]{6}$`,
  );
}

export const DEFAULT_NAME = defaultNamePattern();

/** Completed snapshots 500, 501, ... on a server, a day apart from `startMs`. */
export function fillServer(
  f: Fixture,
  serverId: number,
  names: string[],
  startMs = Date.parse('2025-02-01T00:00:00Z'),
): void {
  names.forEach((name, i) => {
    f.model.addSnapshot({
      id: 500 + i,
      serverId,
      name,
      description: '',
      createdAt: startMs + i * 86_400_000,
      readyAt: startMs + i * 86_400_000,
      sizeMb: 1000,
    });
  });
}

/** A snapshot that stays in progress for an hour. */
export function addRunningSnapshot(f: Fixture, id: number, name: string, serverId = 12345): void {
  f.model.addSnapshot({
    id,
    serverId,
    name,
    description: '',
    createdAt: Date.now(),
    readyAt: Date.now() + 3_600_000,
    sizeMb: 1,
  });
}

/** The server's status as the provider reports it now: `stopped` once a restore has finished. */
export function serverStatus(f: Fixture, serverId: number): string | undefined {
  const server = f.model.accounts.get(TOKEN)?.servers.get(serverId);
  return server && f.model.serverStatus(server);
}

export interface Result {
  server_id: number;
  snapshot_id: number | null;
  name: string;
  status: string;
  error: string | null;
}

/** The `results` output, parsed; fails the test when it is missing. */
export function results(run: ActionRun): Result[] {
  if (run.outputs.results === undefined) throw new Error(`no results output:\n${run.stdout}`);
  return JSON.parse(run.outputs.results) as Result[];
}

/** Titles of `::group::` blocks with no line in them: a fold the user opens to find nothing. */
export function emptyGroups(run: ActionRun): string[] {
  const lines = run.stdout.split('\n');
  return lines.flatMap((line, i) =>
    line.startsWith('::group::') && lines[i + 1]?.startsWith('::endgroup::')
      ? [line.slice('::group::'.length)]
      : [],
  );
}

/** The summary's first line, e.g. `## VPS Snapshot: ✅ completed`. */
export function heading(run: ActionRun): string {
  return run.summary.split('\n')[0] ?? '';
}

/** The summary's list under a bold heading (`**Deleted**`), up to the next blank line after it. */
export function summarySection(run: ActionRun, title: string): string[] {
  const lines = run.summary.split('\n');
  const start = lines.findIndex((line) => line.startsWith(title));
  if (start < 0) return [];
  const items: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('- ')) items.push(line);
    else if (items.length > 0) break;
  }
  return items;
}

/** Resolves once `condition` holds, checking every 20 ms; rejects after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 20));
  }
}
