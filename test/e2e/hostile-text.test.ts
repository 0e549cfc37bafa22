// Provider data is data: against an emulator that puts hostile text (workflow commands after every kind of
// line break, legacy ##[ commands, markdown, HTML, long and non-ASCII strings) into every free-text field of
// every answer, each operation and the post step leave exactly the outputs, state and annotations the action
// meant, as the runner stand-in reads stdout and stderr, and the summary's tables keep their shape.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FOREIGN_SNAPSHOT_IDS } from '../../emulator/index.ts';
import { fillServer, results } from './action-helpers.ts';
import { Fixture, TOKEN } from './fixture.ts';
import { expectOnlyOwnCommands, expectSummaryShape } from './hostile-helpers.ts';

const STATE_KEYS = ['api_url', 'created_snapshots', 'main_succeeded', 'restore_on_failure', 'timeout_ms'];

let f: Fixture;
beforeEach(async () => {
  f = await new Fixture({ hostile: true }).start();
  f.model.addServer(TOKEN, 12346);
});
afterEach(() => f.stop());

describe('with hostile provider text', () => {
  it('create on a fleet, with rotation: its own outputs and state, and a post step that rolls back only what it made', async () => {
    fillServer(f, 12346, ['pre-deploy-old-1', 'pre-deploy-old-2']);
    const main = await f.run('main', { server_id: '12345,12346', keep: '2', restore_on_failure: 'true' });
    expect(main.exitCode).toBe(0);
    expectOnlyOwnCommands(main);
    expect(main.outputs.status).toBe('completed');
    expect(JSON.parse(main.outputs.snapshot_ids ?? '')).toEqual({ 12345: 802, 12346: 803 });
    expect(results(main).map((r) => [r.server_id, r.snapshot_id, r.status, r.error])).toEqual([
      [12345, 802, 'completed', null],
      [12346, 803, 'completed', null],
    ]);
    // Rotation deleted the older of 12346's own prefixed snapshots; nothing of the third party's.
    expect(JSON.parse(main.outputs.deleted_ids ?? '')).toEqual([500]);
    expect(f.emulator.requests('delete').map((r) => r.path)).toEqual(['/api/v1/snapshots/500/']);
    expect(Object.keys(main.state).sort()).toEqual(STATE_KEYS);
    expect(main.state.restore_on_failure).toBe('true');
    expectSummaryShape(main, [2]);

    const post = await f.run('post', {}, { state: main.state });
    expect(post.exitCode).toBe(0);
    expectOnlyOwnCommands(post);
    expect(
      f.emulator
        .requests('restore')
        .map((r) => r.path)
        .sort(),
    ).toEqual(['/api/v1/snapshots/802/restore/', '/api/v1/snapshots/803/restore/']);
    expect(post.outputs.status).toBe('restored');
    expect(Object.keys(post.state)).toEqual([]);
    expectSummaryShape(post, [2]);
  });

  it('list: the snapshots output is the data as the provider wrote it, one summary row per snapshot, no state', async () => {
    const run = await f.run('main', { operation: 'list' });
    expect(run.exitCode).toBe(0);
    expectOnlyOwnCommands(run);
    const listed = JSON.parse(run.outputs.snapshots ?? '') as { id: number; description?: string }[];
    expect(listed.map((s) => s.id)).toEqual(expect.arrayContaining([...FOREIGN_SNAPSHOT_IDS, 801]));
    expect(listed.some((s) => s.description?.includes('\n'))).toBe(true);
    expect(Object.keys(run.outputs).sort()).toEqual(['snapshots', 'status']);
    expect(run.outputs.status).toBe('listed');
    expect(run.state).toEqual({});
    expectSummaryShape(run, [listed.length]);

    // A plain list step leaves nothing for a post step: a later failure restores nothing.
    const post = await f.run('post', {}, { state: run.state });
    expect(post.exitCode).toBe(0);
    expect(f.emulator.requests('restore')).toHaveLength(0);
  });

  it('restore latest: the snapshot it chose, and no state that could arm a post step', async () => {
    const run = await f.run('main', { operation: 'restore', server_id: '12345', snapshot_id: 'latest' });
    expect(run.exitCode).toBe(0);
    expectOnlyOwnCommands(run);
    expect(run.outputs).toMatchObject({ snapshot_id: '801', server_id: '12345', status: 'restored' });
    expect(run.state).toEqual({});
    expectSummaryShape(run, [1]);
  });

  it('delete third-party snapshots by ID: exactly those, reported in its own words', async () => {
    const run = await f.run('main', { operation: 'delete', snapshot_id: '790 793' });
    expect(run.exitCode).toBe(0);
    expectOnlyOwnCommands(run);
    expect(JSON.parse(run.outputs.deleted_ids ?? '')).toEqual([790, 793]);
    expect(f.emulator.requests('delete').map((r) => r.path)).toEqual([
      '/api/v1/snapshots/790/',
      '/api/v1/snapshots/793/',
    ]);
    expectSummaryShape(run, [2]);
  });

  it('wait for a fleet started with wait: false', async () => {
    const start = await f.run('main', { server_id: '12345,12346', wait: 'false' });
    expectOnlyOwnCommands(start);
    const run = await f.run('main', { operation: 'wait', snapshot_ids: start.outputs.snapshot_ids ?? '' });
    expect(run.exitCode).toBe(0);
    expectOnlyOwnCommands(run);
    expect(run.outputs.status).toBe('completed');
    expectSummaryShape(run, [2]);
  });

  it("a failure quoting the provider's hostile error text is one error annotation of the action's", async () => {
    const run = await f.run('main', { operation: 'restore', server_id: '12345', snapshot_id: '999999' });
    expect(run.exitCode).toBe(1);
    expectOnlyOwnCommands(run);
    expect(run.annotations.filter((a) => a.kind === 'error')).toHaveLength(1);
    expect(run.outputs.status).toBe('failed');
    expect(run.state).toEqual({});
  });

  it('a dry run of a delete by name changes nothing and says so', async () => {
    const run = await f.run('main', {
      operation: 'delete',
      server_id: '12345',
      name: 'pre-migration-snapshot',
      dry_run: 'true',
    });
    expect(run.exitCode).toBe(0);
    expectOnlyOwnCommands(run);
    expect(run.outputs.status).toBe('planned');
    expect(f.emulator.requests('delete')).toHaveLength(0);
  });
});
