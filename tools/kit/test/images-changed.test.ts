import { afterEach, describe, expect, it } from 'vitest';
import { makeGitWorkspace, repoRoot, type GitWorkspace } from '@homelab/testing';
import { loadLab, servicesChangedSince } from '../src/index.js';

// What `homelab images verify --base` verifies on a pull request: each scenario is a real commit
// in a throwaway repository of the lab, compared with the commit before it.
let ws: GitWorkspace | undefined;
afterEach(() => ws?.remove());

async function changed(w: GitWorkspace): Promise<string[]> {
  const head = (await loadLab(w.root, { modulesFrom: repoRoot })).lab;
  return servicesChangedSince(w.root, 'HEAD~1', head, repoRoot);
}

describe('the services a pull request changes, image side', () => {
  it("Renovate's new tag for Sonarr: sonarr alone", async () => {
    ws = makeGitWorkspace();
    ws.edit('packages/vm-media/src/services/sonarr.ts', /image: '([^']+):[^':]+'/, "image: '$1:4.0.99.9999-ls999'");
    ws.commit('sonarr: new tag');
    expect(await changed(ws)).toEqual(['vm-media/sonarr']);
  });

  it("the shared linuxserver facts: every service built on them; a route's hostname: none", async () => {
    ws = makeGitWorkspace();
    ws.edit('packages/shared/src/images.ts', "ships: ['sh', 'bash', 'curl']", "ships: ['sh', 'bash', 'curl', 'wget']");
    ws.edit('packages/vm-media/src/services/jellyfin.ts', "route: { host: 'jellyfin',", "route: { host: 'movies',");
    ws.commit('linuxserver images ship wget; jellyfin as movies');
    // Not jellyfin: its route is not its image's business.
    expect((await changed(ws)).sort()).toEqual(['vm-dev/code-server', 'vm-media/prowlarr', 'vm-media/qbittorrent', 'vm-media/radarr', 'vm-media/sonarr']);
  });
});
