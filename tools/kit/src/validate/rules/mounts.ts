import { defineRule, eachService, servicePath } from '../rule.js';
import { secretMountPath } from '../../model/secret.js';
import { serviceSecrets } from '../../render/compose.js';

/** "/data/" and "/data" are one mount point. */
function normalTarget(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/**
 * Every mount of a container has an absolute target other than "/" (moby
 * daemon/volume/mounts/linux_parser.go linuxValidateAbsolute, linuxValidateNotRoot), and no two
 * mounts share a target: tmpfs and volumes (compose-go loader/validate.go checkConsistency), nor
 * a volume and a secret, which compose mounts at /run/secrets/<name> (moby daemon/volumes.go
 * registerMountPoints, "Duplicate mount point").
 */
export const mountsRule = defineRule({
  codes: ['mount-target-duplicate', 'mount-target-invalid'],
  check(lab, findings) {
    eachService(lab, (host, service) => {
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
