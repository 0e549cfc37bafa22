// The issue forms in .github/ISSUE_TEMPLATE/ are read by GitHub, not by actionlint: a form that breaks
// GitHub's schema is silently not offered. This checks the parts of the schema they use, and that the
// bug form asks for what a report needs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const DIR = join(import.meta.dirname, '../../.github/ISSUE_TEMPLATE');
const read = (name: string) => parse(readFileSync(join(DIR, name), 'utf8')) as Record<string, unknown>;

interface Element {
  type: string;
  id?: string;
  attributes?: { label?: string; value?: string; description?: string; options?: unknown[] };
  validations?: { required?: boolean };
}

/** What GitHub would refuse in an issue form, one line each. */
function formProblems(form: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const key of ['name', 'description'])
    if (typeof form[key] !== 'string' || !form[key]) problems.push(`no ${key}`);
  const body = form.body as Element[] | undefined;
  if (!Array.isArray(body) || !body.some((e) => e.type !== 'markdown')) return [...problems, 'no fields'];
  const ids = new Set<string>();
  body.forEach((e, i) => {
    const at = `body[${i}]`;
    if (!['markdown', 'input', 'textarea', 'dropdown', 'checkboxes'].includes(e.type))
      problems.push(`${at}: unknown type ${e.type}`);
    if (e.type === 'markdown') {
      if (!e.attributes?.value) problems.push(`${at}: markdown without a value`);
      return;
    }
    if (!e.attributes?.label) problems.push(`${at}: no label`);
    if (e.id === undefined || !/^[A-Za-z0-9_-]+$/.test(e.id) || ids.has(e.id))
      problems.push(`${at}: a missing, malformed or repeated id`);
    else ids.add(e.id);
    if ((e.type === 'dropdown' || e.type === 'checkboxes') && !e.attributes?.options?.length)
      problems.push(`${at}: ${e.type} without options`);
  });
  return problems;
}

describe('the issue forms', () => {
  it.each(['bug.yml', 'feature.yml'])('%s follows the issue-form schema', (name) => {
    expect(formProblems(read(name))).toEqual([]);
  });

  it('the bug form requires the version, the runner, the step and a debug log', () => {
    const body = read('bug.yml').body as Element[];
    const required = body.filter((e) => e.validations?.required).map((e) => e.id);
    expect(required).toEqual(expect.arrayContaining(['version', 'runner', 'runner-os', 'step', 'log']));
    const runner = body.find((e) => e.id === 'runner');
    expect(runner?.attributes?.options).toEqual(expect.arrayContaining(['GitHub-hosted', 'Self-hosted']));
    expect(body.find((e) => e.id === 'log')?.attributes?.description).toContain('ACTIONS_STEP_DEBUG');
  });

  it('config.yml turns blank issues off and points security reports to a private advisory', () => {
    const config = read('config.yml') as {
      blank_issues_enabled: unknown;
      contact_links: Record<string, string>[];
    };
    expect(config.blank_issues_enabled).toBe(false);
    for (const link of config.contact_links) {
      expect(Object.keys(link).sort()).toEqual(['about', 'name', 'url']);
      expect(link.url).toMatch(/^https:\/\//);
    }
    expect(config.contact_links.map((l) => l.url)).toContainEqual(
      expect.stringMatching(/\/security\/advisories\/new$/),
    );
  });
});

describe('the check itself', () => {
  it('finds a form without fields, an unknown type, a repeated id and a dropdown without options', () => {
    expect(
      formProblems({ name: 'x', description: 'y', body: [{ type: 'markdown', attributes: { value: 'v' } }] }),
    ).toEqual(['no fields']);
    const body = [
      { type: 'input', id: 'a', attributes: { label: 'A' } },
      { type: 'textbox', id: 'b', attributes: { label: 'B' } },
      { type: 'textarea', id: 'a', attributes: { label: 'C' } },
      { type: 'dropdown', id: 'd', attributes: { label: 'D', options: [] } },
    ];
    expect(formProblems({ name: 'x', body })).toEqual([
      'no description',
      'body[1]: unknown type textbox',
      'body[2]: a missing, malformed or repeated id',
      'body[3]: dropdown without options',
    ]);
  });
});
