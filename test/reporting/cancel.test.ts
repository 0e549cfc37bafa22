// What a cancelled step says it leaves behind at the provider.
import { describe, expect, it } from 'vitest';
import { cancellationMessage } from '../../src/reporting/outcome.ts';
import { RunRecord } from '../../src/reporting/record.ts';

function record(operation: 'create' | 'restore' | 'delete' = 'create'): RunRecord {
  return new RunRecord(operation, () => 0);
}

describe('cancellationMessage', () => {
  it('names each snapshot still in progress, and how to wait for it', () => {
    const r = record();
    r.row({ serverId: 12345, snapshotId: 802, name: 'pre-deploy-a', state: 'in_progress' });
    r.row({ serverId: 12346, snapshotId: 803, name: 'pre-deploy-a', state: 'completed' });
    expect(cancellationMessage(r, 'create snapshot on server 12345, 12346', 'SIGINT')).toBe(
      "The step was cancelled (SIGINT) while it was to create snapshot on server 12345, 12346. Left in progress at the provider: snapshot 802 'pre-deploy-a' on server 12345 is still in progress. This goes on without the step: check it with operation: list, or wait for it with operation: wait and its snapshot_id.",
    );
  });

  it('names a snapshot requested before its ID was known', () => {
    const r = record();
    r.row({ serverId: 12345, name: 'pre-deploy-a', state: 'sent' });
    const message = cancellationMessage(r, 'create snapshot on server 12345', 'SIGTERM');
    expect(message).toContain(
      "Left in progress at the provider: a snapshot 'pre-deploy-a' was requested on server 12345 and may have been made (its ID was not known yet).",
    );
    expect(message).toMatch(/check it with operation: list\.$/);
    expect(message).not.toContain('operation: wait');
  });

  it('names a snapshot whose DELETE was sent and not answered', () => {
    const r = record('delete');
    r.row({ serverId: 12345, snapshotId: 798, name: 'weekly', state: 'sent' });
    r.row({ serverId: 12345, snapshotId: 801, name: 'old', state: 'deleted' });
    const message = cancellationMessage(r, 'delete 2 snapshots', 'SIGINT');
    expect(message).toContain(
      "Left in progress at the provider: snapshot 798 'weekly' on server 12345 may have been deleted (its DELETE was sent).",
    );
    expect(message).not.toContain('801');
  });

  it('names servers that may still be restoring', () => {
    const r = record('restore');
    r.row({ serverId: 12345, snapshotId: 801, name: 'pre-migration-snapshot', state: 'restoring' });
    r.row({ serverId: 12346, snapshotId: 700, name: 'base', state: 'restoring' });
    const message = cancellationMessage(r, 'restore snapshot 801 of server 12345', 'SIGINT');
    expect(message).toContain(
      'server 12345 may still be restoring from snapshot 801; server 12346 may still be restoring from snapshot 700.',
    );
    expect(message).not.toContain('operation: wait');
  });

  it('says nothing is left when nothing was started, or there is no record yet', () => {
    const r = record('delete');
    r.row({ serverId: 12345, snapshotId: 801, name: 'x', state: 'deleted' });
    expect(cancellationMessage(r, 'delete snapshot 801', 'SIGTERM')).toBe(
      'The step was cancelled (SIGTERM) while it was to delete snapshot 801. Nothing it started is left in progress.',
    );
    expect(cancellationMessage(undefined, 'vps-snapshot', 'SIGINT')).toBe(
      'The step was cancelled (SIGINT) while it was to vps-snapshot. Nothing it started is left in progress.',
    );
  });
});
