// What must hold after every round of the soak, whatever the faults: checked against the model's ledger
// (what really happened) and the request log (what the action asked), not only exit codes.
import type { LoggedRequest } from '../../emulator/index.ts';
import type { ActionRun } from '../../scripts/run-action.ts';
import { type DeletedSnapshot, type MadeSnapshot, olderThan, type StartedRestore } from './chaos-ledger.ts';
import { PREFIX, type RoundPlan, type RunPlan } from './chaos-plan.ts';

export interface RunResult {
  plan: RunPlan;
  run: ActionRun;
  startedAt: number;
  endedAt: number;
}

export interface Evidence {
  /** This round's requests. */
  log: LoggedRequest[];
  /** This round's deletions and restores at the provider. */
  deleted: DeletedSnapshot[];
  restores: StartedRestore[];
  /** Every snapshot the provider made since the soak began. */
  made: MadeSnapshot[];
  /** Snapshot IDs that exist now. */
  exists: (id: number) => boolean;
}

type Facts = MadeSnapshot;

const SUCCESS_WORDS = new Set(['completed', 'restored', 'deleted', 'listed']);
const idOf = (path: string, pattern: RegExp) => Number(pattern.exec(path)?.[1]);

function completedAt(s: Facts, at: number): boolean {
  return !s.fails && s.readyAt <= at;
}

function describe(s: Facts | undefined, at: number): string {
  if (!s) return 'unknown';
  const state = s.fails ? 'failing' : s.readyAt <= at ? 'completed' : 'in progress';
  return `${s.id} '${s.name}' of server ${s.serverId}, created ${new Date(s.createdAt).toISOString()}, ${state}`;
}

function factsOf(id: number, round: RoundPlan, ev: Evidence): Facts | undefined {
  return round.before.get(id) ?? ev.made.find((s) => s.id === id) ?? ev.deleted.find((s) => s.id === id);
}

/** Which run of the round may delete this snapshot at this time, if any. */
function deleter(
  s: Facts,
  at: number,
  round: RoundPlan,
  results: RunResult[],
  ev: Evidence,
): RunResult | undefined {
  return results.find(({ plan, run }) => {
    if (plan.kind === 'delete-id' || plan.kind === 'delete-name') return plan.named.includes(s.id);
    if (plan.kind !== 'create' && plan.kind !== 'fleet') return false;
    const name = run.outputs.snapshot_name;
    if (plan.keep === 0 || !plan.servers.includes(s.serverId) || !name) return false;
    if (!s.name.startsWith(PREFIX) || s.name === name || !completedAt(s, at)) return false;
    const own = ev.made.find((m) => m.name === name && m.serverId === s.serverId);
    // Rotation: only older than the run's own; make-room (before its create): only what was there.
    return own ? olderThan(s, own) : round.before.has(s.id);
  });
}

/** Which run of the round may restore this snapshot at this time, if any. */
function restorer(s: Facts, at: number, results: RunResult[]): RunResult | undefined {
  return results.find(({ plan }) => {
    if (plan.kind === 'restore-id') return plan.named.includes(s.id);
    if (plan.kind !== 'restore-latest') return false;
    return (
      s.serverId === plan.servers[0] &&
      completedAt(s, at) &&
      (plan.floor === undefined || s.id === plan.floor.id || olderThan(plan.floor, s))
    );
  });
}

export function checkRound(round: RoundPlan, results: RunResult[], ev: Evidence): string[] {
  const violations: string[] = [];
  const say = (text: string) => violations.push(text);

  // 1. Never two snapshots of one run's name on a server.
  for (const { plan, run } of results) {
    if (plan.kind !== 'create' && plan.kind !== 'fleet') continue;
    const name = run.outputs.snapshot_name;
    if (!name) {
      say(`${plan.label}: no snapshot_name output`);
      continue;
    }
    for (const server of plan.servers) {
      const made = ev.made.filter((s) => s.name === name && s.serverId === server);
      if (made.length > 1) say(`${plan.label}: server ${server} got ${made.length} snapshots named ${name}`);
    }
  }

  // 2. Nothing deleted, or even asked to be deleted, that no run's inputs allowed.
  for (const d of ev.deleted)
    if (!deleter(d, d.at, round, results, ev))
      say(`snapshot ${describe(d, d.at)} was deleted, and no run may have`);
  for (const entry of ev.log.filter((e) => e.route === 'delete')) {
    const id = idOf(entry.path, /snapshots\/(\d+)\/$/);
    const s = factsOf(id, round, ev);
    if (!s || !deleter(s, entry.at, round, results, ev))
      say(`DELETE of snapshot ${id} was sent, and no run may have`);
  }

  // 3. Nothing restored, or asked to be, but what a restore run named (latest: its server's newest).
  for (const entry of ev.log.filter((e) => e.route === 'restore')) {
    const id = idOf(entry.path, /snapshots\/(\d+)\/restore/);
    const s = factsOf(id, round, ev);
    if (!s || !restorer(s, entry.at, results))
      say(`a restore from snapshot ${id} was sent, and no run named it`);
  }
  const restoreServers = new Set(
    results.filter((r) => r.plan.kind.startsWith('restore')).flatMap((r) => r.plan.servers),
  );
  for (const r of ev.restores)
    if (!restoreServers.has(r.serverId)) say(`server ${r.serverId} was restored, and no run named it`);

  // 4. The provider's limit is never tripped by the action itself (one create on the server, reads current).
  if (round.readLagMs === 0) {
    for (const entry of ev.log) {
      if (entry.route !== 'create' || entry.status !== 400 || !/limit/i.test(entry.detail ?? '')) continue;
      const server = (entry.body as { server_id?: number } | undefined)?.server_id;
      const creators = results.filter(
        (r) => r.plan.servers.includes(server ?? -1) && r.plan.kind.match(/create|fleet/),
      );
      if (creators.length === 1)
        say(`a create on server ${server} hit the provider's limit: ${entry.detail}`);
    }
  }

  // 5. No success before the work; every failure says why; no stack traces.
  for (const result of results) for (const v of checkOutcome(result, ev)) say(`${result.plan.label}: ${v}`);
  return violations;
}

function checkOutcome({ plan, run, endedAt }: RunResult, ev: Evidence): string[] {
  const out: string[] = [];
  const status = run.outputs.status;
  if (/\n\s+at .+:\d+:\d+/.test(run.stdout) || /^\s+at .+:\d+:\d+/m.test(run.stderr))
    out.push('a stack trace was printed');
  if (run.exitCode !== 0) {
    if (run.exitCode !== 1) out.push(`exit code ${run.exitCode}`);
    const words = run.errors.map((e) => e.replace(/^::error[^:]*::/, ''));
    if (words.length === 0 || words.some((w) => w.length < 30))
      out.push(`failure without a clear ::error: ${run.stdout.slice(-400)}`);
    if (status && SUCCESS_WORDS.has(status)) out.push(`failed, but status says ${status}`);
    const id = Number(run.outputs.snapshot_id);
    if (plan.kind === 'create' && run.outputs.snapshot_id && !ev.made.some((s) => s.id === id))
      out.push(`failed, and snapshot_id names ${id}, which the provider never made`);
    return out;
  }
  if (run.errors.length > 0) out.push(`exit 0 with errors: ${run.errors.join(' | ')}`);
  switch (plan.kind) {
    case 'create':
    case 'fleet': {
      const ids = Object.entries(JSON.parse(run.outputs.snapshot_ids ?? '{}') as Record<string, number>);
      if (ids.length !== plan.servers.length)
        out.push(`snapshot_ids ${run.outputs.snapshot_ids} misses a server`);
      for (const [server, id] of ids) {
        const made = ev.made.find((s) => s.id === id);
        if (!made || made.serverId !== Number(server) || made.name !== run.outputs.snapshot_name)
          out.push(
            `exit 0, but the provider made no snapshot ${id} '${run.outputs.snapshot_name}' on ${server}`,
          );
        else if (plan.wait && !completedAt(made, endedAt))
          out.push(`exit 0 before snapshot ${id} was completed`);
      }
      const expected = plan.wait ? 'completed' : 'in_progress';
      if (status !== expected) out.push(`exit 0 with status ${status}, not ${expected}`);
      break;
    }
    case 'restore-id':
    case 'restore-latest': {
      const server = plan.servers[0];
      const restore = ev.restores.filter((r) => r.serverId === server).at(-1);
      if (plan.kind === 'restore-id' && plan.named.length === 0)
        out.push('exit 0 for a snapshot of another server');
      if (!restore) out.push(`exit 0, but server ${server} was never restored`);
      if (status === 'restored') {
        if (restore && restore.until > endedAt)
          out.push(`said restored before the restore of ${server} ended`);
      } else if (status === 'restoring') {
        if (!run.warnings.some((w) => w.startsWith('::warning title=Restore not confirmed::')))
          out.push('exit 0 with status restoring, without the "Restore not confirmed" warning');
      } else out.push(`exit 0 with status ${status}`);
      break;
    }
    case 'delete-id':
    case 'delete-name':
      if (plan.named.length === 0) out.push('exit 0, although the inputs name no snapshot of that server');
      for (const id of plan.named) if (ev.exists(id)) out.push(`exit 0, but snapshot ${id} still exists`);
      if (status !== 'deleted') out.push(`exit 0 with status ${status}`);
      break;
    case 'list': {
      if (status !== 'listed') out.push(`exit 0 with status ${status}`);
      const listed = JSON.parse(run.outputs.snapshots ?? 'null') as { server: { id: number } }[] | null;
      if (!Array.isArray(listed)) out.push('no snapshots output');
      else if (plan.servers[0] !== undefined && listed.some((s) => s.server.id !== plan.servers[0]))
        out.push(`list of server ${plan.servers[0]} shows another server's snapshots`);
      break;
    }
  }
  return out;
}

/** The post step of a create run: it may only restore that run's own snapshots, and only when armed. */
export function checkPost(main: RunResult, post: ActionRun, log: LoggedRequest[]): string[] {
  const out: string[] = [];
  const mine = new Set<number>(Object.values(JSON.parse(main.run.outputs.snapshot_ids ?? '{}')));
  const armed = main.run.exitCode === 0 && main.plan.inputs.restore_on_failure === 'true';
  for (const entry of log) {
    if (entry.route === 'delete' || entry.route === 'create')
      out.push(`post step sent ${entry.method} ${entry.path}`);
    if (entry.route !== 'restore') continue;
    const id = idOf(entry.path, /snapshots\/(\d+)\/restore/);
    if (!armed || !mine.has(id)) out.push(`post step restored snapshot ${id}`);
  }
  if (!armed && post.exitCode !== 0) out.push('post step failed with nothing to do');
  if (post.exitCode !== 0 && post.errors.length === 0) out.push('post step failed silently');
  if (/\n\s+at .+:\d+:\d+/.test(post.stdout)) out.push('post step printed a stack trace');
  return out;
}
