// Default snapshot names and descriptions from the workflow run: unique per step run, within 100 characters,
// and usable outside GitHub Actions.
import { describe, expect, it } from 'vitest';
import type { RunInfo } from '../../src/operations/context.ts';
import { defaultDescription, defaultName } from '../../src/operations/create/index.ts';
import { GITHUB_RUN } from '../helpers/context.ts';

const NAME = /^[A-Za-z0-9_-]+$/;
const run = (over: Partial<RunInfo> = {}): RunInfo => ({ ...GITHUB_RUN, ...over });
const tag = (value: string) => () => value;

describe('defaultName', () => {
  it('is <prefix><sha7>-<run id>-<attempt>-<job>-<tag>', () => {
    expect(defaultName('pre-deploy-', run(), tag('a1b2c3'))).toBe('pre-deploy-0123456-4242-1-deploy-a1b2c3');
  });

  it('differs between attempts, jobs and step runs of the same commit and run', () => {
    const names = new Set([
      defaultName('pre-deploy-', run(), tag('a1b2c3')),
      defaultName('pre-deploy-', run({ runAttempt: '2' }), tag('a1b2c3')),
      defaultName('pre-deploy-', run({ job: 'deploy-eu' }), tag('a1b2c3')),
      defaultName('pre-deploy-', run(), tag('d4e5f6')),
    ]);
    expect(names.size).toBe(4);
  });

  it('draws a fresh 6-hex tag on each call by default', () => {
    const drawn = Array.from({ length: 20 }, () => defaultName('pre-deploy-', run()));
    for (const name of drawn) expect(name).toMatch(/^pre-deploy-0123456-4242-1-deploy-[0-9a-f]{6}$/);
    expect(new Set(drawn).size).toBeGreaterThan(15);
  });

  it('sanitizes the job to the name alphabet and cuts it at 24 characters', () => {
    const name = defaultName(
      'pre-deploy-',
      run({ job: 'build (ubuntu, node 24) / deploy-to-production' }),
      tag('abcdef'),
    );
    expect(name).toMatch(NAME);
    expect(name).toBe('pre-deploy-0123456-4242-1-build-ubuntu-node-24-dep-abcdef');
  });

  it('takes attempt 1 when the attempt is unknown, and leaves out an empty job', () => {
    expect(defaultName('p-', run({ runAttempt: '', job: '' }), tag('abcdef'))).toBe(
      'p-0123456-4242-1-abcdef',
    );
  });

  it('stays within 100 characters, dropping the attempt and job for a long prefix', () => {
    const prefix = `${'x'.repeat(60)}-`;
    const name = defaultName(prefix, run({ job: 'j'.repeat(24) }), tag('abcdef'));
    expect(name.length).toBeLessThanOrEqual(100);
    expect(name).toBe(`${prefix}0123456-4242-abcdef`);
    expect(
      defaultName('pre-deploy-', run({ job: 'j'.repeat(40) }), tag('abcdef')).length,
    ).toBeLessThanOrEqual(100);
  });

  // prune_prefix is at most MAX_PREFIX_LENGTH (40) characters (src/settings/readers.ts).
  it('stays within 100 characters for the longest valid prune_prefix', () => {
    const prefix = `${'x'.repeat(39)}-`;
    expect(defaultName(prefix, run(), tag('abcdef')).length).toBeLessThanOrEqual(100);
  });

  it('works outside GitHub Actions: local-<tag>', () => {
    expect(defaultName('pre-deploy-', run({ sha: '', runId: '' }), tag('abcdef'))).toBe(
      'pre-deploy-local-abcdef',
    );
    expect(defaultName('pre-deploy-', run({ sha: '' }), tag('abcdef'))).toBe('pre-deploy-local-abcdef');
  });
});

describe('defaultDescription', () => {
  it('names the repository, ref, commit, workflow and run', () => {
    expect(defaultDescription(run({ runAttempt: '2' }))).toBe(
      "Pre-deploy snapshot of acme/web@main (0123456), workflow 'Deploy' run https://github.com/acme/web/actions/runs/4242/attempts/2",
    );
    expect(defaultDescription(run({ ref: 'refs/tags/v1.2.0' }))).toMatch(
      /^Pre-deploy snapshot of acme\/web@v1\.2\.0 /,
    );
  });

  it('says so outside GitHub Actions', () => {
    expect(defaultDescription(run({ sha: '', runId: '' }))).toBe(
      'Pre-deploy snapshot taken outside GitHub Actions',
    );
  });
});
