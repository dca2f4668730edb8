import { describe, expect, it } from 'vitest';
import { workspacePackages } from '../src/internal.js';
import { workspaceRoot } from './support.js';

// `nx run <host>:plan` and `nx run <host>:deploy` exist for every host: Nx infers them from these
// scripts, and nx.json's targetDefaults make them depend on the host's build.
describe('every host package', () => {
  it('has plan and deploy scripts calling homelab for that host', async () => {
    const hosts = (await workspacePackages(workspaceRoot)).filter((p) => (p.manifest.homelab as { role?: string } | undefined)?.role === 'host');
    expect(hosts.length).toBeGreaterThan(0);
    for (const pkg of hosts) {
      const name = pkg.dir.split('/').pop()!;
      const scripts = pkg.manifest.scripts as Record<string, string> | undefined;
      expect(scripts?.plan, `${name}/package.json scripts.plan`).toBe(`homelab plan ${name}`);
      expect(scripts?.deploy, `${name}/package.json scripts.deploy`).toBe(`homelab deploy ${name}`);
    }
  });
});
