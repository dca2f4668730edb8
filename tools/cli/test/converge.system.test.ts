import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_HOST, type FixtureService } from '@homelab/testing';
import { newIdentity } from '@homelab/kit';
import { homelabAsync, homelabEnv, show } from './deploy-support.js';
import { startFixtureTarget, WAIT_SECONDS, type FixtureTarget } from './fixture-target.js';
import { freeze, startProxy } from './tcp-proxy.js';

// Issue 13: a deploy interrupted at any step, or drift made by hand, is repaired by the next deploy.
// The same test-only sshd + dockerd target as deploy.system.test.ts, with docker-compose v1.
const SECRET_VALUE = `fixture-secret-${Math.random().toString(36).slice(2)}`;

let t: FixtureTarget;
const dockerCompose = (args: readonly string[]) => spawnSync('docker-compose', args, { env: { ...process.env, DOCKER_HOST: t.dockerd.host }, encoding: 'utf8' });

function expectHealthy(revision = ''): void {
  const c = t.containers();
  expect(Object.keys(c).sort()).toEqual(['web1', 'web2', 'web3']);
  for (const [service, state] of Object.entries(c)) expect(state.health, service).toBe('running/healthy');
  expect(c.web1!.revision).toBe(revision);
}

/** The host converged on `release`: it runs healthy, `current` and the record agree, nothing is half done, and a deploy is a no-op. */
function expectConverged(release: string, revision: string): void {
  expect(t.current()).toBe(release);
  const last = t.history().at(-1)!;
  expect([last.release, last.result]).toEqual([release, 'ok']);
  expect(readdirSync(join(t.hostDir(), 'releases')).filter((n) => n.startsWith('.staging'))).toEqual([]);
  expect(existsSync(join(t.hostDir(), 'deploy.pending'))).toBe(false);
  expectHealthy(revision);
  const again = t.cli('deploy', FIXTURE_HOST);
  expect(again.code, show(again)).toBe(0);
  expect(again.stdout).toContain('unchanged');
}

beforeAll(async () => {
  t = await startFixtureTarget(SECRET_VALUE);
}, WAIT_SECONDS * 3000);

afterAll(async () => {
  await t?.stop();
}, WAIT_SECONDS * 1000);

describe('deploy repairs drift made by hand', () => {
  it('deploys, then a second deploy is a no-op', () => {
    const r = t.cli('deploy', FIXTURE_HOST);
    expect(r.code, show(r)).toBe(0);
    expectConverged(t.current(), '');
  });

  it('a container removed by hand: plan says a deploy would apply the release again, and deploy brings it back', () => {
    const release = t.current();
    const web2 = t.containers().web2!.id;
    expect(t.dockerd.docker(['rm', '-f', web2]).code).toBe(0);
    const plan = JSON.parse(t.cli('plan', FIXTURE_HOST, '--json').stdout);
    expect(plan.changed).toBe(true);
    expect(plan.drift).toEqual(['web2 has no container']);
    expect(t.cli('plan', FIXTURE_HOST).stdout).toContain('does not run it as recorded');
    const r = t.cli('deploy', FIXTURE_HOST);
    expect(r.code, show(r)).toBe(0);
    expect(r.stderr).toContain('web2 has no container');
    expect(r.stdout).toContain(`deployed release ${release}`);
    expectConverged(release, '');
  });

  it('a container changed by hand (another definition) or stopped: deploy puts the recorded one back', () => {
    const release = t.current();
    const before = t.containers();
    const cur = join(t.hostDir(), 'current');
    const override = join(t.dir, 'by-hand.yaml');
    spawnSync('sh', ['-c', `printf 'services:\\n  web3:\\n    labels:\\n      by.hand: "yes"\\n' > ${override}`]);
    const byHand = dockerCompose(['-p', FIXTURE_HOST, '--project-directory', cur, '-f', join(cur, 'compose.v1.yaml'), '-f', override, 'up', '-d', '--no-deps', 'web3']);
    expect(byHand.status, byHand.stderr).toBe(0);
    expect(t.containers().web3!.configHash).not.toBe(before.web3!.configHash);
    expect(t.dockerd.docker(['stop', t.containers().web2!.id]).code).toBe(0);
    const plan = JSON.parse(t.cli('plan', FIXTURE_HOST, '--json').stdout);
    // web3 was just recreated by hand: on a loaded machine its healthcheck may still be starting, which plan may say too.
    expect(plan.drift).toEqual(expect.arrayContaining([expect.stringMatching(/^web2 is not healthy/), expect.stringMatching(/^web3's container was changed/)]));
    expect(plan.drift.filter((d: string) => !/^web[23]\b/.test(d))).toEqual([]);
    const r = t.cli('deploy', FIXTURE_HOST, '--force');
    expect(r.code, show(r)).toBe(0);
    expect(t.containers().web3!.configHash).toBe(before.web3!.configHash);
    expectConverged(release, '');
  });
});

describe('a kept release is verified before reuse', () => {
  it('a file removed from and one changed in a kept release are re-uploaded when it is deployed again', () => {
    const first = t.current();
    t.define((list) => list.map((s) => (s.name === 'web1' ? { ...s, revision: 'kept' } : s)));
    const r = t.cli('deploy', FIXTURE_HOST);
    expect(r.code, show(r)).toBe(0);
    const kept = join(t.hostDir(), 'releases', first);
    rmSync(join(kept, 'compose.v1.yaml'));
    spawnSync('sh', ['-c', `echo tampered >> ${join(kept, 'manifest.json')}; rm -f ${join(kept, 'secrets', 'fixture_token')}`]);
    t.define((list) => list.map((s) => (s.name === 'web1' ? { name: s.name, port: s.port, ...(s.secret ? { secret: s.secret } : {}) } : s)));
    const back = t.cli('deploy', FIXTURE_HOST);
    expect(back.code, show(back)).toBe(0);
    expect(back.stderr).toContain('re-uploaded what was missing or differed from its manifest (compose.v1.yaml, manifest.json, secrets/fixture_token)');
    expect(t.current()).toBe(first);
    expectConverged(first, '');
  });
});

describe('a rollback checks the release it returns to', () => {
  it('refuses one that no longer matches its manifest, changing nothing; a deploy of it repairs it', () => {
    const kept = t.current();
    const plain = t.services;
    t.define((list) => list.map((s) => (s.name === 'web1' ? { ...s, revision: 'newer' } : s)));
    const r = t.cli('deploy', FIXTURE_HOST);
    expect(r.code, show(r)).toBe(0);
    const newer = t.current();
    spawnSync('sh', ['-c', `echo '# by hand' >> ${join(t.hostDir(), 'releases', kept, 'compose.yaml')}`]);
    const back = t.cli('rollback', FIXTURE_HOST);
    expect(back.code, show(back)).toBe(1);
    expect(back.stderr).toContain(`[rollback-release-damaged]`);
    expect(back.stderr).toContain(`release ${kept} on vm-fixture no longer matches its manifest (compose.yaml missing or changed)`);
    expect(t.current()).toBe(newer);
    expectHealthy('newer');
    t.define(() => plain);
    const again = t.cli('deploy', FIXTURE_HOST);
    expect(again.code, show(again)).toBe(0);
    expect(again.stderr).toContain('re-uploaded what was missing or differed from its manifest (compose.yaml)');
    expectConverged(kept, '');
  });
});

/** Two releases the interruption tests alternate between, each with its sources and dist/ kept aside. */
interface Variant {
  readonly revision: string;
  readonly services: FixtureService[];
  readonly dist: string;
  release?: string;
}

function prepare(revision: string): Variant {
  t.define((list) => list.map((s) => (s.name === 'web1' ? { ...s, revision } : s)));
  const dist = join(t.dir, `dist-${revision}`);
  cpSync(join(t.lab.hostDir, 'dist'), dist, { recursive: true });
  return { revision, services: t.services, dist };
}

function use(v: Variant): void {
  t.services = v.services;
  t.lab.write(v.services);
  rmSync(join(t.lab.hostDir, 'dist'), { recursive: true, force: true });
  cpSync(v.dist, join(t.lab.hostDir, 'dist'), { recursive: true });
}

const okLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('ok ')).length;

describe('a deploy interrupted at every step it reports converges on the next run', () => {
  let a: Variant;
  let b: Variant;
  let steps = 0;

  beforeAll(() => {
    a = prepare('ra');
    b = prepare('rb');
    for (const v of [a, b]) {
      use(v);
      const r = t.cli('deploy', FIXTURE_HOST);
      expect(r.code, show(r)).toBe(0);
      v.release = t.current();
      steps = Math.max(steps, okLines(r.stderr));
    }
  }, WAIT_SECONDS * 1000);

  /**
   * Deploys the other variant (its release removed from the host first, so it is uploaded),
   * interrupting the run once `k` steps have reported; then deploys again and checks convergence.
   */
  async function interruptAt(k: number, how: 'kill' | 'cut'): Promise<void> {
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
        // A cut: the relay stops forwarding without closing anything, then the deploy dies; its shell on the host lives on.
        if (how === 'cut') freeze(proxy);
        child.kill('SIGKILL');
      };
      const running = homelabAsync(t.lab.root, env, ['deploy', FIXTURE_HOST], (stderr) => {
        if (okLines(stderr) >= k) act();
      }, (c) => {
        child = c;
        if (k === 0) act();
      });
      const killed = await running;
      expect(acted, `the deploy finished before step ${k}:\n${show(killed)}`).toBe(true);
    } finally {
      if (how === 'kill') await proxy.close();
    }
    try {
      const r = t.cli('deploy', FIXTURE_HOST);
      expect(r.code, `interrupted (${how}) after ${k} step(s); the next deploy:\n${show(r)}`).toBe(0);
      if (how === 'cut' && k >= 2) expect(r.stderr).toMatch(/the lock was held by a run whose process is gone|stale lock/);
      expectConverged(next.release!, next.revision);
    } finally {
      await proxy.close();
    }
  }

  it('killed (the connection closes with the process)', async () => {
    expect(steps).toBeGreaterThanOrEqual(6);
    for (let k = 0; k < steps; k++) await interruptAt(k, 'kill');
  }, WAIT_SECONDS * 1000 * 4);

  it('cut silently (no FIN, no RST: the host keeps the session and the lock), then the deploy dies', async () => {
    for (let k = 0; k < steps; k++) await interruptAt(k, 'cut');
  }, WAIT_SECONDS * 1000 * 4);
});

describe('errors that say what happened', () => {
  it('a failed start that changed nothing (no compose command) does not claim a rollback failed; --dry-run finds it first', () => {
    const good = t.current();
    const before = t.containers();
    t.define((list) => list.map((s) => (s.name === 'web2' ? { ...s, revision: 'no-compose' } : s)));
    const env = { ...t.env, HOMELAB_DEPLOY_VM_FIXTURE_COMPOSE: `env DOCKER_HOST=${t.dockerd.host} docker-compose-not-installed` };
    const dry = spawnHomelab(env, 'deploy', FIXTURE_HOST, '--dry-run');
    expect(dry.code, show(dry)).toBe(1);
    expect(dry.stdout).toContain('the compose command `env DOCKER_HOST=');
    expect(dry.stdout).toContain('docker-compose-not-installed` is not installed on vm-fixture');
    const r = spawnHomelab(env, 'deploy', FIXTURE_HOST);
    expect(r.code, show(r)).toBe(1);
    expect(r.stderr).not.toContain('rollback failed');
    expect(r.stderr).not.toContain('Rolling back');
    expect(r.stderr).toContain('The start changed nothing');
    expect(r.stderr).toContain(`current points at ${good} again`);
    expect(t.current()).toBe(good);
    expect(Object.fromEntries(Object.entries(t.containers()).map(([s, c]) => [s, c.id]))).toEqual(Object.fromEntries(Object.entries(before).map(([s, c]) => [s, c.id])));
    const fixed = t.cli('deploy', FIXTURE_HOST);
    expect(fixed.code, show(fixed)).toBe(0);
  });

  it('secrets are decrypted and checked before connecting: a wrong identity stops the deploy with no connection made', async () => {
    t.define((list) => list.map((s) => (s.name === 'web2' ? { ...s, revision: 'secrets-first' } : s)));
    const wrong = await newIdentity();
    // Through a relay that counts connections: the deploy must not open one.
    const proxy = await startProxy(t.sshd.port);
    try {
      const r = await homelabAsync(t.lab.root, { ...t.env, HOMELAB_AGE_IDENTITY: wrong.identity, HOMELAB_DEPLOY_VM_FIXTURE_PORT: String(proxy.port) }, ['deploy', FIXTURE_HOST]);
      expect(r.code, show(r)).toBe(1);
      expect(r.stderr).toContain('[secret-decrypt-failed]');
      expect(proxy.sockets.size).toBe(0);
    } finally {
      await proxy.close();
    }
  });

  it('a read-only release folder is reported as read-only, not as a lost connection or a lock', () => {
    const ro = join(t.dir, 'read-only-root');
    spawnSync('mkdir', ['-p', ro]);
    // The sshd runs in a mount namespace of its own: the read-only mount is made in it.
    const mount = spawnSync('nsenter', ['-t', String(t.sshd.pid), '-m', 'sh', '-c', `mount --bind ${ro} ${ro} && mount -o remount,bind,ro ${ro}`], { encoding: 'utf8' });
    expect(mount.status, mount.stderr).toBe(0);
    const r = spawnHomelab({ ...t.env, HOMELAB_DEPLOY_VM_FIXTURE_ROOT: ro }, 'deploy', FIXTURE_HOST);
    expect(r.code, show(r)).toBe(1);
    expect(r.stderr).toContain('[release-root-read-only]');
    expect(r.stderr).toContain('is on a read-only file system');
    expect(r.stderr).not.toMatch(/connection .* was lost|unknown run/);
  });
});

const spawnHomelab = (env: NodeJS.ProcessEnv, ...args: string[]) => homelabEnv(t.lab.root, env, ...args);
