import type { HostDef } from '../model/host.js';
import type { Lab } from '../model/lab.js';
import { resolveTailnetGrants, TAILNET_MEMBERS } from '../model/tailnet.js';
import type { TailscaleDef } from '../model/tailscale.js';
import { GENERATED } from './generated.js';

/**
 * The tailnet policy file of a subnet router, in Tailscale's format (HuJSON: JSON with comments and
 * trailing commas; tailscale.com/kb/1337 and kb/1538, read 2026-12-08):
 * - `tagOwners`: the router's tags, which only the tailnet's admins may give a device;
 * - `autoApprovers.routes`: its advertised routes approved by those tags (a tag, not a user, so
 *   the routes do not stop when the approving user leaves), and `exitNode` likewise;
 * - `grants`: for each of the model's grants, the tailnet's members to the granted machine on the
 *   ports its service opens to the LAN, and nothing else. A policy file replaces Tailscale's
 *   default (every device to every device and route), so what is not granted is denied.
 */
export interface TailnetPolicy {
  readonly tagOwners?: Readonly<Record<string, readonly string[]>>;
  readonly autoApprovers?: { readonly routes?: Readonly<Record<string, readonly string[]>>; readonly exitNode?: readonly string[] };
  readonly grants: readonly { readonly src: readonly string[]; readonly dst: readonly string[]; readonly ip: readonly string[] }[];
}

/** Where the policy file is in a router's dist/. */
export const tailnetPolicyPath = (ts: TailscaleDef): string => `${ts.name}/tailnet-policy.hujson`;

/** The policy, with each grant's comment (its service, host and reason). */
export function tailnetPolicy(lab: Lab, ts: TailscaleDef): { policy: TailnetPolicy; comments: string[] } {
  const tags = ts.advertiseTags ?? [];
  const grants = resolveTailnetGrants(lab, ts).filter((g) => !g.problem && g.address);
  const policy: TailnetPolicy = {
    ...(tags.length > 0 ? { tagOwners: Object.fromEntries(tags.map((t) => [t, ['autogroup:admin']])) } : {}),
    ...(tags.length > 0
      ? { autoApprovers: { routes: Object.fromEntries(ts.advertiseRoutes.map((r) => [r, [...tags]])), ...(ts.advertiseExitNode ? { exitNode: [...tags] } : {}) } }
      : {}),
    grants: grants.map((g) => ({ src: [TAILNET_MEMBERS], dst: [g.address!], ip: [...g.ip] })),
  };
  return { policy, comments: grants.map((g) => `${g.grant.service} on ${g.grant.host}: ${g.grant.reason.replace(/\s+/g, ' ').trim()}`) };
}

const q = (s: string): string => JSON.stringify(s);
const list = (xs: readonly string[]) => `[${xs.map(q).join(', ')}]`;

/** The policy file's text: HuJSON, with the header, a comment per section and per grant, and trailing commas. */
export function tailnetPolicyText(lab: Lab, host: HostDef, ts: TailscaleDef): string {
  const { policy, comments } = tailnetPolicy(lab, ts);
  const out: string[] = [
    ...GENERATED(host).map((l) => `// ${l}`),
    `// The tailnet policy of ${host.name}'s subnet router (${ts.advertiseRoutes.join(', ')}). Applied by`,
    '// .github/workflows/tailnet-policy.yml (tailscale/gitops-acl-action); it replaces the whole policy',
    "// in the admin console, and Tailscale's default (everything to everyone) with it.",
    '{',
  ];
  if (policy.tagOwners) {
    out.push('  // Only the tailnet\'s admins may give a device these tags.', '  "tagOwners": {');
    for (const [tag, owners] of Object.entries(policy.tagOwners)) out.push(`    ${q(tag)}: ${list(owners)},`);
    out.push('  },');
  }
  if (policy.autoApprovers) {
    out.push('  // The router\'s routes are approved by its tag, not by a user who may leave.', '  "autoApprovers": {');
    if (policy.autoApprovers.routes) {
      out.push('    "routes": {');
      for (const [route, by] of Object.entries(policy.autoApprovers.routes)) out.push(`      ${q(route)}: ${list(by)},`);
      out.push('    },');
    }
    if (policy.autoApprovers.exitNode) out.push(`    "exitNode": ${list(policy.autoApprovers.exitNode)},`);
    out.push('  },');
  }
  out.push(`  // What a member's device reaches through ${host.name}: these, and nothing else of the LAN.`, '  "grants": [');
  policy.grants.forEach((g, i) => {
    out.push(`    // ${comments[i]}`, `    {"src": ${list(g.src)}, "dst": ${list(g.dst)}, "ip": ${list(g.ip)}},`);
  });
  out.push('  ],', '}', '');
  return out.join('\n');
}
