import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encryptValue, newIdentity } from '@homelab/kit';
import { FIXTURE_HOST, fixtureTargetEnv, which, freePort, importBusybox, makeFixtureLab, repoRoot, startDockerd, startSshd, type FixtureService } from '@homelab/testing';
import { fmt, median, timeCommand } from './timing.js';

/** Deploy figures against the fixture target (a test sshd and dockerd on 127.0.0.1, docker-compose v1). */
export interface DeployFigures {
  /** `homelab deploy` with nothing changed (process start included): connects, sees the same release, stops. */
  readonly noopMs: number;
  readonly noopRuns: number[];
  /** `homelab deploy` after one service's definition changed: upload, switch, recreate it, wait for health. */
  readonly oneServiceMs: number;
  readonly oneServiceRuns: number[];
  /** `homelab plan` with nothing changed. */
  readonly planMs: number;
  /** The no-op's goal. */
  readonly noopTargetMs: number;
  /** `homelab drift` on the fixture host as deployed (clean, exit 0): release files, config hashes, containers. */
  readonly driftMs: number;
  readonly driftRuns: number[];
}

const BIN = join(repoRoot, 'tools', 'cli', 'bin', 'homelab.mjs');

/**
 * Starts the system tier's harness (needs root, sshd, dockerd, docker-compose, busybox-static:
 * tools/testing/install-system-deps.sh), deploys a three-service fixture host once, then times
 * the unchanged deploy (`runs` times) and a one-service change (3 times), and stops everything.
 */
export async function benchDeploy(runs = 7): Promise<DeployFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'homelab-bench-deploy-'));
  const [sshd, dockerd] = await Promise.all([startSshd(join(dir, 'sshd')), startDockerd(join(dir, 'docker'))]);
  const lab = makeFixtureLab([]);
  try {
    importBusybox(dockerd, join(dir, 'image'));
    let services: FixtureService[] = [
      { name: 'web1', port: await freePort(), secret: 'bench_token' },
      { name: 'web2', port: await freePort() },
      { name: 'web3', port: await freePort() },
    ];
    lab.write(services);
    const { identity, recipient } = await newIdentity();
    mkdirSync(join(lab.root, 'secrets'), { recursive: true });
    writeFileSync(join(lab.root, 'secrets', 'bench_token.age'), await encryptValue('bench', [recipient]));
    const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true', HOMELAB_AGE_IDENTITY: identity, ...fixtureTargetEnv(FIXTURE_HOST, sshd, join(dir, 'releases'), dockerd) };
    delete env.SSH_AUTH_SOCK;
    const homelab = (...args: string[]) => {
      const r = timeCommand(process.execPath, [BIN, ...args], lab.root, env);
      if (r.code !== 0) throw new Error(`homelab ${args.join(' ')} exited ${r.code}:\n${r.stderr || r.stdout}`);
      return r.ms;
    };
    homelab('build', FIXTURE_HOST);
    homelab('deploy', FIXTURE_HOST);
    homelab('deploy', FIXTURE_HOST);
    const noopRuns = Array.from({ length: runs }, () => homelab('deploy', FIXTURE_HOST));
    const planMs = median(Array.from({ length: 3 }, () => homelab('plan', FIXTURE_HOST)));
    const driftRuns = Array.from({ length: 5 }, () => homelab('drift', FIXTURE_HOST));
    const oneServiceRuns: number[] = [];
    for (const revision of ['b1', 'b2', 'b3']) {
      services = services.map((s) => (s.name === 'web2' ? { ...s, revision } : s));
      lab.write(services);
      homelab('build', FIXTURE_HOST);
      oneServiceRuns.push(homelab('deploy', FIXTURE_HOST));
    }
    return { noopMs: median(noopRuns), noopRuns, oneServiceMs: median(oneServiceRuns), oneServiceRuns, planMs, noopTargetMs: 1500, driftMs: median(driftRuns), driftRuns };
  } finally {
    await dockerd.stop();
    await sshd.stop();
    lab.remove();
    rmSync(dir, { recursive: true, force: true });
  }
}

const SYSTEM_TOOLS = ['sshd', 'unshare', 'dockerd', 'docker', 'docker-init', 'docker-compose', 'busybox', 'ssh-keygen'];

/** Why the fixture target cannot start on this machine (not root, a tool missing), or undefined when it can. */
export function fixtureTargetMissing(): string | undefined {
  if (process.getuid?.() !== 0) return 'the fixture target (a test sshd and dockerd) needs root';
  const missing = SYSTEM_TOOLS.filter((t) => !which(t));
  return missing.length > 0 ? `not installed: ${missing.join(', ')} (tools/testing/install-system-deps.sh)` : undefined;
}

/** One line for the bench report. */
export function deployLine(f: DeployFigures): string {
  return `deploy (fixture: 3 services, sshd + dockerd on 127.0.0.1, docker-compose v1): unchanged ${fmt(f.noopMs)} (median of ${f.noopRuns.length}; target under ${fmt(f.noopTargetMs)}: ${f.noopMs < f.noopTargetMs ? 'met' : 'MISSED'}) | one service changed ${fmt(f.oneServiceMs)} (median of ${f.oneServiceRuns.length}, health wait included) | plan ${fmt(f.planMs)}`;
}

/** The drift line: `homelab drift` on the deployed fixture host. */
export function driftLine(f: DeployFigures): string {
  return `drift (fixture: 3 services as deployed, exit 0): ${fmt(f.driftMs)} (median of ${f.driftRuns.length}; process start, connect, release files, compose config --hash, docker inspect)`;
}
