import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

it('installs one runtime copy of undici, so the bundle carries one', () => {
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
    packages: Record<string, { version: string; dev?: boolean }>;
  };
  const copies = Object.entries(lock.packages)
    .filter(([path, pkg]) => path.endsWith('node_modules/undici') && !pkg.dev)
    .map(([path, pkg]) => `${path}@${pkg.version}`);
  expect(copies).toEqual([expect.stringMatching(/^node_modules\/undici@6\./)]);
});
