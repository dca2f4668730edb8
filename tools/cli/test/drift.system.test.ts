import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_HOST, fixtureTargetEnv, freePort, importBusybox, makeFixtureLab, startDockerd, startSshd, type FixtureLab, type TestDockerd, type TestSshd } from '@homelab/testing';
import { homelabEnv, show, type CliRun } from './deploy-support.js';

// `homelab drift` against the real sshd + dockerd target (docker-compose v1): clean after a
// deploy; a container removed by hand, a file of the current release changed, a container
// recreated from another definition are each found, with exit 1; repaired by hand, clean again.
let dir: string;
let sshd: TestSshd;
let dockerd: TestDockerd;
let lab: FixtureLab;
let env: NodeJS.ProcessEnv;
let releaseRoot: string;

const cli = (...args: string[]) => homelabEnv(lab.root, env, ...args);
const current = () => join(releaseRoot, FIXTURE_HOST, 'current');

interface DriftDoc {
  ok: boolean;
  findings: { code: string; severity: string; path: string; host: string; what: string; expected: string; actual: string }[];
  hosts: { host: string; release?: string; drifted?: number; error?: { code: string } }[];
}

function drift(): { r: CliRun; doc: DriftDoc } {
  const r = cli('drift', FIXTURE_HOST, '--json');
  return { r, doc: JSON.parse(r.stdout) as DriftDoc };
}

/** docker-compose v1 on the current release, as someone on the host would run it. */
function compose(file: string, ...args: string[]): void {
  const r = dockerCompose(['-p', FIXTURE_HOST, '--project-directory', current(), '-f', file, ...args]);
  expect(r.code, r.stderr).toBe(0);
}

function dockerCompose(args: string[]): { code: number; stderr: string } {
  const r = spawnSync('docker-compose', args, { cwd: current(), env: { ...process.env, DOCKER_HOST: dockerd.host }, encoding: 'utf8' });
  return { code: r.status ?? -1, stderr: r.stderr };
}

function containerOf(service: string): string {
  return dockerd.docker(['ps', '-aq', '--filter', `label=com.docker.compose.project=${FIXTURE_HOST}`, '--filter', `label=com.docker.compose.service=${service}`]).stdout.trim();
}

function expectClean(): void {
  const { r, doc } = drift();
  expect(r.code, show(r)).toBe(0);
  expect(doc.findings).toEqual([]);
  expect(doc.hosts[0]?.drifted).toBe(0);
  // The files compose v1 hashed from are removed again.
  expect(readdirSync(join(releaseRoot, FIXTURE_HOST)).filter((f) => f.startsWith('.drift-'))).toEqual([]);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'homelab-drift-sys-'));
  releaseRoot = join(dir, 'releases-root');
  [sshd, dockerd] = await Promise.all([startSshd(join(dir, 'sshd')), startDockerd(join(dir, 'docker'))]);
  importBusybox(dockerd, join(dir, 'image'));
  lab = makeFixtureLab([
    { name: 'web1', port: await freePort() },
    { name: 'web2', port: await freePort() },
    { name: 'web3', port: await freePort() },
  ]);
  env = { ...process.env, CI: 'true', ...fixtureTargetEnv(FIXTURE_HOST, sshd, releaseRoot, dockerd) };
  delete env.SSH_AUTH_SOCK;
  for (const args of [['build', FIXTURE_HOST], ['deploy', FIXTURE_HOST]]) {
    const r = cli(...args);
    expect(r.code, show(r)).toBe(0);
  }
}, 240_000);

afterAll(async () => {
  await dockerd?.stop();
  await sshd?.stop();
  lab?.remove();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('homelab drift against a real sshd and dockerd', () => {
  it('finds nothing on a host just deployed (exit 0), and says so', () => {
    expectClean();
    const r = cli('drift', FIXTURE_HOST);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${FIXTURE_HOST}: no drift \\(release [0-9a-f]{16}\\)$`, 'm'));
  });

  it('finds a container removed by hand; compose up puts it back and drift is clean again', () => {
    expect(dockerd.docker(['rm', '-f', containerOf('web2')]).code).toBe(0);
    const { r, doc } = drift();
    expect(r.code, show(r)).toBe(1);
    expect(doc.findings.map((f) => [f.code, f.path, f.expected, f.actual])).toEqual([['drift-container-missing', `${FIXTURE_HOST}/containers/web2`, 'a container', 'none']]);
    const text = cli('drift', FIXTURE_HOST);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('[drift-container-missing]');
    compose('compose.v1.yaml', 'up', '-d');
    expectClean();
  }, 120_000);

  it('finds a file of the current release changed on the host', () => {
    const manifest = JSON.parse(readFileSync(join(current(), 'manifest.json'), 'utf8')) as { artifacts: { path: string; sha256: string }[] };
    const file = manifest.artifacts.find((a) => a.path === 'compose.yaml')!;
    const path = join(current(), file.path);
    const before = readFileSync(path, 'utf8');
    appendFileSync(path, '# edited on the host\n');
    try {
      const { r, doc } = drift();
      expect(r.code, show(r)).toBe(1);
      expect(doc.findings.map((f) => [f.code, f.what])).toEqual([['drift-file', 'files/compose.yaml']]);
      expect(doc.findings[0]!.expected).toBe(`sha256 ${file.sha256.slice(0, 12)}`);
    } finally {
      writeFileSync(path, before);
    }
    expectClean();
  }, 120_000);

  it('finds compose.v1.yaml (what docker-compose v1 runs, outside the manifest) edited on the host', () => {
    const path = join(current(), 'compose.v1.yaml');
    const before = readFileSync(path, 'utf8');
    writeFileSync(path, before.replace(/^( {2}web1:\n)/m, '$1    environment:\n      EDITED_BY_HAND: "1"\n'));
    try {
      const { r, doc } = drift();
      expect(r.code, show(r)).toBe(1);
      expect(doc.findings.map((f) => [f.code, f.what])).toEqual([['drift-file', 'files/compose.v1.yaml']]);
    } finally {
      writeFileSync(path, before);
    }
    expectClean();
  }, 120_000);

  it('finds a container recreated by hand from another definition (other environment)', () => {
    const edited = join(dir, 'edited.yaml');
    const v1 = readFileSync(join(current(), 'compose.v1.yaml'), 'utf8');
    writeFileSync(edited, v1.replace(/^( {2}web3:\n)/m, '$1    environment:\n      EDITED_BY_HAND: "1"\n'));
    expect(readFileSync(edited, 'utf8')).toContain('EDITED_BY_HAND');
    const before = containerOf('web3');
    compose(edited, 'up', '-d', '--no-deps', 'web3');
    expect(containerOf('web3')).not.toBe(before);
    const { r, doc } = drift();
    expect(r.code, show(r)).toBe(1);
    expect(doc.findings.map((f) => [f.code, f.what])).toEqual([['drift-container-config', 'containers/web3']]);
    expect(doc.findings[0]!.expected).not.toBe(doc.findings[0]!.actual);
    compose('compose.v1.yaml', 'up', '-d');
    expectClean();
  }, 120_000);

  it('exits 2 with the error when the host cannot be reached, and names the closest host for a typo', async () => {
    const saved = env;
    env = { ...env, HOMELAB_DEPLOY_VM_FIXTURE_PORT: String(await freePort()) };
    try {
      const { r, doc } = drift();
      expect(r.code, show(r)).toBe(2);
      expect(doc.hosts[0]?.error?.code).toMatch(/^ssh-/);
    } finally {
      env = saved;
    }
    const typo = cli('drift', 'vm-fixtur');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('Did you mean "vm-fixture"?');
  }, 60_000);
});
