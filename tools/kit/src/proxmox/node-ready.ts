import type { Lab } from '../model/lab.js';
import { isLxcHost } from '../model/lxc.js';
import { isVmHost } from '../model/qemu.js';
import { vmSettings } from '../model/vm-settings.js';
import { NODE_EXPORTER_PACKAGE } from '../model/node-exporter.js';
import type { Progress } from '../common/progress.js';
import type { RemoteShell } from '../shell/remote-shell.js';
import { quote } from '../shell/quote.js';
import { guestNode } from '../model/placement.js';
import { daemonsOf } from '../model/daemon.js';
import { sanoidSections } from '../render/sanoid.js';

/**
 * Debian packages a fresh Proxmox VE node lacks and the lab's node files need (neither is among
 * the dependencies of pve-manager or qemu-server: their debian/control, read 2026-12-07): sanoid
 * (sanoid, syncoid, sanoid.timer, which its postinst enables) for the snapshots and replication
 * the node's sanoid.conf and syncoid units ask for; nfs-kernel-server (exportfs, nfs-server.service)
 * for the exports a guest of the node declares. Both are in Debian's bookworm archive.
 */
export const NODE_PACKAGES = {
  sanoid: { name: 'sanoid', command: 'sanoid', why: 'snapshots and replication: sanoid.conf, the syncoid units' },
  nfsServer: { name: 'nfs-kernel-server', command: 'exportfs', why: 'the kernel NFS server the exports of /etc/exports.d need' },
} as const;

function packageNeed(p: { readonly name: string; readonly command: string; readonly why: string }): NodeNeed {
  return { what: `${p.name} (${p.why})`, check: `command -v ${p.command} >/dev/null`, fix: `DEBIAN_FRONTEND=noninteractive apt-get install -y -q ${p.name}` };
}

/**
 * One thing a fresh Proxmox VE node needs before the lab's guests can be made on it: `check`
 * (a script) exits 0 when it is there; `fix` makes it so, or is absent when deploy cannot (then
 * `missing` says what to do by hand).
 */
export interface NodeNeed {
  readonly what: string;
  readonly check: string;
  readonly fix?: string;
  readonly missing?: string;
}

/** `[ -f <path of the volume> ]` for a volume of a directory storage (`local:vztmpl/x`, `local:import/y`). */
function volumeThere(volid: string): string {
  return `f=$(pvesm path ${quote(volid)} 2>/dev/null) && [ -f "$f" ]`;
}

/**
 * What `homelab deploy <node>` makes ready on the node, in order: the folder of the directory
 * mappings (/etc/pve/mapping, absent on a fresh node), virtiofsd when a VM on the node mounts a
 * dataset over virtiofs (qemu-server refuses to start such a VM without it), sanoid when the node
 * takes snapshots or replicates, nfs-kernel-server when a guest of the node exports datasets over
 * NFS (before a deploy restarts nfs-server), node-exporter when the
 * node exports its metrics (before its /etc/default file restarts the unit), each container
 * template (`pveam download`, which checks the template's published checksum), and each VM's
 * cloud image in the import storage (checked only: the model names no URL to fetch it from).
 */
export function nodeNeeds(lab: Lab, node: string): NodeNeed[] {
  const onNode = lab.hosts.filter((h) => guestNode(lab.facts, h) === node);
  const vms = onNode.filter(isVmHost).map((h) => vmSettings(lab, h));
  const needs: NodeNeed[] = [{ what: 'the folder of directory mappings /etc/pve/mapping', check: '[ -d /etc/pve/mapping ]', fix: 'mkdir -p /etc/pve/mapping' }];
  if (vms.some((v) => v.shares.length > 0)) {
    needs.push({
      what: 'virtiofsd (VMs mount datasets over virtiofs)',
      check: '[ -x /usr/libexec/virtiofsd ] || command -v virtiofsd >/dev/null',
      fix: 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q virtiofsd',
    });
  }
  const pveHost = (lab.nodes ?? []).find((n) => n.node === node);
  if (pveHost && (sanoidSections(lab, pveHost).datasets.length > 0 || (pveHost.replication ?? []).length > 0)) needs.push(packageNeed(NODE_PACKAGES.sanoid));
  if (onNode.some((h) => daemonsOf(h, 'nfs-exports').length > 0)) needs.push(packageNeed(NODE_PACKAGES.nfsServer));
  if ((lab.nodes ?? []).some((n) => n.node === node && n.nodeExporter)) {
    const p = NODE_EXPORTER_PACKAGE;
    needs.push({
      what: `${p.name} (the host's metrics, ZFS included, for Prometheus)`,
      check: `command -v ${p.command} >/dev/null`,
      fix: `DEBIAN_FRONTEND=noninteractive apt-get install -y -q ${p.name}`,
    });
  }
  for (const template of [...new Set(onNode.filter(isLxcHost).map((h) => h.ostemplate))].sort()) {
    const m = /^([^:]+):vztmpl\/(.+)$/.exec(template);
    if (!m) continue;
    needs.push({ what: `container template ${template}`, check: volumeThere(template), fix: `pveam update && pveam download ${quote(m[1]!)} ${quote(m[2]!)}` });
  }
  for (const image of [...new Set(vms.flatMap((v) => (v.importFrom ? [v.importFrom] : [])))].sort()) {
    needs.push({ what: `cloud image ${image}`, check: volumeThere(image), missing: `download it into the import storage (${image}) and check it against its published SHA512SUMS; the model names no URL for deploy to fetch it from` });
  }
  return needs;
}

export interface NodeNeedState {
  readonly what: string;
  readonly ready: boolean;
  /** What deploy runs when it is not ready, or what to do by hand. */
  readonly todo?: string;
}

/** For plan: which needs the node already meets (read-only). */
export async function checkNodeNeeds(shell: RemoteShell, needs: readonly NodeNeed[]): Promise<NodeNeedState[]> {
  const out: NodeNeedState[] = [];
  for (const n of needs) {
    const ready = (await shell.run(n.check)).code === 0;
    out.push({ what: n.what, ready, ...(ready ? {} : { todo: n.fix ?? `by hand: ${n.missing}` }) });
  }
  return out;
}

/** For deploy: makes each need met that is not (idempotent: a met need runs nothing); one deploy cannot meet is a note. */
export async function meetNodeNeeds(shell: RemoteShell, needs: readonly NodeNeed[], progress: Progress): Promise<void> {
  for (const state of await checkNodeNeeds(shell, needs)) {
    if (state.ready) continue;
    const need = needs.find((n) => n.what === state.what)!;
    if (!need.fix) {
      progress.info(`note: the node has no ${need.what}: ${need.missing}`);
      continue;
    }
    await progress.step(`make the node ready: ${need.what}`, () => shell.check(`making the node ready (${need.what})`, need.fix!));
  }
}
