// The annotations a failed step prints: one per bad input, else one whose title comes from the failure's kind.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/errors.ts';
import {
  annotationsFor,
  type Problem,
  type Refusal,
  refusal,
  rollbackFailure,
  workFailure,
} from '../../src/reporting/failure.ts';
import { RunRecord } from '../../src/reporting/record.ts';
import { SettingsError } from '../../src/settings/index.ts';

describe('the kinds of failure', () => {
  it.each<[Refusal, string]>([
    ['not-found', 'Cannot restore: snapshot not found'],
    ['other-server', 'Cannot restore: snapshot of another server'],
    ['ambiguous-name', 'Cannot restore: the name is ambiguous'],
    ['named-twice', 'Cannot restore: a server named twice'],
    ['server-busy', 'Cannot restore: server busy'],
    ['not-completed', 'Cannot restore: snapshot not completed'],
    ['name-in-use', 'Snapshot name already in use'],
    ['limit-reached', 'Snapshot limit reached'],
  ])('a refusal %s is titled %s', (kind, title) => {
    const error = refusal('restore', [{ kind, message: 'whatever the words' }]);
    expect(error).toMatchObject({ kind, title, problems: ['whatever the words'] });
  });

  it('titles problems of one kind by it, of several kinds by their number, one line each', () => {
    const two: Problem[] = [
      { kind: 'not-found', message: 'a' },
      { kind: 'not-found', message: 'b' },
    ];
    expect(refusal('delete', two)).toMatchObject({
      title: 'Cannot delete: snapshot not found',
      problems: ['a', 'b'],
    });
    const mixed: Problem[] = [
      { kind: 'not-found', message: 'a' },
      { kind: 'other-server', message: 'c' },
    ];
    expect(refusal('delete', mixed)).toMatchObject({
      title: 'Cannot delete: 2 problems',
      problems: ['a', 'c'],
    });
  });

  it("makes work that did not end as asked one error, titled from the record, with each row's words", () => {
    const record = new RunRecord('create', () => 0);
    record.row({ serverId: 1, name: 'a', state: 'completed' });
    expect(workFailure(record)).toBeUndefined();
    record.row({ serverId: 2, name: 'a', state: 'timed_out', error: 'still going' });
    record.row({ serverId: 3, name: 'a', state: 'failed', error: 'failed at the provider' });
    expect(workFailure(record)).toMatchObject({
      kind: 'failed',
      title: 'Snapshot failed: 1 of 3; 1 timed out',
      problems: ['still going', 'failed at the provider'],
    });
  });

  it('titles a rollback that did not complete', () => {
    expect(rollbackFailure('why')).toMatchObject({
      kind: 'rollback',
      title: 'Rollback failed',
      message: 'why',
    });
  });
});

describe('annotationsFor', () => {
  it('gives one Invalid input annotation per problem', () => {
    const error = new SettingsError(["server_id 'abc' is not a number", 'keep 9 is above 5']);
    expect(annotationsFor(error, 'create snapshot')).toEqual([
      { title: 'Invalid input', message: "server_id 'abc' is not a number" },
      { title: 'Invalid input', message: 'keep 9 is above 5' },
    ]);
  });

  it("takes an ActionError's own title and message", () => {
    const error = refusal('create', [{ kind: 'name-in-use', message: "name 'x': in use" }]);
    expect(annotationsFor(error, 'create snapshot on server 12345')).toEqual([
      { title: 'Snapshot name already in use', message: "name 'x': in use" },
    ]);
  });

  it('names what was being done for an API error', () => {
    const error = new ApiError({
      kind: 'http',
      method: 'GET',
      path: '/snapshots/',
      status: 503,
      hint: 'Try later',
    });
    expect(annotationsFor(error, 'list snapshots')).toEqual([
      {
        title: 'list snapshots: VPS API error',
        message: 'list snapshots: GET /snapshots/ failed with HTTP 503. Try later',
      },
    ]);
  });

  it('says an unexpected error is one, whatever was thrown', () => {
    expect(annotationsFor(new TypeError('x is undefined'), 'delete snapshot 801')).toEqual([
      { title: 'delete snapshot 801: unexpected error', message: 'x is undefined' },
    ]);
    expect(annotationsFor('plain text', 'wait')).toEqual([
      { title: 'wait: unexpected error', message: 'plain text' },
    ]);
    expect(annotationsFor({ code: 7 }, 'wait')).toEqual([
      { title: 'wait: unexpected error', message: '{"code":7}' },
    ]);
  });
});
