import { secretReader, startUser, type HostDef, type ServiceDef } from '@homelab/kit/internal';
import { buildStandinImages } from './standin/index.js';
import type { TwinVm } from './vm.js';

/**
 * Stand-in images: no registry is reachable, so every image reference of a VM's stack becomes a
 * local image with the same reference, built from busybox-static by ./standin/ from the
 * services' image facts (docs/twin-standins.md). The twin's own tools live in /standin (never on
 * PATH): the probes call /standin/busybox.
 */

/** The user a service's process starts as: its own `user`, else its image's default (the kit's rule). */
export function serviceUser(service: ServiceDef | undefined): string {
  return service ? startUser(service) : '0:0';
}

/** Who reads a service's secrets, as uid:gid (the kit's rule, the one deploy writes the owners by). */
export function secretUser(service: ServiceDef | undefined): string {
  const r = service ? secretReader(service) : undefined;
  return r ? `${r.uid}:${r.gid}` : serviceUser(service);
}

/** Imports one stand-in per image reference of the host's stack into the VM's engine. */
export function buildStandins(vm: TwinVm, host: HostDef, workDir: string): Promise<string[]> {
  return buildStandinImages((args) => vm.docker(args), workDir, { hosts: [host] });
}
