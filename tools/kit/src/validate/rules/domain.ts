import { routeDomain } from '../../model/routes.js';
import { defineRule } from '../rule.js';

const DNS_NAME = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const isMdns = (d: string) => d === 'local' || d.endsWith('.local');

/** `.local` belongs to multicast DNS (RFC 6762): many clients never ask a DNS server for it. */
export const domainRule = defineRule({
  description: 'The lab\'s domain is valid and not mDNS\'s `.local`',
  docs: 'findings.md#across-the-lab',
  codes: ['domain-mdns', 'domain-invalid'],
  check(lab, findings) {
    const domain = lab.facts.domain;
    const second = routeDomain(lab);
    for (const [field, d] of [['domain', domain], ['routeDomain', second]] as const) {
      if (!DNS_NAME.test(d)) findings.error('domain-invalid', `shared/${field}`, `"${d}" is not a DNS domain name (lowercase labels separated by dots).`);
    }
    if (!DNS_NAME.test(domain) || !isMdns(domain)) return;
    if (isMdns(second)) {
      findings.warning(
        'domain-mdns',
        'shared/domain',
        `the lab domain "${domain}" is reserved for multicast DNS (RFC 6762): Apple devices, Avahi and systemd-resolved resolve *.local by mDNS and may never ask AdGuard, so routes like jellyfin.${domain} fail on them, and the routes have no other name (routeDomain is "${second}"). Set routeDomain to home.arpa (RFC 8375) or a name you own in packages/shared/src/facts.ts.`,
      );
    } else {
      findings.warning(
        'domain-mdns',
        'shared/domain',
        `the lab domain "${domain}" is reserved for multicast DNS (RFC 6762): Apple devices, Avahi and systemd-resolved may never ask AdGuard for jellyfin.${domain}. Every route also answers as <host>.${second}, which every client resolves; use those names on such clients, or move domain to ${second} once nothing needs the .${domain} names.`,
      );
    }
  },
});
