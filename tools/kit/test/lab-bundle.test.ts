import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { makeWorkspace, type Workspace } from '@homelab/testing';
import { loadLab, type LoadedLab } from '../src/index.js';

let ws: Workspace | undefined;
afterEach(() => ws?.remove());

const cacheFiles = (w: Workspace) => readdirSync(w.path('.homelab', 'cache')).filter((f) => f.startsWith('lab-')).sort();
const jellyfin = (loaded: LoadedLab) => loaded.lab.hosts.find((h) => h.name === 'vm-media')!.services.find((s) => s.name === 'jellyfin')!;

/** A copy of the lab whose Jellyfin says where its code ran from (import.meta.url), with `name` as written. */
async function loadWhere(name: string): Promise<{ w: Workspace; loaded: LoadedLab; files: string[]; bundleUrl: string }> {
  const w = makeWorkspace(['vm-media']);
  ws = w;
  w.edit('packages/vm-media/src/services/jellyfin.ts', "name: 'jellyfin',", `name: ${name},\n  labels: { where: import.meta.url },`);
  const loaded = await loadLab(w.root);
  const files = cacheFiles(w);
  return { w, loaded, files, bundleUrl: `file://${w.path('.homelab', 'cache', files[0]!)}` };
}

describe('the lab bundle', () => {
  it('is CommonJS with a V8 code cache written on the first load, and import.meta.url is its own URL', async () => {
    const { w, loaded: first, files, bundleUrl } = await loadWhere("'jellyfin'");
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(/^lab-\w+\.cjs$/);
    expect(files[1]).toBe(`${files[0]}.v8-${process.version}.cache`);
    expect(jellyfin(first).labels?.where).toBe(bundleUrl);
    const again = await loadLab(w.root);
    expect(cacheFiles(w)).toEqual(files);
    expect(again.lab.hosts.map((h) => h.name)).toEqual(first.lab.hosts.map((h) => h.name));
    expect(jellyfin(again)).toEqual(jellyfin(first));
  });

  it('stays an ES module when the lab needs one (top-level await)', async () => {
    const { loaded, files, bundleUrl } = await loadWhere("await Promise.resolve('jellyfin')");
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^lab-\w+\.mjs$/);
    expect(jellyfin(loaded).name).toBe('jellyfin');
    expect(jellyfin(loaded).labels?.where).toBe(bundleUrl);
  });
});
