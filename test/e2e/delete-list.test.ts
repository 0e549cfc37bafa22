// delete and list, run as the runner runs them, against the emulator over HTTP.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseFault } from '../../emulator/index.ts';
import { heading, results, summarySection } from './action-helpers.ts';
import { Fixture } from './fixture.ts';

let f: Fixture;
beforeEach(async () => {
  f = await new Fixture().start();
});
afterEach(() => f.stop());

describe('delete', () => {
  it('deletes by ID', async () => {
    const run = await f.run('main', { operation: 'delete', snapshot_id: '798' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ status: 'deleted', snapshot_id: '798', deleted_ids: '[798]' });
    expect(results(run)).toEqual([
      {
        server_id: 12345,
        snapshot_id: 798,
        name: 'weekly-snapshot-2025-01-08',
        status: 'deleted',
        error: null,
      },
    ]);
    expect(heading(run)).toBe('## VPS Delete snapshots: ✅ deleted');
    expect(summarySection(run, '**Deleted**')).toEqual([
      '- snapshot 798 weekly-snapshot-2025-01-08 on server 12345: named by the inputs',
    ]);
    expect(f.snapshots().map((s) => s.id)).toEqual([801]);
  });

  it('deletes by name and fails on an unknown name, listing what exists', async () => {
    expect(
      (await f.run('main', { operation: 'delete', name: 'pre-migration-snapshot', server_id: '12345' }))
        .outputs.deleted_ids,
    ).toBe('[801]');
    const missing = await f.run('main', { operation: 'delete', name: 'nope', server_id: '12345' });
    expect(missing.exitCode).toBe(1);
    expect(missing.errors[0]).toMatch(
      /name 'nope': server 12345 has no snapshot of this name. Its snapshots: 798/,
    );
  });

  it('a snapshot already gone (404 on DELETE) is deleted as asked: a note, no warning, no failure', async () => {
    f.emulator.faults.add(parseFault('delete:gone@1'));
    const run = await f.run('main', { operation: 'delete', snapshot_id: '798' });
    expect(run.exitCode).toBe(0);
    expect(run.errors).toEqual([]);
    expect(run.warnings).toEqual([]);
    expect(run.outputs).toMatchObject({ status: 'deleted', deleted_ids: '[798]' });
    expect(results(run)).toMatchObject([{ snapshot_id: 798, status: 'deleted', error: null }]);
    expect(run.stdout).toMatch(/it was already gone: deleted by someone else, or by an earlier attempt/);
    expect(summarySection(run, '**Deleted**')[0]).toMatch(
      /snapshot 798 .*: named by the inputs \(it was already gone/,
    );
    expect(f.emulator.requests('delete')).toHaveLength(1);
  });

  it('a delete the provider refuses fails the step with the snapshot named', async () => {
    f.emulator.faults.add(parseFault('delete:status:403'));
    const run = await f.run('main', { operation: 'delete', snapshot_id: '798' });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      /title=Delete failed::snapshot 798 'weekly-snapshot-2025-01-08' on server 12345 was not deleted/,
    );
    expect(run.outputs).toMatchObject({ status: 'failed', deleted_ids: '[]' });
    expect(results(run)[0]?.error).toMatch(/HTTP 403/);
    expect(
      f
        .snapshots()
        .map((s) => s.id)
        .sort(),
    ).toEqual([798, 801]);
  });
});

describe('list', () => {
  it('lists every page as the snapshots output', async () => {
    f.emulator.paginate(1);
    const run = await f.run('main', { operation: 'list' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('listed');
    expect(JSON.parse(run.outputs.snapshots ?? '[]').map((s: { id: number }) => s.id)).toEqual([801, 798]);
    expect(f.emulator.requests('list')).toHaveLength(2);
    expect(run.summary).toMatch(
      /\| 12345 \| 798 \| weekly-snapshot-2025-01-08 \| completed \| 4856 MB \| 2025-01-08T12:00:00Z \|/,
    );
    expect(run.warnings).toEqual([]);
  });
});
