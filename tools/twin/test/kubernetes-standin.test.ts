import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { composeServices, KUBERNETES_AS_COMPOSE_ENV, loadLab } from '@homelab/kit/internal';
import { ProbeLog } from '../src/probe.js';
import { reportComposeStandIns } from '../src/probes/kubernetes.js';

const workspaceRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

// The twin has no k3s: the lab it loads gives the Kubernetes services to compose, and says which.
describe('Kubernetes services in the twin', () => {
  it('are run by compose, named, and each a line of the report', async () => {
    const before = process.env[KUBERNETES_AS_COMPOSE_ENV];
    process.env[KUBERNETES_AS_COMPOSE_ENV] = '1';
    try {
      const loaded = await loadLab(workspaceRoot);
      expect(loaded.composeStandIns).toEqual(['vm-dev/registry']);
      const dev = loaded.lab.hosts.find((h) => h.name === 'vm-dev')!;
      expect(dev.kubernetes).toBeUndefined();
      expect(composeServices(dev).map((s) => s.name)).toContain('registry');
      const log = new ProbeLog();
      const notes: string[] = [];
      reportComposeStandIns(log, notes, loaded.composeStandIns!);
      expect(log.results.map((r) => `${r.host} ${r.kind}: ${r.name}`)).toEqual(["vm-dev deploy: registry runs on vm-dev's k3s in the lab: not in twin, compose runs it here"]);
      expect(notes).toEqual(['kubernetes: not in twin (no k3s); compose runs vm-dev/registry in its place (HOMELAB_TWIN_KUBERNETES_AS_COMPOSE=1)']);
    } finally {
      if (before === undefined) delete process.env[KUBERNETES_AS_COMPOSE_ENV];
      else process.env[KUBERNETES_AS_COMPOSE_ENV] = before;
    }
  });

  it('are left to k3s by every other loader', async () => {
    const loaded = await loadLab(workspaceRoot);
    expect(loaded.composeStandIns).toBeUndefined();
    expect(loaded.lab.hosts.find((h) => h.name === 'vm-dev')!.kubernetes).toBeDefined();
  });
});
