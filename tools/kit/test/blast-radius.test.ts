import { afterEach, describe, expect, it } from 'vitest';
import { makeGitWorkspace, repoRoot, type GitWorkspace } from '@homelab/testing';
import { renderedChanges } from '../src/index.js';

// The exact blast radius: after one commit, the hosts whose rendered files change are exactly
// the expected ones. Each scenario is a real commit in a throwaway repository of the lab.
let ws: GitWorkspace | undefined;
afterEach(() => ws?.remove());

async function changedHosts(w: GitWorkspace): Promise<string[]> {
  const changes = await renderedChanges(w.root, 'HEAD~1', repoRoot);
  return changes.filter((c) => c.status !== 'same').map((c) => c.host).sort();
}

describe('blast radius', () => {
  it('1. a new image tag for Sonarr changes only vm-media', async () => {
    ws = makeGitWorkspace();
    ws.edit('packages/vm-media/src/services/sonarr.ts', /image: '([^']+):[^':]+'/, "image: '$1:4.0.99.9999-ls999'");
    ws.commit('sonarr: new tag');
    expect(await changedHosts(ws)).toEqual(['vm-media']);
  });

  it('5. README or docs only change no host', async () => {
    ws = makeGitWorkspace();
    ws.edit('README.md', '# homelab-as-code', '# homelab-as-code (edited)');
    ws.edit('docs/findings.md', '# Findings', '# Findings (edited)');
    ws.commit('docs only');
    expect(await changedHosts(ws)).toEqual([]);
  });

  it('a change to the kit that alters output counts (rendered with the tree\'s own kit)', async () => {
    ws = makeGitWorkspace();
    ws.edit('tools/kit/src/render/compose.ts', "const DEFAULT_RESTART = 'unless-stopped';", "const DEFAULT_RESTART = 'always';");
    ws.commit('kit: restart always');
    const changed = await changedHosts(ws);
    expect(changed).toContain('vm-media');
  });
});
