import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FIXTURE_HOST,
  fixtureTargetEnv,
  freePort,
  importBusybox,
  makeFixtureLab,
  startDockerd,
  startSshd,
  type FixtureLab,
  type FixtureService,
  type TestDockerd,
  type TestSshd,
} from '@homelab/testing';
import { encryptValue, newIdentity } from '@homelab/kit';
import { homelabEnv, show, type CliRun } from './deploy-support.js';

/** A generous bound for anything a system test waits on (HOMELAB_TEST_WAIT_SECONDS): never a measure of speed. */
export const WAIT_SECONDS = Number(process.env.HOMELAB_TEST_WAIT_SECONDS ?? 120);

export interface ContainerSeen {
  readonly id: string;
  /** status/health, e.g. running/healthy. */
  readonly health: string;
  readonly revision: string;
  readonly configHash: string;
}

/** The fixture host on a test-only sshd and dockerd, with the helpers every deploy test reads the host with. */
export interface FixtureTarget {
  readonly dir: string;
  readonly sshd: TestSshd;
  readonly dockerd: TestDockerd;
  readonly lab: FixtureLab;
  readonly env: NodeJS.ProcessEnv;
  readonly releaseRoot: string;
  services: FixtureService[];
  hostDir(): string;
  current(): string;
  releases(): string[];
  history(): Array<{ release: string; result: string; action: string }>;
  containers(): Record<string, ContainerSeen>;
  cli(...args: string[]): CliRun;
  /** Rewrites the services and rebuilds dist/. */
  define(change: (s: FixtureService[]) => FixtureService[]): void;
  stop(): Promise<void>;
}

export async function startFixtureTarget(secretValue: string): Promise<FixtureTarget> {
  const dir = mkdtempSync(join(tmpdir(), 'homelab-deploy-sys-'));
  const releaseRoot = join(dir, 'releases-root');
  const [sshd, dockerd] = await Promise.all([startSshd(join(dir, 'sshd')), startDockerd(join(dir, 'docker'))]);
  importBusybox(dockerd, join(dir, 'image'));
  const [p1, p2, p3] = [await freePort(), await freePort(), await freePort()];
  const services: FixtureService[] = [
    { name: 'web1', port: p1!, secret: 'fixture_token' },
    { name: 'web2', port: p2! },
    { name: 'web3', port: p3! },
  ];
  const lab = makeFixtureLab(services);
  const { identity, recipient } = await newIdentity();
  mkdirSync(join(lab.root, 'secrets'), { recursive: true });
  writeFileSync(join(lab.root, 'secrets', 'recipients.txt'), `${recipient}\n`);
  writeFileSync(join(lab.root, 'secrets', 'fixture_token.age'), await encryptValue(secretValue, [recipient]));
  const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true', HOMELAB_AGE_IDENTITY: identity, ...fixtureTargetEnv(FIXTURE_HOST, sshd, releaseRoot, dockerd) };
  delete env.SSH_AUTH_SOCK;
  const hostDir = () => join(releaseRoot, FIXTURE_HOST);
  const t: FixtureTarget = {
    dir,
    sshd,
    dockerd,
    lab,
    env,
    releaseRoot,
    services,
    hostDir,
    current: () => readlinkSync(join(hostDir(), 'current')).replace(/^releases\//, ''),
    releases: () => readdirSync(join(hostDir(), 'releases')).sort(),
    history: () =>
      readFileSync(join(hostDir(), 'deploys.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l)),
    containers: () => containersOf(dockerd),
    cli: (...args) => homelabEnv(lab.root, env, ...args),
    define(change) {
      t.services = change(t.services);
      lab.write(t.services);
      const r = t.cli('build', FIXTURE_HOST);
      if (r.code !== 0) throw new Error(`build failed: ${show(r)}`);
    },
    async stop() {
      await dockerd.stop();
      await sshd.stop();
      lab.remove();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  const r = t.cli('build', FIXTURE_HOST);
  if (r.code !== 0) throw new Error(`build failed: ${show(r)}`);
  return t;
}

/** The fixture project's containers by service: id, status/health, revision label, compose config hash. */
export function containersOf(dockerd: TestDockerd): Record<string, ContainerSeen> {
  const ids = dockerd.docker(['ps', '-aq', '--filter', `label=com.docker.compose.project=${FIXTURE_HOST}`]).stdout.split('\n').filter(Boolean);
  if (ids.length === 0) return {};
  const format =
    '{{index .Config.Labels "com.docker.compose.service"}} {{.Id}} {{.State.Status}}/{{if index .State "Health"}}{{.State.Health.Status}}{{end}} {{index .Config.Labels "com.docker.compose.config-hash"}} {{with index .Config.Labels "fixture.revision"}}{{.}}{{end}}';
  const out = dockerd.docker(['inspect', '--format', format, ...ids]).stdout;
  return Object.fromEntries(
    out
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [service = '', id = '', health = '', configHash = '', revision = ''] = l.split(' ');
        return [service, { id, health, revision, configHash }];
      }),
  );
}
