// The one top-level catch, through the real @actions/core: one ::error per failure, exit code 1.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/api/errors.ts';
import { ActionError } from '../../src/failure.ts';
import { reportFailure } from '../../src/report-failure.ts';
import { SettingsError } from '../../src/settings.ts';

let written: string[];
beforeEach(() => {
  written = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

const errors = () => written.filter((line) => line.startsWith('::error'));

describe('reportFailure', () => {
  it.each([
    ['a string', 'plain words', '::error title=ctx%3A unexpected error::plain words'],
    ['an object', { code: 42 }, '::error title=ctx%3A unexpected error::{"code":42}'],
    ['undefined', undefined, '::error title=ctx%3A unexpected error::undefined'],
  ])('fails the step for a thrown %s', (_, thrown, line) => {
    reportFailure(thrown, 'ctx');
    expect(process.exitCode).toBe(1);
    expect(errors()).toEqual([`${line}\n`]);
  });

  it('titles an ActionError with its own title and prints no stack outside debug', () => {
    reportFailure(new ActionError('Snapshot failed', 'server 1: it failed'), 'ctx');
    expect(errors()).toEqual(['::error title=Snapshot failed::server 1: it failed\n']);
    expect(written.filter((l) => !l.startsWith('::debug::')).join('')).not.toMatch(/at .*:\d+:\d+/);
  });

  it('prefixes an API error with what was being done', () => {
    reportFailure(
      new ApiError({ kind: 'http', method: 'GET', path: '/snapshots/', status: 503 }),
      'list snapshots',
    );
    expect(errors()).toEqual([
      '::error title=list snapshots%3A VPS API error::list snapshots: GET /snapshots/ failed with HTTP 503\n',
    ]);
  });

  it('gives one error per input problem', () => {
    reportFailure(new SettingsError(['keep 9 is above 5', "timeout 'x' is not a duration"]), 'ctx');
    expect(errors()).toHaveLength(2);
  });
});
