// The job summary: what was done per server, what rotation deleted, and a timeline of the phases.
import * as core from '@actions/core';
import { formatDuration } from './duration.ts';
import type { Report } from './report.ts';

const TITLES: Record<Report['operation'], string> = {
  create: 'Snapshot',
  restore: 'Restore',
  delete: 'Delete snapshot',
  list: 'Snapshots',
  post: 'Rollback after a failed job',
};

export function renderSummary(report: Report | undefined, failure?: string): string {
  const out: string[] = [];
  const badge = failure ? '❌ failed' : report?.dryRun ? '🧪 dry run: nothing was changed' : '✅ done';
  out.push(`## VPS ${report ? TITLES[report.operation] : 'snapshot action'}: ${badge}`, '');
  if (failure) out.push(...failure.split('\n').map((line) => `> ${escapeMarkdown(line)}`), '');
  if (!report) return out.join('\n');
  if (report.rows.length > 0) {
    out.push('| server | snapshot | name | status | size | took |', '| --- | --- | --- | --- | --- | --- |');
    for (const r of report.rows) {
      out.push(
        `| ${r.serverId} | ${r.snapshotId ?? '–'} | \`${escapeMarkdown(r.name)}\` | ${r.status} | ${r.sizeMb != null ? `${r.sizeMb} MB` : '–'} | ${r.elapsedMs !== undefined ? formatDuration(r.elapsedMs) : '–'} |`,
      );
    }
    out.push('');
  }
  if (report.server) {
    out.push(
      `Server ${report.server.id} \`${escapeMarkdown(report.server.name)}\` is now **${report.server.status}**.`,
      '',
    );
  }
  if (report.deleted.length > 0) {
    out.push('**Deleted**', '');
    for (const d of report.deleted)
      out.push(`- snapshot ${d.snapshotId} \`${escapeMarkdown(d.name)}\` on server ${d.serverId}: ${d.why}`);
    out.push('');
  }
  for (const note of report.notes) out.push(`> [!NOTE]`, `> ${escapeMarkdown(note)}`, '');
  const phases = report.phases.filter((p) => p.endMs > p.startMs);
  if (phases.length > 1) {
    out.push('```mermaid', 'gantt', '  dateFormat x', '  axisFormat %M:%S', `  section ${report.operation}`);
    for (const p of phases)
      out.push(`  ${p.name} (${formatDuration(p.endMs - p.startMs)}) : ${p.startMs}, ${p.endMs}`);
    out.push('```', '');
  }
  return out.join('\n');
}

export async function writeSummary(report: Report | undefined, failure?: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(renderSummary(report, failure), true).write();
}

function escapeMarkdown(text: string): string {
  return text.replace(/[|<>]/g, (c) => `\\${c}`);
}
