// The annotations a failed step prints: one per bad input, else one that says what failed.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/errors.ts';
import { ActionError, annotationsFor } from '../../src/reporting/failure.ts';
import { RunRecord } from '../../src/reporting/record.ts';
import { SettingsError } from '../../src/settings/index.ts';

describe('annotationsFor', () => {
  it('gives one Invalid input annotation per problem', () => {
    const error = new SettingsError(["server_id 'abc' is not a number", 'keep 9 is above 5']);
    expect(annotationsFor(error, 'create snapshot')).toEqual([
      { title: 'Invalid input', message: "server_id 'abc' is not a number" },
      { title: 'Invalid input', message: 'keep 9 is above 5' },
    ]);
  });

  it("takes an ActionError's own title and message, and keeps its record", () => {
    const record = new RunRecord('create', () => 0);
    const error = new ActionError('Snapshot wait timed out', 'server 12345: still in progress', record);
    expect(error.record).toBe(record);
    expect(annotationsFor(error, 'create snapshot on server 12345')).toEqual([
      { title: 'Snapshot wait timed out', message: 'server 12345: still in progress' },
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
