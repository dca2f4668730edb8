import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { makeWorkspace, type Workspace } from '@homelab/testing';
import { loadLab, type LoadedLab } from '../src/index.js';

let ws: Workspace | undefined;
afterEach(() => ws?.remove());

const cacheFiles = (w: Workspace) => readdirSync(w.path('.homelab', 'cache')).filter((f) => f.startsWith('lab-')).sort();
const jellyfin = (loaded: LoadedLab) => loaded.lab.hosts.find((h) => h.name === 'vm-media')!.services.find((s) => s.name === 'jellyfin')!;

describe('the lab bundle', () => {
  it('is CommonJS with a V8 code cache written on the first load, and import.meta.url is its own URL', async () => {
    ws = makeWorkspace(['vm-media']);
    ws.edit('packages/vm-media/src/services/jellyfin.ts', "name: 'jellyfin',", "name: 'jellyfin',\n  labels: { where: import.meta.url },");
    const first = await loadLab(ws.root);
    const files = cacheFiles(ws);
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(/^lab-\w+\.cjs$/);
    expect(files[1]).toBe(`${files[0]}.v8-${process.version}.cache`);
    expect(jellyfin(first).labels?.where).toBe(`file://${ws.path('.homelab', 'cache', files[0]!)}`);
    const again = await loadLab(ws.root);
    expect(cacheFiles(ws)).toEqual(files);
    expect(again.lab.hosts.map((h) => h.name)).toEqual(first.lab.hosts.map((h) => h.name));
    expect(jellyfin(again)).toEqual(jellyfin(first));
  });

  it('stays an ES module when the lab needs one (top-level await)', async () => {
    ws = makeWorkspace(['vm-media']);
    ws.edit('packages/vm-media/src/services/jellyfin.ts', "name: 'jellyfin',", "name: await Promise.resolve('jellyfin'),\n  labels: { where: import.meta.url },");
    const loaded = await loadLab(ws.root);
    const files = cacheFiles(ws);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^lab-\w+\.mjs$/);
    expect(jellyfin(loaded).labels?.where).toBe(`file://${ws.path('.homelab', 'cache', files[0]!)}`);
  });
});
