import type { HostDef } from '../model/host.js';
import type { Lab } from '../model/lab.js';
import { isProxmoxHost, type Machine, type ProxmoxHostDef } from '../model/proxmox-host.js';
import { sha256, type Artifact, type Manifest } from './artifact.js';
import { composeDocument } from './compose.js';
import { renderMonitoring } from './prometheus.js';
import { renderAlertmanager } from './alertmanager.js';
import { renderTraefik } from './traefik.js';
import { renderAuthentik } from './authentik.js';
import { renderDirectoryMappings } from './directory-mapping.js';
import { renderSanoid } from './sanoid.js';
import { renderSyncoid } from './syncoid.js';
import { renderPoolSync } from './pool-sync.js';
import { renderZfsPlan } from './zfs-plan.js';
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
import { renderPveQemu } from './pve-qemu.js';
import { renderCloudInit } from './cloud-init.js';
import { renderPveQemuSetup } from './pve-qemu-setup.js';
import { renderVolumeDirs } from './volume-dirs.js';
import { renderPveFirewall } from './pve-firewall.js';
import { renderGuestBackups } from './vzdump.js';
import { renderHa } from './pve-ha.js';
import { guestNode } from '../model/placement.js';
import { renderKubernetes } from './kubernetes.js';
import { composeServices } from '../model/kubernetes.js';
import { renderNodeExporter, renderNodeExporterOnNode } from './node-exporter.js';
import { renderZfsAges } from './zfs-ages.js';
import { renderSshdHardening } from './sshd.js';
import { renderHomepage } from './homepage.js';

/** A renderer turns the model into zero or more files of one host. Another target is one more renderer. */
export type Renderer = (lab: Lab, host: HostDef) => Artifact[];

export const renderCompose: Renderer = (lab, host) =>
  composeServices(host).length === 0
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
  renderKubernetes,
  renderVolumeDirs,
  renderTraefik,
  renderAuthentik,
  renderMonitoring,
  renderAlertmanager,
  renderHomepage,
  renderPveQemu,
  renderPveQemuSetup,
  renderCloudInit,
  ...[renderPveLxc, renderPveLxcSetup, renderAdguard, renderTailscale, renderSmb, renderSmbPassdb, renderSysusers, renderNfsExports, renderNodeExporter],
];

/** A renderer of a Proxmox host's own files (datasets, snapshots, replication, directory mappings). */
export type NodeRenderer = (lab: Lab, node: ProxmoxHostDef) => Artifact[];

export const nodeRenderers: readonly NodeRenderer[] = [renderZfsPlan, renderSanoid, renderSyncoid, renderPoolSync, renderDirectoryMappings, renderPveFirewall, renderGuestBackups, renderHa, renderNodeExporterOnNode, renderZfsAges, renderSshdHardening];

function manifestOf(host: Machine, artifacts: readonly Artifact[], lab: Lab): Manifest {
  const listed = artifacts.map((a) => ({ path: a.path, kind: a.kind, sha256: sha256(a.content), ...(a.install ? { install: a.install } : {}) }));
  if (isProxmoxHost(host)) return { host: host.name, kind: 'pve', address: host.address, node: host.node, artifacts: listed };
  return { host: host.name, kind: host.kind, address: host.address, vmid: host.vmid, node: guestNode(lab.facts, host), artifacts: listed };
}

/** Every artifact of a Proxmox host, sorted by path, and its manifest (kind `pve`, no vmid). */
export function renderNode(lab: Lab, node: ProxmoxHostDef): { artifacts: Artifact[]; manifest: Manifest } {
  const artifacts = nodeRenderers.flatMap((render) => render(lab, node)).sort((a, b) => a.path.localeCompare(b.path));
  return { artifacts, manifest: manifestOf(node, artifacts, lab) };
}

/** Every artifact of a host (a guest, or a Proxmox host), sorted by path, and the manifest that lists them. */
export function renderHost(lab: Lab, host: Machine): { artifacts: Artifact[]; manifest: Manifest } {
  if (isProxmoxHost(host)) return renderNode(lab, host);
  const artifacts = renderers.flatMap((render) => render(lab, host)).sort((a, b) => a.path.localeCompare(b.path));
  return { artifacts, manifest: manifestOf(host, artifacts, lab) };
}

export function manifestJson(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
