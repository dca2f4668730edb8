import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alpineNonRoot, freePort, linuxserverLike, makeWorkspace, startRegistry, type TestRegistry, type Workspace } from '@homelab/testing';
import { homelabAsync, STACK_TRACE } from './run-cli.js';

// The command as a person runs it, on a copy of the lab, against a registry on 127.0.0.1.

let registry: TestRegistry;
let ws: Workspace;
const GRAFANA = 'packages/vm-infra/src/services/grafana.ts';

beforeAll(async () => {
  registry = await startRegistry([
    { repository: 'linuxserver/sonarr', tag: '4.0.19.2979-ls316', image: linuxserverLike },
    // The lab's grafana facts say it ships bash and curl; this Alpine image has neither.
    { repository: 'grafana/grafana', tag: '13.2.3', image: alpineNonRoot },
  ]);
  ws = makeWorkspace(['vm-media', 'vm-infra']);
});

afterAll(async () => {
  ws?.remove();
  await registry?.close();
});

// Not spawnSync: the registry answers from this process.
const run = (...args: string[]) => homelabAsync(ws.root, { ...process.env, HOMELAB_REGISTRY_MIRROR: registry.url, NO_COLOR: '1' }, 'images', ...args);

describe('homelab images verify', () => {
  it('passes an image that agrees with its facts, saying they were never verified', async () => {
    const r = await run('verify', 'vm-media/sonarr');
    expect(r.stderr).toContain(`reading lscr.io/linuxserver/sonarr:4.0.19.2979-ls316 from ${registry.url}`);
    expect(r.stdout).toContain(`vm-media/sonarr  lscr.io/linuxserver/sonarr:4.0.19.2979-ls316  ${registry.digests.get('linuxserver/sonarr:4.0.19.2979-ls316')}`);
    expect(r.stdout).toContain('[image-facts-unverified]');
    expect(r.stdout).toContain('0 error(s), 1 warning(s)');
    expect(r.code).toBe(0);
  });

  it('fails on facts the image contradicts, naming the fact; --json holds every finding', async () => {
    const r = await run('verify', 'vm-infra/grafana', '--json');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { ok: boolean; findings: { code: string; path: string; message: string }[]; services: { service: string; digest: string; config: unknown }[] };
    expect(out.ok).toBe(false);
    expect(out.findings.map((f) => `${f.code} ${f.path}`)).toEqual(['image-ships-missing vm-infra/grafana/imageFacts.ships', 'image-ships-missing vm-infra/grafana/imageFacts.ships']);
    expect(out.findings.map((f) => f.message.split(',')[0])).toEqual(['imageFacts.ships lists bash', 'imageFacts.ships lists curl']);
    expect(out.services).toEqual([expect.objectContaining({ service: 'vm-infra/grafana', digest: registry.digests.get('grafana/grafana:13.2.3') })]);
    expect(out.services[0]!.config).toEqual({ user: 'grafana', entrypoint: ['/run.sh'], cmd: null, healthcheck: null, exposedPorts: ['3000/tcp'], workingDir: '/usr/share/grafana' });
  });

  it('--update rewrites facts written inline, with the digest as evidence, and prints the diff; then verify is clean', async () => {
    const before = ws.read(GRAFANA);
    const r = await run('verify', 'vm-infra/grafana', '--update');
    const digest = registry.digests.get('grafana/grafana:13.2.3')!;
    const today = new Date().toISOString().slice(0, 10);
    const literal = `{ user: '472:0', ships: ['sh', 'wget', 'grafana', '/run.sh'], source: 'https://github.com/grafana/grafana/blob/main/packaging/docker/Dockerfile', verified: { digest: '${digest}', at: '${today}' } }`;
    expect(r.stdout).toContain(`vm-infra/grafana: rewrote its imageFacts in ${GRAFANA}`);
    expect(r.stdout).toContain(`+  imageFacts: ${literal},`);
    expect(r.stdout).toMatch(/^-  imageFacts: \{ user: '472:0', ships: \['sh', 'bash', 'wget', 'curl'/m);
    expect(ws.read(GRAFANA)).toBe(before.replace(/imageFacts: \{[^\n]*\},/, `imageFacts: ${literal},`));
    const again = await run('verify', 'vm-infra/grafana');
    expect(again.stdout).toContain('0 error(s), 0 warning(s)');
    expect(again.code).toBe(0);
    // The lab still loads and validates with the rewritten file.
    expect((await homelabAsync(ws.root, process.env, 'validate', 'vm-infra')).code).toBe(0);
  });

  it('--update says when the facts come from a shared helper and cannot be rewritten in place', async () => {
    const r = await run('verify', 'vm-media/sonarr', '--update');
    expect(r.stdout).toContain("vm-media/sonarr: not rewritten: its facts come from `linuxserverFacts('sonarr')` (packages/vm-media/src/services/sonarr.ts), shared or derived, not written inline");
    expect(r.stdout).toContain(`the image says: {"user":"0:0","ships":["sh","bash","curl"]`);
    expect(ws.read('packages/vm-media/src/services/sonarr.ts')).toContain('imageFacts: linuxserverFacts(');
  });

  it('an unreachable registry: exit 2, a message naming the image and the registry, no stack trace', async () => {
    const closed = await freePort(); // nothing listens there any more
    const r = await homelabAsync(ws.root, { ...process.env, HOMELAB_REGISTRY_MIRROR: `http://127.0.0.1:${closed}`, NO_COLOR: '1' }, 'images', 'verify', 'vm-media/sonarr');
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/cannot read lscr\.io\/linuxserver\/sonarr:4\.0\.19\.2979-ls316 from lscr\.io \(at http:\/\/127\.0\.0\.1:\d+\): .*ECONNREFUSED/);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(STACK_TRACE);
  });

  it('a service the lab does not have is a usage error with the list', async () => {
    const r = await run('verify', 'vm-media/sonar');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('vm-media has no service named "sonar". Did you mean "sonarr"?');
    expect((await run('check')).stderr).toContain('usage: homelab images verify [host|host/service...]');
  });
});
