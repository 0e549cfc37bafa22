// The job summary, rendered from the run record: the honest outcome, a table per server, what was (or
// would be) deleted, notes, and a timeline only where it tells something.
import { mdText } from '../text.ts';
import { formatDuration } from './format.ts';
import { cellOf, headline, workOf } from './outcome.ts';
import type { RunRecord } from './record.ts';

const TITLES: Record<RunRecord['operation'], string> = {
  create: 'Snapshot',
  restore: 'Restore',
  delete: 'Delete snapshots',
  list: 'Snapshots',
  wait: 'Wait for snapshots',
  prune: 'Prune snapshots',
  post: 'Rollback after a failed job',
};

/** A chart is worth it for a fleet, or for a run over a minute. */
const CHART_AFTER_MS = 60_000;

/** `failures`: the annotations' messages, one line each, when the step failed. */
export function renderSummary(record: RunRecord | undefined, failures?: readonly string[]): string {
  const heading = headline(record, failures !== undefined);
  const out: string[] = [`## VPS ${record ? TITLES[record.operation] : 'snapshot action'}: ${heading}`, ''];
  if (failures?.length) out.push(...failures.map((line) => `> ${mdText(line)}`), '');
  if (!record) return out.join('\n');
  out.push(...table(record), ...listing(record));
  for (const [id, server] of record.servers)
    out.push(`Server ${id} ${mdText(server.name)} is now **${mdText(server.status)}**.`, '');
  out.push(...deletions(record));
  for (const note of record.notes) out.push('> [!NOTE]', `> ${mdText(note)}`, '');
  out.push(...chart(record));
  return out.join('\n');
}

function table(record: RunRecord): string[] {
  if (record.rows.length === 0) return [];
  const notes = record.rows.some((r) => r.error || r.note);
  const out = [
    `| server | snapshot | name | status | size | took |${notes ? ' note |' : ''}`,
    `| --- | --- | --- | --- | --- | --- |${notes ? ' --- |' : ''}`,
  ];
  for (const r of record.rows) {
    const status = cellOf(r, workOf(record));
    const size = r.sizeMb != null ? `${r.sizeMb} MB` : '–';
    const took = r.elapsedMs !== undefined ? formatDuration(r.elapsedMs) : '–';
    const note = notes ? ` ${mdText(r.error ?? r.note ?? '')} |` : '';
    out.push(
      `| ${r.serverId} | ${r.snapshotId ?? '–'} | ${mdText(r.name)} | ${status} | ${size} | ${took} |${note}`,
    );
  }
  out.push('');
  return out;
}

function listing(record: RunRecord): string[] {
  if (!record.listed) return [];
  if (record.listed.length === 0) return ['No snapshots.', ''];
  const out = [
    '| server | snapshot | name | status | size | created |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const s of record.listed) {
    const size = s.size_mb != null ? `${s.size_mb} MB` : '–';
    out.push(
      `| ${s.server.id} | ${s.id} | ${mdText(s.name)} | ${mdText(s.status)} | ${size} | ${s.created_at ? mdText(s.created_at) : '–'} |`,
    );
  }
  out.push('');
  return out;
}

function deletions(record: RunRecord): string[] {
  const done = record.deleted.filter((d) => !d.planned);
  const planned = record.deleted.filter((d) => d.planned);
  const out: string[] = [];
  for (const [heading, list] of [
    ['**Deleted**', done],
    ['**Would delete** (dry run: nothing was deleted)', planned],
  ] as const) {
    if (list.length === 0) continue;
    out.push(heading, '');
    for (const d of list) {
      const note = d.note ? ` (${mdText(d.note)})` : '';
      out.push(
        `- snapshot ${d.snapshotId} ${mdText(d.name)} on server ${d.serverId}: ${mdText(d.why)}${note}`,
      );
    }
    out.push('');
  }
  return out;
}

function chart(record: RunRecord): string[] {
  const phases = record.phases.filter((p) => p.endMs > p.startMs);
  const servers = new Set(record.rows.map((r) => r.serverId)).size;
  const longest = Math.max(0, ...phases.map((p) => p.endMs));
  if (phases.length < 2 || (servers < 2 && longest < CHART_AFTER_MS)) return [];
  const out = [
    '```mermaid',
    'gantt',
    '  dateFormat x',
    '  axisFormat %M:%S',
    `  section ${record.operation}`,
  ];
  for (const p of phases)
    out.push(`  ${p.name} (${formatDuration(p.endMs - p.startMs)}) : ${p.startMs}, ${p.endMs}`);
  out.push('```', '');
  return out;
}
