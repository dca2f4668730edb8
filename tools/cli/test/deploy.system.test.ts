import { lstatSync, readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_HOST, snapshotDir, type FixtureLab, type FixtureService, type TestDockerd, type TestSshd } from '@homelab/testing';
import { cutAfter, startProxy, type TcpProxy } from './tcp-proxy.js';
import { homelabAsync, homelabEnv, show, transcript } from './deploy-support.js';
import { deployInProcess } from './deploy-in-process.js';
import { containersOf, startFixtureTarget, WAIT_SECONDS, type FixtureTarget } from './fixture-target.js';

// Scenarios 1-8 of issue 5, for real: a test-only sshd on 127.0.0.1 and a test-only dockerd, a
// fixture host of three busybox httpd services with healthchecks, docker-compose v1 as the
// compose command, the real `homelab` command doing the deploys.
const SECRET_VALUE = `fixture-secret-${Math.random().toString(36).slice(2)}`;

let target: FixtureTarget;
let sshd: TestSshd;
let dockerd: TestDockerd;
let lab: FixtureLab;
let env: NodeJS.ProcessEnv;
let releaseRoot: string;
let services: FixtureService[];

const hostDir = () => join(releaseRoot, FIXTURE_HOST);
const current = () => readlinkSync(join(hostDir(), 'current')).replace(/^releases\//, '');
const releases = () => readdirSync(join(hostDir(), 'releases')).sort();
const cli = (...args: string[]) => homelabEnv(lab.root, env, ...args);

function containers(): Record<string, { id: string; health: string; revision: string }> {
  return containersOf(dockerd);
}

function ids(): Record<string, string> {
  return Object.fromEntries(Object.entries(containers()).map(([s, c]) => [s, c.id]));
}

function expectAllHealthy(): void {
  const c = containers();
  expect(Object.keys(c).sort()).toEqual(['web1', 'web2', 'web3']);
  for (const [service, state] of Object.entries(c)) expect(state.health, service).toBe('running/healthy');
}

function define(change: (s: FixtureService[]) => FixtureService[]): void {
  target.define(change);
  services = target.services;
}

const withRevision = (name: string, revision: string) => (list: FixtureService[]) => list.map((s) => (s.name === name ? { ...s, revision } : s));

beforeAll(async () => {
  target = await startFixtureTarget(SECRET_VALUE);
  ({ sshd, dockerd, lab, env, releaseRoot, services } = target);
}, WAIT_SECONDS * 3000);

afterAll(async () => {
  await target?.stop();
}, WAIT_SECONDS * 1000);

describe('homelab deploy against a real sshd and dockerd', () => {
  it('deploys the fixture host: three healthy services, `current` pointing at the release', () => {
    const plan = cli('plan', FIXTURE_HOST, '--json');
    expect(plan.code, show(plan)).toBe(0);
    const doc = JSON.parse(plan.stdout);
    expect(doc.changed).toBe(true);
    expect(doc.current).toBeUndefined();
    expect(doc.services.create).toEqual(['web1', 'web2', 'web3']);

    const r = cli('deploy', FIXTURE_HOST);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toContain(`deployed release ${doc.release}`);
    expect(current()).toBe(doc.release);
    expectAllHealthy();
  });

  it('1. deploys again unchanged: nothing uploaded, no container recreated', () => {
    const before = ids();
    const kept = releases();
    const stamp = statSync(join(hostDir(), 'releases', current())).mtimeMs;
    const r = cli('deploy', FIXTURE_HOST);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toContain('unchanged');
    expect(r.stderr).not.toMatch(/upload|switch|up -d/);
    expect(ids()).toEqual(before);
    expect(releases()).toEqual(kept);
    expect(statSync(join(hostDir(), 'releases', current())).mtimeMs).toBe(stamp);
  });

  it('plan shows the diff of one changed service and the record of the current deploy', () => {
    define(withRevision('web2', 'r2'));
    const r = cli('plan', FIXTURE_HOST);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toMatch(/changed\s+compose\.yaml/);
    expect(r.stdout).toMatch(/\+\s+fixture\.revision: r2/);
    expect(r.stdout).toMatch(/recreate\s+web2\n/);
    expect(r.stdout).toContain('deployed by tester@ci, commit fixture');
    const doc = JSON.parse(cli('plan', FIXTURE_HOST, '--json').stdout);
    expect(doc.services.recreate).toEqual(['web2']);
    expect(doc.services.unchanged).toEqual(['web1', 'web3']);
    expect(doc.record).toMatchObject({ by: 'tester@ci', commit: 'fixture' });
  });

  it('2. one service changed: exactly that container is recreated', () => {
    const before = ids();
    const r = cli('deploy', FIXTURE_HOST);
    expect(r.code, show(r)).toBe(0);
    const after = ids();
    expect(after.web1).toBe(before.web1);
    expect(after.web3).toBe(before.web3);
    expect(after.web2).not.toBe(before.web2);
    expect(containers().web2!.revision).toBe('r2');
    expectAllHealthy();
  });

  it('3. a release whose healthcheck fails: exit 1, and the previous release runs healthy again', () => {
    const good = current();
    define((list) => list.map((s) => (s.name === 'web3' ? { ...s, healthPath: '/no-such-page' } : s)));
    const r = cli('deploy', FIXTURE_HOST);
    expect(r.code, show(r)).toBe(1);
    expect(r.stderr).toContain('web3 is not healthy');
    expect(r.stderr).toContain(`Rolled back: ${good} runs again and is healthy`);
    expect(current()).toBe(good);
    expectAllHealthy();
    define((list) => list.map((s) => (s.name === 'web3' ? { name: s.name, port: s.port } : s)));
    expect(cli('plan', FIXTURE_HOST, '--json').stdout).toContain('"changed": false');
  });

  it('4. the connection cut in the middle of the upload: the running release is untouched, the next deploy succeeds', async () => {
    const good = current();
    const before = ids();
    define(withRevision('web1', 'r4'));
    const proxy: TcpProxy = await startProxy(sshd.port);
    try {
      const error = await deployInProcess(lab, { ...env, [`HOMELAB_DEPLOY_VM_FIXTURE_PORT`]: String(proxy.port) }, (title) => {
        if (title.startsWith('upload')) cutAfter(proxy, 1000);
      });
      expect(error).toMatch(/connection to vm-fixture .* was lost/);
      expect(proxy.cut).toBe(true);
    } finally {
      await proxy.close();
    }
    expect(current()).toBe(good);
    expect(ids()).toEqual(before);
    expectAllHealthy();
    const r = cli('deploy', FIXTURE_HOST, '--wait', String(WAIT_SECONDS));
    expect(r.code, show(r)).toBe(0);
    expect(r.stderr).toMatch(/stale lock was left by a run that ended without releasing it \(deploy by tester@ci/);
    expect(containers().web1!.revision).toBe('r4');
    expect(readdirSync(join(hostDir(), 'releases'), { withFileTypes: true }).filter((e) => e.name.startsWith('.staging'))).toEqual([]);
  });

  it('5. two deploys at once: one proceeds, the other refuses with the lock holder (or waits with --wait)', async () => {
    define(withRevision('web2', 'r5'));
    let startSecond: () => void;
    const locked = new Promise<void>((resolve) => (startSecond = resolve));
    const first = homelabAsync(lab.root, env, ['deploy', FIXTURE_HOST], (err) => {
      if (/ok\s+lock vm-fixture/.test(err)) startSecond();
    });
    await locked;
    const [refused, waited] = await Promise.all([homelabAsync(lab.root, env, ['deploy', FIXTURE_HOST]), homelabAsync(lab.root, env, ['deploy', FIXTURE_HOST, '--wait', String(WAIT_SECONDS)])]);
    const done = await first;
    expect(done.code, show(done)).toBe(0);
    expect(refused.code, show(refused)).toBe(1);
    expect(refused.stderr).toContain('[deploy-locked]');
    expect(refused.stderr).toMatch(/locked by another deploy: deploy by tester@ci \(commit fixture\) since/);
    expect(waited.code, show(waited)).toBe(0);
    expect(waited.stderr).toContain(`waiting up to ${WAIT_SECONDS}s for the deploy by tester@ci`);
    expect(waited.stdout).toContain('unchanged');
    expectAllHealthy();
  });

  it('6. a wrong pinned host key: refused before anything is sent', async () => {
    const accepted = () => (sshd.log().match(/Accepted publickey/g) ?? []).length;
    const before = accepted();
    const snapshot = snapshotDir(hostDir());
    define(withRevision('web3', 'r6'));
    const wrong = 'SHA256:' + Buffer.alloc(32, 7).toString('base64').replace(/=+$/, '');
    const r = homelabEnv(lab.root, { ...env, HOMELAB_DEPLOY_VM_FIXTURE_HOSTKEY: wrong }, 'deploy', FIXTURE_HOST);
    expect(r.code, show(r)).toBe(1);
    expect(r.stderr).toContain('[host-key-mismatch]');
    expect(r.stderr).toContain(`it offers host key ${sshd.hostKey}`);
    expect(r.stderr).toContain('Nothing was sent');
    await new Promise((res) => setTimeout(res, 300));
    expect(accepted()).toBe(before);
    expect(snapshotDir(hostDir())).toEqual(snapshot);
  });

  it('7. rollback after a good deploy returns to the previous release', () => {
    const previous = current();
    const r = cli('deploy', FIXTURE_HOST);
    expect(r.code, show(r)).toBe(0);
    const deployed = current();
    expect(deployed).not.toBe(previous);
    expect(containers().web3!.revision).toBe('r6');
    const back = cli('rollback', FIXTURE_HOST);
    expect(back.code, show(back)).toBe(0);
    expect(back.stdout).toContain(`rolled back to release ${previous} (was ${deployed})`);
    expect(current()).toBe(previous);
    expect(containers().web3!.revision).toBe('');
    expectAllHealthy();
    const plan = JSON.parse(cli('plan', FIXTURE_HOST, '--json').stdout);
    expect(plan.history[0]).toMatchObject({ action: 'rollback', release: previous, result: 'ok', by: 'tester@ci' });
  });

  it('8. secrets arrive owned by their reader (root, as the fixture image runs), 0400, and appear in no dist/ file and no output', () => {
    const file = join(hostDir(), 'current', 'secrets', 'fixture_token');
    const st = statSync(file);
    expect((st.mode & 0o777).toString(8)).toBe('400');
    expect(st.uid).toBe(0);
    expect((statSync(join(hostDir(), 'current', 'secrets')).mode & 0o777).toString(8)).toBe('700');
    expect(readFileSync(file, 'utf8')).toBe(SECRET_VALUE);
    const web1 = containers().web1!.id;
    expect(dockerd.docker(['exec', web1, 'cat', '/run/secrets/fixture_token']).stdout).toBe(SECRET_VALUE);
    for (const [path, content] of Object.entries(snapshotDir(join(lab.hostDir, 'dist')))) expect(content, path).not.toContain(SECRET_VALUE);
    for (const [path, content] of Object.entries(snapshotDir(hostDir()))) {
      if (!path.split('/').includes('secrets')) expect(content, path).not.toContain(SECRET_VALUE);
    }
    expect(lstatSync(join(hostDir(), 'current')).isSymbolicLink()).toBe(true);
    expect(transcript.length).toBeGreaterThan(10);
    for (const output of transcript) expect(output).not.toContain(SECRET_VALUE);
  });

  it('9. a secret\'s reader runs as 1000: the next deploy gives it the file (1000:1000, 0400) and it reads it', () => {
    const web1 = services.find((s) => s.name === 'web1')!;
    expect(web1.secret).toBe('fixture_token');
    define((list) => list.map((s) => (s.name === 'web1' ? { ...s, user: '1000:1000' } : s)));
    const r = cli('deploy', FIXTURE_HOST);
    expect(r.code, show(r)).toBe(0);
    const st = statSync(join(hostDir(), 'current', 'secrets', 'fixture_token'));
    expect([st.uid, st.gid, (st.mode & 0o777).toString(8)]).toEqual([1000, 1000, '400']);
    expectAllHealthy();
    const read = dockerd.docker(['exec', containers().web1!.id, 'sh', '-c', '/bin/busybox id -u; cat /run/secrets/fixture_token']);
    expect(read.stdout).toBe(`1000\n${SECRET_VALUE}`);
  });

  it('keeps the last releases only', () => {
    expect(releases().length).toBeLessThanOrEqual(5);
  });
});
