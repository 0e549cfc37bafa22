// Every relative link of the repository's Markdown resolves: the file exists, and an #anchor is a heading
// of the target by GitHub's slug rules. Pages move (README sections went to docs/); links must follow.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { anchorsOf, brokenLinks, linksIn, markdownFiles, ROOT, slug } from './links.ts';

describe('the Markdown of this repository', () => {
  const files = markdownFiles();

  it('is all found: the top-level pages, docs/ and the emulator', () => {
    for (const file of [
      'README.md',
      'CONTRIBUTING.md',
      'ARCHITECTURE.md',
      'SECURITY.md',
      'CHANGELOG.md',
      'emulator/README.md',
      'docs/troubleshooting.md',
    ])
      expect(files).toContain(file);
    expect(files.filter((f) => f.startsWith('docs/')).length).toBeGreaterThanOrEqual(7);
  });

  it('links only to files that exist and to headings they have', () => {
    expect(brokenLinks(files)).toEqual([]);
  });

  it('has links to check, in-page anchors and cross-page anchors among them', () => {
    const links = files.flatMap((f) => linksIn(f, readFileSync(join(ROOT, f), 'utf8')));
    expect(links.length).toBeGreaterThan(50);
    expect(links.some((l) => l.target.startsWith('#'))).toBe(true);
    expect(links.some((l) => /\.md#/.test(l.target))).toBe(true);
  });
});

describe("GitHub's heading anchors", () => {
  it.each([
    ['Quick start', 'quick-start'],
    ['4. Snapshot while building: the overlap pattern', '4-snapshot-while-building-the-overlap-pattern'],
    ["Under GitHub's local runner (`@github/local-action`)", 'under-githubs-local-runner-githublocal-action'],
    ['A lost create answer: an unknown outcome', 'a-lost-create-answer-an-unknown-outcome'],
    ['The 5-per-server limit and rotation', 'the-5-per-server-limit-and-rotation'],
    ['With `wait: false`', 'with-wait-false'],
    ['[0.1.0] - 2025-01-20', '010---2025-01-20'],
    ['snake_case and  two spaces', 'snake_case-and--two-spaces'],
    ['Émigré ✅ status', 'émigré--status'],
  ])('%s → #%s', (heading, anchor) => {
    expect(slug(heading)).toBe(anchor);
  });

  it('numbers repeated headings -1, -2, and skips those in code blocks', () => {
    const anchors = anchorsOf('# Usage\n## Usage\n```sh\n# Usage\n```\n### Usage\n## Usage 1\n');
    expect([...anchors]).toEqual(['usage', 'usage-1', 'usage-2', 'usage-1-1']);
  });
});

describe('the check itself', () => {
  const root = mkdtempSync(join(tmpdir(), 'links-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'docs'));
  writeFileSync(join(root, 'docs/guide.md'), '# Guide\n\n## Set up\n\n<a id="custom"></a>\n');
  writeFileSync(join(root, 'tool.ts'), 'export {};\n');
  const check = (markdown: string) => {
    writeFileSync(join(root, 'README.md'), markdown);
    return brokenLinks(['README.md'], root);
  };

  it('accepts files, folders, headings, HTML ids, line anchors and external links', () => {
    expect(
      check(
        '# Top\n[a](docs/guide.md) [b](docs/) [c](docs/guide.md#set-up) [d](#top)\n' +
          '[e](docs/guide.md#custom) [f](tool.ts#L1) [g](https://example.com/x#y) ![h](<tool.ts>)\n' +
          '[i]: docs/guide.md#guide\n',
      ),
    ).toEqual([]);
  });

  it('names a link to a file that does not exist, with its line', () => {
    expect(check('# Top\n\nSee [the guide](docs/gide.md).\n')).toEqual([
      'README.md:3: docs/gide.md: no such file or folder',
    ]);
  });

  it('names an anchor that no heading of the target has, in another file and in its own', () => {
    expect(check('# Top\n[a](docs/guide.md#setup)\n[b](#bottom)\n')).toEqual([
      'README.md:2: docs/guide.md#setup: no heading in docs/guide.md has the anchor #setup',
      'README.md:3: #bottom: no heading in README.md has the anchor #bottom',
    ]);
  });

  it('names an anchor into a source file, a link out of the repository, and a reference definition', () => {
    expect(check('[a](tool.ts#main)\n[b](../outside.md)\n\n[c]: docs/none.md\n')).toEqual([
      'README.md:1: tool.ts#main: an anchor into a file that is not Markdown',
      'README.md:2: ../outside.md: points outside the repository',
      'README.md:4: docs/none.md: no such file or folder',
    ]);
  });

  it('does not read links in code', () => {
    expect(check('# Top\n`[a](missing.md)`\n```md\n[b](missing.md)\n```\n')).toEqual([]);
  });
});
