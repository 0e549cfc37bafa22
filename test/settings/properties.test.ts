import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OPERATIONS, parseSettings, SettingsError } from '../../src/settings/index.ts';
import { parse, reader } from './helpers.ts';

describe('properties', () => {
  const inputNames = [
    'operation',
    'api_token',
    'api_url',
    'server_id',
    'name',
    'description',
    'snapshot_id',
    'snapshot_ids',
    'wait',
    'timeout',
    'restore_on_failure',
    'keep',
    'keep_within',
    'prune_prefix',
    'dry_run',
  ];

  it('any inputs either parse into settings or fail with SettingsError lines, never anything else', () => {
    const value = fc.oneof(
      fc.string(),
      fc.constantFrom(
        ...OPERATIONS,
        'latest',
        'all',
        '14d',
        '36h',
        '0',
        'true',
        'false',
        '5',
        '12345',
        '1,2',
        '15m',
        '{}',
        '{"1": 2}',
        '{"1": 2, "3": 4}',
        '[1]',
      ),
      fc
        .dictionary(fc.oneof(fc.string(), fc.nat().map(String)), fc.jsonValue())
        .map((o) => JSON.stringify(o)),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...inputNames), value), (inputs) => {
        try {
          const { settings } = parseSettings(reader(inputs), {});
          expect(['create', 'restore', 'delete', 'list', 'wait', 'prune']).toContain(settings.operation);
          expect(settings.token).not.toBe('');
          expect(settings.timeoutMs).toBeGreaterThan(0);
          if (settings.operation === 'create') {
            expect(settings.serverIds.length).toBeGreaterThan(0);
            expect(settings.keep).toBeLessThanOrEqual(5);
            if (settings.name !== undefined) expect(settings.name).toMatch(/^[A-Za-z0-9_-]+$/);
          }
          if (settings.operation === 'restore' || settings.operation === 'delete') {
            expect(settings.targets.length).toBeGreaterThan(0);
            expect(settings.targets.length).toBeLessThanOrEqual(100);
          }
          if (settings.operation === 'prune') {
            // Never an empty server list read as every server, never an empty policy.
            expect(settings.servers === 'all' || settings.servers.length > 0).toBe(true);
            if (settings.servers === 'all') expect(inputs.server_id?.trim()).toBe('all');
            expect(settings.keep > 0 || settings.keepWithinMs > 0).toBe(true);
            expect(settings.keep).toBeLessThanOrEqual(5);
          }
          if (settings.operation === 'wait') {
            expect(settings.wait).toBe(true);
            expect(settings.targets.length).toBeGreaterThan(0);
            expect(settings.targets.length).toBeLessThanOrEqual(100);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(SettingsError);
          const lines = (error as SettingsError).problems;
          expect(lines.length).toBeGreaterThan(0);
          for (const line of lines) {
            expect(line.length).toBeGreaterThan(10);
            expect(line).not.toContain('\n');
          }
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('a name is accepted exactly when it is letters, digits, - and _', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (name) => {
        const ok = /^[A-Za-z0-9_-]+$/.test(name.trim());
        const attempt = () => parseSettings(reader({ api_token: 't', server_id: '1', name }), {});
        if (ok) expect(attempt().settings).toMatchObject({ name: name.trim() });
        else if (name.trim() !== '') expect(attempt).toThrow(/may contain only letters/);
      }),
      { numRuns: 1_000 },
    );
  });

  it('server ID lists round-trip whatever the separators', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 2 ** 40 }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.constantFrom(',', ' ', '\n', ', ', ',\n'), { minLength: 20, maxLength: 20 }),
        (ids, seps) => {
          const text = ids.map((id, i) => `${id}${i < ids.length - 1 ? seps[i] : ''}`).join('');
          const { settings } = parseSettings(reader({ api_token: 't', server_id: text }), {});
          expect(settings.operation === 'create' && settings.serverIds).toEqual(ids);
          const waited = parse({ operation: 'wait', snapshot_id: text }).settings;
          expect(waited.operation === 'wait' && waited.targets.map((t) => t.snapshotId)).toEqual(ids);
        },
      ),
    );
  });

  it("create's snapshot_ids output round-trips into wait, restore and delete", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 2 ** 40 }), { minLength: 1, maxLength: 100 }),
        (servers) => {
          const pairs = servers.map((serverId, i) => ({ serverId, snapshotId: 10_000 + i }));
          const text = JSON.stringify(
            Object.fromEntries(pairs.map((p) => [String(p.serverId), p.snapshotId])),
          );
          const byServer = (a: { serverId?: number }, b: { serverId?: number }) =>
            (a.serverId ?? 0) - (b.serverId ?? 0);
          for (const operation of ['wait', 'restore', 'delete'] as const) {
            const { settings } = parse({ operation, snapshot_ids: text });
            if (!('targets' in settings)) throw new Error('no targets');
            const got = settings.targets.map((t) => ('snapshotId' in t ? t : undefined));
            expect(
              got.map((t) => ({ serverId: t?.serverId, snapshotId: t?.snapshotId })).sort(byServer),
            ).toEqual([...pairs].sort(byServer));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('durations with units add up', () => {
    fc.assert(
      fc.property(fc.nat(48), fc.nat(59), fc.integer({ min: 1, max: 59 }), (h, m, s) => {
        const { settings } = parse({ operation: 'list', timeout: `${h}h${m}m${s}s` });
        expect(settings.timeoutMs).toBe(((h * 60 + m) * 60 + s) * 1000);
      }),
    );
  });
});
