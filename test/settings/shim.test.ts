// The old import paths still resolve while other code moves to src/settings/.
import { describe, expect, it } from 'vitest';
import * as duration from '../../src/duration.ts';
import { parseDuration } from '../../src/settings/duration.ts';
import * as settings from '../../src/settings/index.ts';
import * as shim from '../../src/settings.ts';

describe('re-exports', () => {
  it('src/settings.ts exports what src/settings/index.ts does, the names others import included', () => {
    expect({ ...shim }).toEqual({ ...settings });
    expect(Object.keys(shim)).toEqual(
      expect.arrayContaining([
        'parseSettings',
        'readToken',
        'readRequestTimeout',
        'SettingsError',
        'OPERATIONS',
        'MAX_KEEP',
        'NAME_PATTERN',
        'DEFAULT_PRUNE_PREFIX',
        'MAX_FLEET',
        'DEFAULT_TIMEOUT',
      ]),
    );
  });

  it('src/duration.ts still exports parseDuration and formatDuration', () => {
    expect(duration.parseDuration).toBe(parseDuration);
    expect(duration.formatDuration(61_000)).toBe('1m 01s');
  });

  it.each([
    ['900', 900_000],
    [' 90S ', 90_000],
    ['250ms', 250],
    ['1h30m', 5_400_000],
    ['0.5', 500],
    ['', undefined],
    ['soon', undefined],
    ['10 m', undefined],
    ['-5', undefined],
  ])('parseDuration(%j) is %j', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
});
