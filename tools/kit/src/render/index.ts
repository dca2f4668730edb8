import type { HostDef } from '../model/host.js';
import type { Lab } from '../model/lab.js';
import { sha256, type Artifact, type Manifest } from './artifact.js';
import { composeDocument } from './compose.js';
import { renderMonitoring } from './prometheus.js';
import { renderTraefik } from './traefik.js';
import { toYaml } from './yaml.js';
import { GENERATED } from './generated.js';
import { renderPveLxc } from './pve-lxc.js';
import { renderPveLxcSetup } from './pve-lxc-setup.js';
import { renderAdguard } from './adguard.js';
import { renderTailscale } from './tailscale.js';
import { renderSmb } from './smb.js';
import { renderSmbPassdb } from './smb-passdb.js';
import { renderSysusers } from './sysusers.js';
import { renderNfsExports } from './nfs-exports.js';

/** A renderer turns the model into zero or more files of one host. Another target is one more renderer. */
export type Renderer = (lab: Lab, host: HostDef) => Artifact[];

export const renderCompose: Renderer = (lab, host) =>
  host.services.length === 0
    ? []
    : [
        {
          path: 'compose.yaml',
          kind: 'compose',
          content: toYaml(composeDocument(lab.facts, host), { header: GENERATED(host), quoteItemsOf: ['ports'] }),
        },
      ];

export const renderers: readonly Renderer[] = [
  renderCompose,
  renderTraefik,
  renderMonitoring,
  ...[renderPveLxc, renderPveLxcSetup, renderAdguard, renderTailscale, renderSmb, renderSmbPassdb, renderSysusers, renderNfsExports],
];

/** Every artifact of a host, sorted by path, and the manifest that lists them. */
export function renderHost(lab: Lab, host: HostDef): { artifacts: Artifact[]; manifest: Manifest } {
  const artifacts = renderers.flatMap((render) => render(lab, host)).sort((a, b) => a.path.localeCompare(b.path));
  const manifest: Manifest = {
    host: host.name,
    kind: host.kind,
    address: host.address,
    vmid: host.vmid,
    node: host.node ?? lab.facts.proxmox.defaultNode,
    artifacts: artifacts.map((a) => ({ path: a.path, kind: a.kind, sha256: sha256(a.content), ...(a.install ? { install: a.install } : {}) })),
  };
  return { artifacts, manifest };
}

export function manifestJson(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
