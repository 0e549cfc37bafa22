// Default snapshot name and description, from the workflow run. A default name is unique per step run:
// two steps, two jobs, matrix legs and re-runs each get their own.
import { randomBytes } from 'node:crypto';
import type { RunInfo } from '../context.ts';

/** `<prefix><short sha>-<run id>-<attempt>-<job>-<6 random hex>`, within the provider's 100 characters. */
export function defaultName(prefix: string, run: RunInfo, random: () => string = randomTag): string {
  const tag = random();
  if (!run.sha || !run.runId) return `${prefix}local-${tag}`;
  const job = run.job.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 24);
  const name = `${prefix}${run.sha.slice(0, 7)}-${run.runId}-${run.runAttempt || 1}${job ? `-${job}` : ''}-${tag}`;
  // Without the job the name is at most 40 + 36 characters (prune_prefix is at most 40).
  return name.length <= 100 ? name : `${prefix}${run.sha.slice(0, 7)}-${run.runId.slice(0, 20)}-${tag}`;
}

function randomTag(): string {
  return randomBytes(3).toString('hex');
}

export function defaultDescription(run: RunInfo): string {
  if (!run.sha || !run.runId) return 'Pre-deploy snapshot taken outside GitHub Actions';
  const ref = run.ref.replace(/^refs\/(heads|tags)\//, '');
  const url = `${run.serverUrl}/${run.repository}/actions/runs/${run.runId}/attempts/${run.runAttempt || 1}`;
  return `Pre-deploy snapshot of ${run.repository}@${ref} (${run.sha.slice(0, 7)}), workflow '${run.workflow}' run ${url}`;
}
