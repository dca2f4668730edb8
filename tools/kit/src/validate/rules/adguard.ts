import { daemonsOf } from '../../model/daemon.js';
import { isLxcHost } from '../../model/lxc.js';
import { ADGUARD_SCHEMA, adguardInstallDir, adguardRewrites, type SourcedRewrite } from '../../model/adguard-answers.js';
import { isIp, isPveDnsName } from '../pve-formats.js';
import { defineRule, servicePath } from '../rule.js';

/** v0.107.79 -> [0, 107, 79]; undefined when it is not vX.Y.Z. */
function releaseOf(version: string): number[] | undefined {
  const m = /^v(\d+)\.(\d+)\.(\d+)$/.exec(version);
  return m ? m.slice(1).map(Number) : undefined;
}

function olderThan(a: number[], b: number[]): boolean {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

const validPort = (p: number) => Number.isInteger(p) && p >= 1 && p <= 65535;
/** hostRecords, then routes, then the declared rewrites in order: the finding points at the later of two that clash. */
const rank = (from: SourcedRewrite['from']) => (from === 'hostRecords' ? -2 : from === 'routes' ? -1 : Number(/\d+/.exec(from)![0]));
const isDomain = (d: string) => isPveDnsName(d.startsWith('*.') ? d.slice(2) : d);

/** AdGuard Home: a release that reads the schema written, users (or the UI is open), sane DNS settings and rewrites. */
export const adguardRule = defineRule({
  description: 'AdGuard Home\'s settings: version, users, data mount, ports, upstreams and rewrites',
  docs: 'findings.md#daemons-of-a-guest-adguard-home-tailscale-samba-nfs-exports',
  codes: ['adguard-version-unsupported', 'adguard-no-users', 'adguard-data-unmounted', 'adguard-port-invalid', 'adguard-upstream-invalid', 'adguard-rewrite-invalid', 'adguard-rewrite-conflict'],
  check(lab, findings) {
    for (const host of lab.hosts) {
      for (const ag of daemonsOf(host, 'adguard')) {
        const at = (field: string) => servicePath(host, ag.name, field);
        const release = releaseOf(ag.version);
        const since = releaseOf(ADGUARD_SCHEMA.since)!;
        if (!release || olderThan(release, since)) {
          findings.error('adguard-version-unsupported', at('version'), `AdGuard Home "${ag.version}" cannot read config schema ${ADGUARD_SCHEMA.version} (it needs ${ADGUARD_SCHEMA.since} or later, written vX.Y.Z); run a current release.`);
        }
        if (ag.users.length === 0) {
          findings.error('adguard-no-users', at('users'), 'AdGuard Home without users serves its admin UI with no login; add a user whose bcrypt hash is a secret.');
        }
        const dataDir = `${adguardInstallDir(ag)}/data`;
        if (isLxcHost(host) && !(host.mounts ?? []).some((m) => m.target === dataDir)) {
          findings.error('adguard-data-unmounted', at('installDir'), `AdGuard keeps its data in ${dataDir}; bind-mount a dataset there (mounts in src/host.ts) so it survives the container and is snapshotted.`);
        }
        const dnsPort = ag.dns.port ?? 53;
        if (!validPort(ag.httpPort) || !validPort(dnsPort) || ag.httpPort === dnsPort) {
          findings.error('adguard-port-invalid', at('httpPort'), `the web UI (${ag.httpPort}) and DNS (${dnsPort}) need two different ports from 1 to 65535.`);
        }
        (ag.dns.bindHosts ?? []).forEach((h, i) => {
          if (!isIp(h)) findings.error('adguard-port-invalid', at(`dns.bindHosts[${i}]`), `bind host "${h}" is not an IP address (AdGuard refuses the file).`);
        });
        if (ag.dns.upstreams.length === 0) findings.error('adguard-upstream-invalid', at('dns.upstreams'), 'AdGuard needs at least one upstream resolver.');
        ag.dns.bootstrap.forEach((b, i) => {
          if (!isIp(b)) findings.error('adguard-upstream-invalid', at(`dns.bootstrap[${i}]`), `bootstrap resolver "${b}" must be a plain IP address: it resolves the upstreams' own names.`);
        });
        (ag.rewrites ?? []).forEach((r, i) => {
          if (!isDomain(r.domain) || !(isIp(r.answer) || isPveDnsName(r.answer))) {
            findings.error('adguard-rewrite-invalid', at(`rewrites[${i}]`), `rewrite "${r.domain}" -> "${r.answer}": the domain must be a DNS name (or *.name) and the answer an IP address or a DNS name.`);
          }
        });
        const first = new Map<string, SourcedRewrite>();
        for (const r of adguardRewrites(lab, ag)) {
          const before = first.get(r.domain);
          if (!before) first.set(r.domain, r);
          else {
            const [a, b] = [before, r].sort((x, y) => rank(x.from) - rank(y.from));
            findings.error('adguard-rewrite-conflict', at(b!.from === 'routes' ? 'hostRecords' : b!.from), `${r.domain} would answer both ${a!.answer} (${a!.from}) and ${b!.answer} (${b!.from}); rename the route or the host, or drop one rewrite.`);
          }
        }
      }
    }
  },
});
