// Default snapshot name and description, from the GitHub context of the run.

/** `<prefix><short sha>-<run id>-<attempt>`: unique per run attempt, so a re-run never clashes. */
export async function defaultName(prefix: string): Promise<string> {
  const { context } = await import('@actions/github');
  if (!context.sha || !context.runId) return `${prefix}local-${Date.now()}`;
  return `${prefix}${context.sha.slice(0, 7)}-${context.runId}-${context.runAttempt || 1}`;
}

export async function defaultDescription(): Promise<string> {
  const { context } = await import('@actions/github');
  if (!context.sha || !context.runId) return 'Pre-deploy snapshot taken outside GitHub Actions';
  const repository = process.env.GITHUB_REPOSITORY ?? '';
  const ref = context.ref.replace(/^refs\/(heads|tags)\//, '');
  const run = `${context.serverUrl}/${repository}/actions/runs/${context.runId}/attempts/${context.runAttempt || 1}`;
  return `Pre-deploy snapshot of ${repository}@${ref} (${context.sha.slice(0, 7)}), workflow '${context.workflow}' run ${run}`;
}
