import { defineRule } from '../rule.js';

/** `.local` belongs to multicast DNS (RFC 6762): many clients never ask a DNS server for it. */
export const domainRule = defineRule({
  codes: ['domain-mdns', 'domain-invalid'],
  check(lab, findings) {
    const domain = lab.facts.domain;
    if (!/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(domain)) {
      findings.error('domain-invalid', 'shared/domain', `"${domain}" is not a DNS domain name (lowercase labels separated by dots).`);
    } else if (domain === 'local' || domain.endsWith('.local')) {
      findings.warning(
        'domain-mdns',
        'shared/domain',
        `the lab domain "${domain}" is reserved for multicast DNS (RFC 6762): Apple devices, Android and systemd-resolved resolve *.local by mDNS and may never ask AdGuard, so routes like jellyfin.${domain} fail on them. Use a name you own or home.arpa (RFC 8375): change domain in packages/shared/src/facts.ts.`,
      );
    }
  },
});
