// What the post step reads of the main step's state: typed, with safe defaults for anything missing or
// malformed.
import { describe, expect, it } from 'vitest';
import { readPostState } from '../../src/step/actions.ts';

const reader = (state: Record<string, string>) => (key: string) => state[key] ?? '';

describe('readPostState', () => {
  it('reads what the main step saved', () => {
    const created = [
      { serverId: 12345, snapshotId: 802, name: 'pre-deploy-a' },
      { serverId: 12346, snapshotId: 803, name: 'pre-deploy-a' },
    ];
    expect(
      readPostState(
        reader({
          created_snapshots: JSON.stringify(created),
          restore_on_failure: 'true',
          main_succeeded: 'true',
          api_url: 'https://api.vps.test/api/v1',
          timeout_ms: '900000',
        }),
      ),
    ).toEqual({
      created,
      restoreOnFailure: true,
      mainSucceeded: true,
      apiUrl: 'https://api.vps.test/api/v1',
      timeoutMs: 900_000,
    });
  });

  it('defaults to nothing to do when the main step saved nothing', () => {
    expect(readPostState(reader({}))).toEqual({
      created: [],
      restoreOnFailure: false,
      mainSucceeded: false,
      apiUrl: '',
      timeoutMs: 30 * 60_000,
    });
  });

  it("takes only the exact word 'true' as true", () => {
    for (const value of ['True', 'yes', '1', 'false'])
      expect(readPostState(reader({ restore_on_failure: value, main_succeeded: value }))).toMatchObject({
        restoreOnFailure: false,
        mainSucceeded: false,
      });
  });

  it('drops malformed snapshot entries and survives malformed JSON', () => {
    const mixed = [
      { serverId: 12345, snapshotId: 802, name: 'ok' },
      { serverId: '12346', snapshotId: 803, name: 'string id' },
      { serverId: 12347, name: 'no snapshot' },
      null,
      'text',
    ];
    expect(readPostState(reader({ created_snapshots: JSON.stringify(mixed) })).created).toEqual([
      { serverId: 12345, snapshotId: 802, name: 'ok' },
    ]);
    expect(readPostState(reader({ created_snapshots: '{not json' })).created).toEqual([]);
    expect(readPostState(reader({ created_snapshots: '{"serverId": 1}' })).created).toEqual([]);
  });

  it('falls back to 30 minutes for a timeout that is not a number', () => {
    expect(readPostState(reader({ timeout_ms: 'soon' })).timeoutMs).toBe(30 * 60_000);
    expect(readPostState(reader({ timeout_ms: '0' })).timeoutMs).toBe(30 * 60_000);
  });
});
