import { defineService, secret } from '@homelab/kit';
import { zfs } from '@homelab/shared';

/**
 * A private container registry for images built in experiments and CI, so a service tried here
 * can move to its real host without a public registry. Pushing and pulling need a login
 * (htpasswd from a secret): Docker clients cannot pass forward auth.
 */
export default defineService({
  name: 'registry',
  image: 'registry:3.0.0',
  // Alpine, no USER: the registry reads the htpasswd file itself, as root.
  imageFacts: { user: '0:0', ships: ['sh', 'wget', 'registry'], source: 'https://github.com/distribution/distribution-library-image/blob/master/Dockerfile' },
  // The lab's image registry: every VM's Docker trusts the lab's CA for its names (/etc/docker/certs.d).
  role: 'image-registry',
  // The worked example of docs/kubernetes.md: the host's k3s runs it, with a hostPort on
  // vm-dev's address where compose published 5000, so its route, DNS, firewall and backups stay as they were.
  runtime: 'kubernetes',
  volumes: [{ dataset: zfs.dataset('services/dev'), sub: 'registry', target: '/var/lib/registry' }],
  environment: {
    REGISTRY_AUTH: 'htpasswd',
    REGISTRY_AUTH_HTPASSWD_PATH: secret('registry_htpasswd'),
    REGISTRY_AUTH_HTPASSWD_REALM: 'homelab registry',
    // Deleting images frees space (with `registry garbage-collect`).
    REGISTRY_STORAGE_DELETE_ENABLED: true,
  },
  ports: [{ target: 5000, reason: 'reached by Traefik on vm-infra as registry.<domain>' }],
  listen: [5000],
  // The root answers 200 without a login; busybox's wget is in the Alpine image.
  healthcheck: { test: ['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:5000/'], interval: '30s', timeout: '5s', retries: 3, startPeriod: '10s' },
  route: { host: 'registry', port: 5000, access: { public: 'docker and podman clients cannot pass forward auth; the registry asks for its own htpasswd login' }, page: { description: 'Container images of the lab', icon: 'docker.png' } },
});
