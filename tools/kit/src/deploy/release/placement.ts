import type { Manifest } from '../../render/artifact.js';

type Entry = Manifest['artifacts'][number];

/** The kinds that describe a guest to Proxmox (applied with pct/qm), never installed as files. */
export const GUEST_KINDS: ReadonlySet<string> = new Set(['pve-lxc', 'pve-qemu', 'pve-lxc-setup', 'pve-qemu-setup']);

/** A file for the Proxmox node itself: `install.on: 'proxmox-host'`, or a cloud-init snippet. */
export function isNodeFile(a: Entry): boolean {
  return a.install !== undefined && !GUEST_KINDS.has(a.kind) && (a.install.on === 'proxmox-host' || a.kind === 'cloud-init');
}

/** A file installed inside the guest (its `install` path), as opposed to the stack, the node, the guest definition. */
export function isGuestFile(a: Entry): boolean {
  return a.install !== undefined && !GUEST_KINDS.has(a.kind) && !isNodeFile(a) && a.kind !== 'compose';
}

/** The entries of `next` that `pick` selects and whose content differs from `before` (all without it). */
export function changedEntries(next: Manifest, before: Manifest | undefined, pick: (a: Entry) => boolean): Entry[] {
  const old = new Map((before?.artifacts ?? []).map((a) => [a.path, a.sha256]));
  return next.artifacts.filter((a) => pick(a) && old.get(a.path) !== a.sha256);
}
