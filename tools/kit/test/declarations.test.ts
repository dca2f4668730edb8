import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkDistFresh, declarationReaders, deployContext, distFiles, hostDeclarations, isDeployError, loadLab, type Lab } from '../src/internal.js';
import { moveService, withService } from './mutate.js';
import { workspaceRoot } from './support.js';

const { lab } = await loadLab(workspaceRoot);
const declared = (l: Lab) => new Map(l.hosts.map((h) => [h.name, JSON.stringify(hostDeclarations(l, h))]));
const changedDeclarations = (a: Lab, b: Lab) => {
  const before = declared(a);
  return [...declared(b)].filter(([h, d]) => before.get(h) !== d).map(([h]) => h).sort();
};

describe('declarations', () => {
  it('an image tag does not change any declarations', () => {
    const bumped = withService(lab, 'vm-media', 'sonarr', (s) => ({ ...s, image: `${s.image.split(':')[0]}:4.0.99.9999-ls999` }));
    expect(changedDeclarations(lab, bumped)).toEqual([]);
  });

  it("a new route changes only its host's declarations, and lists it", () => {
    const routed = withService(lab, 'vm-media', 'sonarr', (s) => ({ ...s, route: { ...s.route!, host: 'series' } }));
    expect(changedDeclarations(lab, routed)).toEqual(['vm-media']);
    expect(hostDeclarations(routed, routed.hosts.find((h) => h.name === 'vm-media')!).dnsNames).toContain('series.local');
  });

  it('moving a service changes the declarations of both hosts', () => {
    expect(changedDeclarations(lab, moveService(lab, 'vm-apps', 'vm-dev', 'vaultwarden'))).toEqual(['vm-apps', 'vm-dev']);
  });

  it('readers: the proxy, the DNS and the Proxmox node read the hosts that declare to them, never themselves, no cycle', () => {
    const readers = declarationReaders(lab);
    expect(readers.get('vm-infra')).toEqual(expect.arrayContaining(['vm-apps', 'vm-dev', 'vm-media']));
    expect(readers.get('lxc-dns')).toEqual(expect.arrayContaining(['vm-apps', 'vm-infra', 'vm-media']));
    expect(readers.get('pve')).toEqual(lab.hosts.map((h) => h.name).sort());
    expect(readers.has('vm-media')).toBe(false);
    for (const [reader, declaring] of readers) expect(declaring).not.toContain(reader);
    const visiting = new Set<string>();
    const visit = (h: string, path: string[]): void => {
      if (path.includes(h)) throw new Error(`cycle: ${[...path, h].join(' -> ')}`);
      if (visiting.has(h)) return;
      visiting.add(h);
      for (const d of readers.get(h) ?? []) visit(d, [...path, h]);
    };
    for (const h of readers.keys()) visit(h, []);
  });
});

describe('dist-stale: deploy compares dist/ with a fresh render', () => {
  let dir: string | undefined;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));
  const writeDist = (l: Lab, host: string) => {
    dir = mkdtempSync(join(tmpdir(), 'homelab-fresh-'));
    for (const f of distFiles(l, l.hosts.find((h) => h.name === host)!)) {
      mkdirSync(dirname(join(dir, f.path)), { recursive: true });
      writeFileSync(join(dir, f.path), f.content);
    }
    return dir;
  };
  const staleError = (l: Lab, host: string, dist: string) => {
    try {
      checkDistFresh(l, l.hosts.find((h) => h.name === host)!, dist);
      return undefined;
    } catch (e) {
      if (!isDeployError(e)) throw e;
      return e;
    }
  };

  it('a fresh dist/ passes', () => {
    expect(staleError(lab, 'vm-infra', writeDist(lab, 'vm-infra'))).toBeUndefined();
  });

  it("vm-infra's dist/ built before Vaultwarden moved is refused, naming the routes file", () => {
    const dist = writeDist(lab, 'vm-infra');
    const e = staleError(moveService(lab, 'vm-apps', 'vm-dev', 'vaultwarden'), 'vm-infra', dist);
    expect(e?.code).toBe('dist-stale');
    expect(e?.message).toContain('dist/traefik/dynamic/routes.yaml');
    expect(e?.message).not.toContain('dist/compose.yaml');
  });

  it('a file dist/ has and the render does not is named', () => {
    const dist = writeDist(lab, 'vm-media');
    writeFileSync(join(dist, 'left-over.yaml'), 'x: 1\n');
    expect(staleError(lab, 'vm-media', dist)?.message).toContain('dist/left-over.yaml');
  });

  it('plan and deploy (deployContext) refuse it before connecting', () => {
    const dist = writeDist(lab, 'vm-infra');
    const moved = moveService(lab, 'vm-apps', 'vm-dev', 'vaultwarden');
    const request = { root: workspaceRoot, lab: moved, host: moved.hosts.find((h) => h.name === 'vm-infra')!, hostDir: dirname(dist), env: {} };
    // deployContext reads <hostDir>/dist: the temporary folder's own dist/.
    const hostDir = mkdtempSync(join(tmpdir(), 'homelab-fresh-host-'));
    try {
      cpSync(dist, join(hostDir, 'dist'), { recursive: true });
      expect(() => deployContext({ ...request, hostDir })).toThrow(/dist\/traefik\/dynamic\/routes\.yaml/);
      expect(() => deployContext({ ...request, hostDir, lab })).not.toThrow();
    } finally {
      rmSync(hostDir, { recursive: true, force: true });
    }
  });
});
