import { defineRule, eachService, servicePath } from '../rule.js';
import { secretMountPath } from '../../model/secret.js';
import { serviceSecrets } from '../../model/service-facts.js';
import type { VolumeSpec } from '../../model/service.js';

/** moby daemon/names/names.go RestrictedNamePattern, at least two characters. */
const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** Why a volume's source is not what it says, or undefined. */
function sourceProblem(volume: VolumeSpec): string | undefined {
  if ('hostPath' in volume && !volume.hostPath.startsWith('/')) {
    return `host path "${volume.hostPath}" is not absolute, so docker compose reads it as the name of a volume the stack does not declare. Write the absolute path.`;
  }
  if ('dataset' in volume && volume.sub !== undefined && (volume.sub.startsWith('/') || volume.sub.split('/').includes('..'))) {
    return `sub "${volume.sub}" leaves the dataset ${volume.dataset.name}: it must be a relative path inside it (no leading "/", no ".."). Mount the other dataset by its own reference.`;
  }
  return undefined;
}

/** "/data/" and "/data" are one mount point. */
function normalTarget(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/**
 * Every mount of a container has an absolute target other than "/" (moby
 * daemon/volume/mounts/linux_parser.go linuxValidateAbsolute, linuxValidateNotRoot), and no two
 * mounts share a target: tmpfs and volumes (compose-go loader/validate.go checkConsistency), nor
 * a volume and a secret, which compose mounts at /run/secrets/<name> (moby daemon/volumes.go
 * registerMountPoints, "Duplicate mount point"). A mount's source is what it says: a host path
 * is absolute (a relative one is read as a volume name: moby daemon/volume/local/local.go
 * validateName, "If you intended to pass a host directory, use absolute path"), a dataset's `sub`
 * stays inside the dataset, and the stack's volume names are ones the daemon accepts (validateName).
 */
export const mountsRule = defineRule({
  description: 'Mount targets and sources, and volume names, the Docker daemon accepts',
  docs: 'findings.md#what-docker-compose-and-the-docker-daemon-refuse-per-host',
  codes: ['mount-target-duplicate', 'mount-target-invalid', 'mount-source-invalid', 'volume-name-invalid'],
  check(lab, findings) {
    for (const host of lab.hosts) {
      (host.volumes ?? []).forEach((name, i) => {
        if (!VOLUME_NAME.test(name)) findings.error('volume-name-invalid', `${host.name}/volumes[${i}]`, `volume name "${name}" is refused by the daemon: two or more of letters, digits, '_', '.', '-', starting with a letter or digit.`);
      });
    }
    eachService(lab, (host, service) => {
      (service.volumes ?? []).forEach((v, i) => {
        const problem = sourceProblem(v);
        if (problem) findings.error('mount-source-invalid', servicePath(host, service, `volumes[${i}]`), problem);
      });
      const seen = new Map<string, string>();
      // Secrets first: a volume placed over /run/secrets/<name> is the declaration to fix.
      const mounts: { field: string; target: string }[] = [
        ...serviceSecrets(service).map((ref) => ({ field: `secrets.${ref.name}`, target: secretMountPath(ref) })),
        ...(service.tmpfs ?? []).map((entry, i) => ({ field: `tmpfs[${i}]`, target: entry.split(':')[0]! })),
        ...(service.volumes ?? []).map((v, i) => ({ field: `volumes[${i}]`, target: v.target })),
      ];
      for (const { field, target } of mounts) {
        const path = servicePath(host, service, field);
        if (!target.startsWith('/') || normalTarget(target) === '/') {
          findings.error('mount-target-invalid', path, `mount target "${target}" must be an absolute path inside the container and not "/" itself; the daemon refuses the container.`);
          continue;
        }
        const key = normalTarget(target);
        const first = seen.get(key);
        if (first) {
          findings.error('mount-target-duplicate', path, `${service.name} mounts two things at ${key} (${first} and ${field}); docker refuses a duplicate mount point. Give one of them another target.`);
          continue;
        }
        seen.set(key, field);
      }
    });
  },
});
