import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// What the workflows promise beyond actionlint's checks (tools/cli/test/workflows.test.ts lints them).
const root = join(import.meta.dirname, '..', '..', '..');
const dir = join(root, '.github', 'workflows');
const files = [...readdirSync(dir).map((f) => join(dir, f)), join(root, '.github', 'actions', 'setup', 'action.yml')];
const text = (name: string) => readFileSync(join(dir, name), 'utf8');

interface Job {
  needs?: string | string[];
  if?: string;
  environment?: string;
  strategy?: { matrix?: { include?: string } };
}
const jobs = (name: string) => (parse(text(name)) as { jobs: Record<string, Job> }).jobs;

describe('the workflows', () => {
  it('pin every action by commit SHA with the version in a comment (Renovate updates both)', () => {
    let remote = 0;
    for (const file of files) {
      for (const m of readFileSync(file, 'utf8').matchAll(/uses:\s*(\S+)(.*)$/gm)) {
        if (m[1]!.startsWith('./')) continue;
        remote++;
        expect(m[1], file).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
        expect(m[2], `${file}: ${m[1]}`).toMatch(/^ # v\d+(\.\d+)*$/);
      }
    }
    expect(remote).toBeGreaterThan(5);
  });

  it('ci: the required `success` job waits for every other job and fails on any failed or cancelled one', () => {
    const ci = jobs('ci.yml');
    const others = Object.keys(ci).filter((j) => j !== 'success');
    expect(ci.success!.needs).toEqual(others);
    expect(ci.success!.if).toBe('always()');
    expect(text('ci.yml')).toMatch(/case "\$r" in success\|skipped\) ;; \*\) .*exit 1/);
  });

  it('ci: the system tier and the twin run when tools/ or the workflows change, and nightly', () => {
    const ci = jobs('ci.yml');
    for (const tier of ['system', 'twin']) expect(ci[tier]!.if).toBe("needs.changes.outputs.deep == 'true'");
    expect(text('ci.yml')).toContain("grep -qE '^(tools/|\\.github/workflows/)'");
    expect(text('ci.yml')).toMatch(/schedule:\n\s+- cron:/);
  });

  it('deploy: one job per host, in the environment named after it, based on its deployed/<host> tag', () => {
    const deploy = jobs('deploy.yml').deploy!;
    expect(deploy.environment).toBe('${{ matrix.host }}');
    expect(deploy.strategy!.matrix!.include).toBe('${{ fromJSON(needs.plan.outputs.matrix) }}');
    expect(text('deploy.yml')).toContain('git push -f origin "refs/tags/deployed/$HOST"');
    expect(text('deploy.yml')).toContain('ci-step notify --kind deploy-failed');
  });

  it('cache the pnpm store and the Nx cache', () => {
    const setup = readFileSync(files.at(-1)!, 'utf8');
    expect(setup).toContain('path: ${{ env.PNPM_STORE }}');
    expect(setup).toContain('path: .nx/cache');
  });
});
