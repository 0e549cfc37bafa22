// The job summary, rendered from the run record: the outcome, a table per server, what was (or would be)
// deleted, notes, and a timeline where it tells something. Every piece of data passes through mdText.
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

/** `failures`: the annotations' messages, when the step failed. */
export function renderSummary(record: RunRecord | undefined, failures?: readonly string[]): string {
  const heading = `## VPS ${record ? TITLES[record.operation] : 'snapshot action'}: ${headline(record, !!failures)}`;
  const out = [heading, ''];
  if (failures?.length) out.push(...failures.map((line) => `> ${mdText(line)}`), '');
  if (!record) return out.join('\n');
  out.push(...table(record), ...listing(record));
  for (const [id, s] of record.servers)
    out.push(`Server ${id} ${mdText(s.name)} is now **${mdText(s.status)}**.`, '');
  out.push(...deletions(record, false), ...deletions(record, true));
  for (const note of record.notes) out.push('> [!NOTE]', `> ${mdText(note)}`, '');
  return [...out, ...chart(record)].join('\n');
}

function grid(head: string[], rows: unknown[][]): string[] {
  const line = (cells: unknown[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line), ''];
}

const mb = (size: number | null | undefined) => (size != null ? `${size} MB` : '–');

function table(record: RunRecord): string[] {
  if (record.rows.length === 0) return [];
  const notes = record.rows.some((r) => r.error || r.note) ? ['note'] : [];
  const rows = record.rows.map((r) => [
    ...[r.serverId, r.snapshotId ?? '–', mdText(r.name), cellOf(r, workOf(record)), mb(r.sizeMb)],
    r.elapsedMs !== undefined ? formatDuration(r.elapsedMs) : '–',
    ...notes.map(() => mdText(r.error ?? r.note ?? '')),
  ]);
  return grid(['server', 'snapshot', 'name', 'status', 'size', 'took', ...notes], rows);
}

function listing(record: RunRecord): string[] {
  if (!record.listed) return [];
  if (record.listed.length === 0) return ['No snapshots.', ''];
  const rows = record.listed.map((s) => [
    ...[s.server.id, s.id, mdText(s.name), mdText(s.status), mb(s.size_mb)],
    s.created_at ? mdText(s.created_at) : '–',
  ]);
  return grid(['server', 'snapshot', 'name', 'status', 'size', 'created'], rows);
}

function deletions(record: RunRecord, planned: boolean): string[] {
  const list = record.deleted.filter((d) => !!d.planned === planned);
  if (list.length === 0) return [];
  const lines = list.map((d) => {
    const note = d.note ? ` (${mdText(d.note)})` : '';
    return `- snapshot ${d.snapshotId} ${mdText(d.name)} on server ${d.serverId}: ${mdText(d.why)}${note}`;
  });
  return [planned ? '**Would delete** (dry run: nothing was deleted)' : '**Deleted**', '', ...lines, ''];
}

/** A timeline of the phases, worth it for a fleet or for a run over a minute. */
function chart(record: RunRecord): string[] {
  const phases = record.phases.filter((p) => p.endMs > p.startMs);
  const fleet = new Set(record.rows.map((r) => r.serverId)).size > 1;
  if (phases.length < 2 || (!fleet && Math.max(...phases.map((p) => p.endMs)) < 60_000)) return [];
  const bars = phases.map(
    (p) => `  ${p.name} (${formatDuration(p.endMs - p.startMs)}) : ${p.startMs}, ${p.endMs}`,
  );
  return [
    '```mermaid',
    'gantt',
    '  dateFormat x',
    '  axisFormat %M:%S',
    `  section ${record.operation}`,
    ...bars,
    '```',
    '',
  ];
}
