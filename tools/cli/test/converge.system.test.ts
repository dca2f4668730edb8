import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_HOST } from '@homelab/testing';
import { newIdentity } from '@homelab/kit';
import { homelabAsync, homelabEnv, show } from './deploy-support.js';
import { expectConverged, expectHealthy } from './converge-support.js';
import { startFixtureTarget, WAIT_SECONDS, type FixtureTarget } from './fixture-target.js';
import { startProxy } from './tcp-proxy.js';

// Issue 13: drift made by hand is repaired by the next deploy (a deploy interrupted at any step:
// converge-killed and converge-cut.system.test.ts).
// The same test-only sshd + dockerd target as deploy.system.test.ts, with docker-compose v1.
const SECRET_VALUE = `fixture-secret-${Math.random().toString(36).slice(2)}`;

let t: FixtureTarget;
const dockerCompose = (args: readonly string[]) => spawnSync('docker-compose', args, { env: { ...process.env, DOCKER_HOST: t.dockerd.host }, encoding: 'utf8' });

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
    expectConverged(t, t.current(), '');
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
    expectConverged(t, release, '');
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
    expectConverged(t, release, '');
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
    expectConverged(t, first, '');
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
    expectHealthy(t, 'newer');
    t.define(() => plain);
    const again = t.cli('deploy', FIXTURE_HOST);
    expect(again.code, show(again)).toBe(0);
    expect(again.stderr).toContain('re-uploaded what was missing or differed from its manifest (compose.yaml)');
    expectConverged(t, kept, '');
  });
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
