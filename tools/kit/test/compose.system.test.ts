import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requireTool, run } from '@homelab/testing';
import { loadLab, parseYaml, renderHost, serviceSecrets, toYaml } from '../src/internal.js';
import { workspaceRoot } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'homelab-compose-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// docker-compose v1 reads every rendered compose file as the real tool does (`config -q`),
// with the secret files in place that deploy would write. v1 predates the top-level `name`
// (compose v2 reads it), so the project name goes on its command line instead.
function forComposeV1(content: string): string {
  const { name: _name, ...rest } = parseYaml(content) as Record<string, unknown>;
  return toYaml(rest);
}

describe('docker-compose config', async () => {
  const compose = requireTool('docker-compose');
  const { lab } = await loadLab(workspaceRoot);
  const cases = lab.hosts.flatMap((host) =>
    renderHost(lab, host).artifacts.filter((a) => a.kind === 'compose').map((artifact) => ({ host, artifact })),
  );

  it('has compose files to check', () => expect(cases.length).toBeGreaterThan(0));

  it.each(cases.map((c) => [`${c.host.name}/${c.artifact.path}`, c] as const))('accepts %s', (_name, { host, artifact }) => {
    const hostDir = join(dir, host.name);
    mkdirSync(join(hostDir, 'secrets'), { recursive: true });
    for (const ref of host.services.flatMap(serviceSecrets)) writeFileSync(join(hostDir, 'secrets', ref.name), 'placeholder\n');
    const file = join(hostDir, artifact.path.replace(/\//g, '_'));
    writeFileSync(file, forComposeV1(artifact.content));
    const r = run(compose, ['-f', file, '-p', host.name, 'config', '-q'], { cwd: hostDir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('rejects a broken file (the check is live)', () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'services:\n  web:\n    image: nginx:1\n    ports: 80\n');
    expect(run(compose, ['-f', file, '-p', 'broken', 'config', '-q'], { cwd: dir }).code).not.toBe(0);
  });
});
