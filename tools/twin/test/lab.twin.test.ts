import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { closingLine, formatReport } from '../src/report.js';
import { runTwin } from '../src/run.js';

// The whole lab, up once (vm-media loses power and boots again: rebootByDefault): every probe of
// the report is one test here, so a failure names its probe.
const report = await runTwin({ say: (line) => console.log(`twin: ${line}`) });
console.log(formatReport(report));
if (process.env.HOMELAB_TWIN_JSON) writeFileSync(process.env.HOMELAB_TWIN_JSON, JSON.stringify(report, null, 2));

describe('the lab twin', () => {
  for (const host of [...new Set(report.probes.map((p) => p.host))]) {
    describe(host, () => {
      for (const [i, p] of report.probes.entries()) {
        if (p.host !== host) continue;
        it(`${i} [${p.kind}] ${p.name}`, () => {
          expect(p.ok, p.detail).toBe(true);
        });
      }
    });
  }
  it('probes every kind the issue names', () => {
    const kinds = new Set(report.probes.map((p) => p.kind));
    for (const k of ['deploy', 'container', 'secret', 'volume', 'route', 'scrape', 'reboot', 'redeploy'] as const) expect(kinds, `no ${k} probe ran`).toContain(k);
  });
  it('vm-media comes back from a power loss with every service behind gluetun (which dockerd alone leaves down), its probes run again', () => {
    for (const s of ['qbittorrent', 'radarr', 'sonarr', 'prowlarr']) expect(report.probes.some((p) => p.host === 'vm-media' && p.kind === 'reboot' && p.name.startsWith(`${s} `) && p.ok), s).toBe(true);
    expect(report.probes.filter((p) => p.host === 'vm-media' && p.name.startsWith('after the reboot: ')).length).toBeGreaterThan(20);
    // The proxy reaches what vm-media runs again; the routes to the hosts that kept running are not probed twice.
    const routesAfter = report.probes.filter((p) => p.kind === 'route' && p.name.startsWith('after the reboot: '));
    expect(routesAfter.map((p) => p.name)).toContainEqual(expect.stringMatching(/^after the reboot: route sonarr /));
    expect(routesAfter.filter((p) => /forward auth|route (nextcloud|grafana) /.test(p.name))).toEqual([]);
  });
  it('ends with the closing line', () => {
    expect(closingLine(report)).toMatch(/^twin: \d+ probes, \d+ passed, \d+ failed$/);
  });
});
