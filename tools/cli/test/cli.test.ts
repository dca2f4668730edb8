import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorkspace, snapshotDir, type Workspace } from '@homelab/testing';
import { STACK_TRACE, homelab } from './run-cli.js';

let ws: Workspace;
beforeAll(() => {
  ws = makeWorkspace(['vm-media']);
});
afterAll(() => ws.remove());

describe('homelab validate', () => {
  it('prints one JSON document and exits 0 on the lab', () => {
    const r = homelab(ws.root, 'validate', '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.ok).toBe(true);
    expect(doc.errors).toBe(0);
    expect(doc.findings.every((f: { severity: string }) => f.severity === 'warning')).toBe(true);
  });

  it('exits 1 with the finding on a broken definition, without a stack trace', () => {
    const broken = makeWorkspace(['vm-media']);
    try {
      broken.edit('packages/vm-media/src/services/sonarr.ts', "listen: [8989],", "listen: [8989],\n  ports: [{ target: 8989 }],");
      const r = homelab(broken.root, 'validate', '--json');
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.stdout);
      expect(doc.findings).toContainEqual(expect.objectContaining({ code: 'network-mode-conflict', path: 'vm-media/sonarr/ports' }));
      expect(r.stdout + r.stderr).not.toMatch(STACK_TRACE);
    } finally {
      broken.remove();
    }
  });

  it('exits 2 on a usage mistake', () => {
    expect(homelab(ws.root, 'validate', '--bogus').code).toBe(2);
    expect(homelab(ws.root, 'validate', 'vm-nope').code).toBe(2);
    expect(homelab(ws.root, 'frobnicate').code).toBe(2);
  });
});

describe('homelab build', () => {
  it('writes dist/ and leaves it untouched when a definition breaks', () => {
    const b = makeWorkspace(['vm-media']);
    try {
      expect(homelab(b.root, 'build').code).toBe(0);
      const dist = b.path('packages/vm-media/dist');
      const before = snapshotDir(dist);
      expect(Object.keys(before).sort()).toEqual(['compose.yaml', 'declarations.json', 'manifest.json', 'proxmox/122.conf', 'proxmox/122.setup.json', 'proxmox/snippets/vm-media-vendor.yaml', 'volume-dirs.list']);

      b.edit('packages/vm-media/src/services/radarr.ts', /image: '[^']+'/, "image: 'lscr.io/linuxserver/radarr'");
      const r = homelab(b.root, 'build');
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('vm-media/radarr/image');
      expect(r.stdout).toContain('image-tag-missing');
      expect(r.stdout + r.stderr).not.toMatch(STACK_TRACE);
      expect(snapshotDir(dist)).toEqual(before);
    } finally {
      b.remove();
    }
  });

  it('reports TypeScript that does not load as a finding naming the file', () => {
    const b = makeWorkspace(['vm-media']);
    try {
      b.edit('packages/vm-media/src/services/jellyfin.ts', "name: 'jellyfin',", "name: 'jellyfin',,");
      const r = homelab(b.root, 'build', '--json');
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.stdout);
      expect(doc.findings[0].code).toBe('lab-load');
      expect(doc.findings[0].path).toContain('vm-media/src/services/jellyfin.ts');
      expect(snapshotDir(b.path('packages/vm-media/dist'))).toEqual({});
    } finally {
      b.remove();
    }
  });
});

describe('homelab docs', () => {
  it('--json: written, then fresh; a stale docs/lab.md or docs/cli.md is not ok (exit 1), with nothing but the document on stdout', () => {
    const w = homelab(ws.root, 'docs', '--json');
    expect(w.code).toBe(0);
    expect(JSON.parse(w.stdout)).toMatchObject({ ok: true, written: true, files: [expect.stringMatching(/docs\/lab\.md$/), expect.stringMatching(/docs\/cli\.md$/)] });
    expect(JSON.parse(homelab(ws.root, 'docs', '--check', '--json').stdout)).toMatchObject({ ok: true, stale: false, staleFiles: [] });
    ws.edit('docs/lab.md', /^/, 'edited by hand\n');
    const stale = homelab(ws.root, 'docs', '--check', '--json');
    expect(stale.code).toBe(1);
    expect(JSON.parse(stale.stdout)).toMatchObject({ ok: false, stale: true, staleFiles: ['docs/lab.md'] });
    ws.edit('docs/cli.md', /^/, 'edited by hand\n');
    expect(JSON.parse(homelab(ws.root, 'docs', '--check', '--json').stdout)).toMatchObject({ ok: false, stale: true, staleFiles: ['docs/lab.md', 'docs/cli.md'] });
  });
});
