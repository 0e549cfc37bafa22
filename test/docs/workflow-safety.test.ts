// Every workflow this repository runs or shows its users is safe to copy: no ${{ }} expression inside a
// run: script (values reach scripts through env:), and permissions: set. zizmor has such a rule, but it is
// not on the npm registry; this is the same check for this repository's workflows and README.
import { describe, expect, it } from 'vitest';
import { problemsIn, workflowSources, type YamlSource } from './workflows.ts';

const sources = workflowSources();

describe('the workflows in examples/, .github/workflows/ and the Markdown files (docs/ too)', () => {
  it('are all found', () => {
    const files = new Set(sources.map((s) => s.file));
    expect([...files].filter((f) => f.startsWith('examples/')).length).toBeGreaterThanOrEqual(6);
    expect([...files].filter((f) => f.startsWith('.github/workflows/')).length).toBeGreaterThanOrEqual(5);
    expect(sources.filter((s) => s.file === 'README.md').length).toBeGreaterThanOrEqual(6);
    expect(sources.filter((s) => s.file.startsWith('docs/')).length).toBeGreaterThanOrEqual(3);
  });

  it.each(sources.map((s) => [`${s.file}:${s.firstLine}`, s] as const))('%s is safe to copy', (_, source) => {
    expect(problemsIn(source)).toEqual([]);
  });
});

function source(text: string, complete = true): YamlSource {
  return { file: 'examples/bad.yml', text, firstLine: 1, complete };
}

describe('the check itself', () => {
  const workflow = (step: string, permissions = 'permissions:\n  contents: read\n') =>
    `name: x\non: push\n${permissions}jobs:\n  housekeeping:\n    runs-on: ubuntu-latest\n    steps:\n      - id: list\n        uses: your-org/vps-snapshot-action@v1\n${step}`;

  it('names the file, line, job and step of an expression in a run: script', () => {
    const bad = workflow(
      `      - name: Show them\n        run: echo '\${{ steps.list.outputs.snapshots }}' | jq -r '.[].id'\n`,
    );
    expect(problemsIn(source(bad))).toEqual([
      `examples/bad.yml:12: job 'housekeeping', step 2 'Show them': run expands \${{ steps.list.outputs.snapshots }} into the script; pass it through env: and use the variable`,
    ]);
  });

  it('finds it in a multi-line script and in a bare steps fragment, at the right line of a Markdown block', () => {
    const fragment = `- id: snapshot\n  uses: your-org/vps-snapshot-action@v1\n- run: |\n    set -e\n    echo "\${{ fromJSON(steps.snapshot.outputs.snapshot_ids)['12345'] }}"\n`;
    expect(problemsIn({ file: 'README.md', text: fragment, firstLine: 40, complete: false })).toEqual([
      `README.md:42: a steps fragment, step 2: run expands \${{ fromJSON(steps.snapshot.outputs.snapshot_ids)['12345'] }} into the script; pass it through env: and use the variable`,
    ]);
  });

  it("finds it in actions/github-script's script", () => {
    const bad = workflow(
      `      - uses: actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea # v7.0.1\n        with:\n          script: console.log('\${{ github.head_ref }}')\n`,
    );
    expect(problemsIn(source(bad))).toHaveLength(1);
  });

  it('accepts values passed through env:, and expressions outside scripts', () => {
    const good = workflow(
      `      - if: \${{ steps.list.outputs.status == 'listed' }}\n        env:\n          SNAPSHOTS: \${{ steps.list.outputs.snapshots }}\n        run: printf '%s' "$SNAPSHOTS" | jq -r '.[].id'\n`,
    );
    expect(problemsIn(source(good))).toEqual([]);
  });

  it('wants permissions: on the workflow or on every job', () => {
    const noPermissions = workflow('      - run: ./deploy.sh\n', '');
    expect(problemsIn(source(noPermissions))).toEqual([
      "examples/bad.yml:1: job 'housekeeping' runs with the default token permissions: set permissions: for the workflow or the job",
    ]);
    const perJob = noPermissions.replace('    runs-on:', '    permissions: {}\n    runs-on:');
    expect(problemsIn(source(perJob))).toEqual([]);
  });

  it('wants a workflow file to be a whole workflow, and valid YAML', () => {
    expect(problemsIn(source('- run: echo hi\n'))).toEqual([
      'examples/bad.yml:1: not a workflow (no top-level mapping)',
    ]);
    expect(problemsIn(source('jobs: {}\n'))).toEqual([
      'examples/bad.yml:1: a workflow file without on: and jobs:',
    ]);
    expect(problemsIn(source('on: push\njobs:\n  a: [\n'))[0]).toMatch(
      /^examples\/bad\.yml:\d+: not valid YAML/,
    );
  });
});
