import { defineRule, servicePath } from '../rule.js';

/** registry/repo:tag@sha256:digest -> its parts; the tag is after the last ':' of the last path segment. */
export function parseImage(image: string): { repository: string; tag?: string; digest?: string } {
  const [name = '', digest] = image.split('@');
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > slash) return { repository: name.slice(0, colon), tag: name.slice(colon + 1), digest };
  return { repository: name, digest };
}

/** Every image names an explicit version; a digest pins it (reported while missing). */
export const imageRule = defineRule({
  description: 'Every image names an explicit version',
  docs: 'findings.md#compose-per-host',
  codes: ['image-tag-missing', 'image-digest-missing'],
  check(lab, findings) {
    for (const host of lab.hosts) {
      for (const service of host.services) {
        const { tag, digest } = parseImage(service.image);
        const path = servicePath(host, service, 'image');
        if (!tag || tag === 'latest') {
          findings.error('image-tag-missing', path, `image "${service.image}" has no explicit version tag${tag ? ' ("latest" moves)' : ''}; name the version you run, e.g. ${service.image.split(':')[0]}:1.2.3.`);
        } else if (!digest) {
          findings.warning('image-digest-missing', path, `image "${service.image}" is pinned by tag only; add its @sha256 digest so a re-pushed tag cannot change what runs (Renovate fills it in).`);
        } else if (!/^sha256:[0-9a-f]{64}$/.test(digest)) {
          findings.error('image-tag-missing', path, `image "${service.image}" has a malformed digest; it must be sha256: followed by 64 hex digits.`);
        }
      }
    }
  },
});
