import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_HOST, type FixtureService } from '@homelab/testing';
import { homelabAsync, show } from './deploy-support.js';
import { startFixtureTarget, WAIT_SECONDS, type FixtureTarget } from './fixture-target.js';
import { freeze, startProxy } from './tcp-proxy.js';

// What the convergence tests share (issue 13): the checks that a host converged, and the run of
// deploys interrupted at every step, one file per way of interrupting (converge-killed,
// converge-cut), each on a fixture target of its own so that the system tier runs them side by side.

/** The fixture host's three services run, each healthy, web1 with `revision`. */
export function expectHealthy(t: FixtureTarget, revision = ''): void {
  const c = t.containers();
  expect(Object.keys(c).sort()).toEqual(['web1', 'web2', 'web3']);
  for (const [service, state] of Object.entries(c)) expect(state.health, service).toBe('running/healthy');
  expect(c.web1!.revision).toBe(revision);
}

/** The host converged on `release`: it runs healthy, `current` and the record agree, nothing is half done, and a deploy is a no-op. */
export function expectConverged(t: FixtureTarget, release: string, revision: string): void {
  expect(t.current()).toBe(release);
  const last = t.history().at(-1)!;
  expect([last.release, last.result]).toEqual([release, 'ok']);
  expect(readdirSync(join(t.hostDir(), 'releases')).filter((n) => n.startsWith('.staging'))).toEqual([]);
  expect(existsSync(join(t.hostDir(), 'deploy.pending'))).toBe(false);
  expectHealthy(t, revision);
  const again = t.cli('deploy', FIXTURE_HOST);
  expect(again.code, show(again)).toBe(0);
  expect(again.stdout).toContain('unchanged');
}

/** Two releases the interruption tests alternate between, each with its sources and dist/ kept aside. */
interface Variant {
  readonly revision: string;
  readonly services: FixtureService[];
  readonly dist: string;
  release?: string;
}

const okLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('ok ')).length;

/**
 * Deploys, interrupting the run once each of its reported steps is done (0, 1, 2...), then deploys
 * again and checks that the host converged. `kill`: the deploy's process is killed (its connection
 * closes with it). `cut`: the relay stops forwarding without closing anything (no FIN, no RST: the
 * host keeps the session and the lock), then the deploy dies; the next run must find the lock stale.
 */
export function interruptedAtEveryStep(how: 'kill' | 'cut', title: string): void {
  const secret = `fixture-secret-${Math.random().toString(36).slice(2)}`;
  let t: FixtureTarget;
  let a: Variant;
  let b: Variant;
  let steps = 0;

  const prepare = (revision: string): Variant => {
    t.define((list) => list.map((s) => (s.name === 'web1' ? { ...s, revision } : s)));
    const dist = join(t.dir, `dist-${revision}`);
    cpSync(join(t.lab.hostDir, 'dist'), dist, { recursive: true });
    return { revision, services: t.services, dist };
  };
  const use = (v: Variant): void => {
    t.services = v.services;
    t.lab.write(v.services);
    rmSync(join(t.lab.hostDir, 'dist'), { recursive: true, force: true });
    cpSync(v.dist, join(t.lab.hostDir, 'dist'), { recursive: true });
  };

  /** Deploys the other variant (its release removed from the host first, so it is uploaded), interrupted once `k` steps have reported. */
  async function interruptAt(k: number): Promise<void> {
    const next = t.current() === a.release ? b : a;
    rmSync(join(t.hostDir(), 'releases', next.release!), { recursive: true, force: true });
    use(next);
    const proxy = await startProxy(t.sshd.port);
    try {
      let acted = false;
      const env = how === 'cut' ? { ...t.env, HOMELAB_DEPLOY_VM_FIXTURE_PORT: String(proxy.port) } : t.env;
      let child: { kill(signal: NodeJS.Signals): void } | undefined;
      const act = () => {
        if (acted || !child) return;
        acted = true;
        if (how === 'cut') freeze(proxy);
        child.kill('SIGKILL');
      };
      const killed = await homelabAsync(t.lab.root, env, ['deploy', FIXTURE_HOST], (stderr) => {
        if (okLines(stderr) >= k) act();
      }, (c) => {
        child = c;
        if (k === 0) act();
      });
      expect(acted, `the deploy finished before step ${k}:\n${show(killed)}`).toBe(true);
    } finally {
      if (how === 'kill') await proxy.close();
    }
    try {
      const r = t.cli('deploy', FIXTURE_HOST);
      expect(r.code, `interrupted (${how}) after ${k} step(s); the next deploy:\n${show(r)}`).toBe(0);
      if (how === 'cut' && k >= 2) expect(r.stderr).toMatch(/the lock was held by a run whose process is gone|stale lock/);
      expectConverged(t, next.release!, next.revision);
    } finally {
      await proxy.close();
    }
  }

  describe('a deploy interrupted at every step it reports converges on the next run', () => {
    beforeAll(async () => {
      t = await startFixtureTarget(secret);
      a = prepare('ra');
      b = prepare('rb');
      for (const v of [a, b]) {
        use(v);
        const r = t.cli('deploy', FIXTURE_HOST);
        expect(r.code, show(r)).toBe(0);
        v.release = t.current();
        steps = Math.max(steps, okLines(r.stderr));
      }
    }, WAIT_SECONDS * 3000);

    afterAll(async () => {
      await t?.stop();
    }, WAIT_SECONDS * 1000);

    it(title, async () => {
      expect(steps).toBeGreaterThanOrEqual(6);
      for (let k = 0; k < steps; k++) await interruptAt(k);
    }, WAIT_SECONDS * 1000 * 4);
  });
}
