import type { ImageFacts } from '@homelab/kit';

/**
 * Facts of images that services on several hosts run (docs/adding-a-service.md): each checked
 * against the image's Dockerfile or documentation, at the URL in `source`.
 */
export const images = {
  /**
   * The official postgres image, Alpine variant: no USER (root); docker-entrypoint.sh reads the
   * `*_FILE` settings (file_env) as root, then re-executes itself as postgres (70:70 on Alpine) with
   * the values in its environment. pg_isready and psql are in the image.
   */
  postgresAlpine: {
    user: '0:0',
    ships: ['sh', 'bash', 'pg_isready', 'psql', 'postgres', 'docker-entrypoint.sh'],
    source: 'https://github.com/docker-library/postgres/blob/master/16/alpine3.22/Dockerfile',
  },
  /** The official redis image, Alpine variant: root entrypoint that drops to redis (999:1000) with su-exec; redis-cli ships with the server. */
  redisAlpine: {
    user: '0:0',
    ships: ['sh', 'wget', 'redis-cli', 'redis-server', 'docker-entrypoint.sh'],
    source: 'https://github.com/redis/docker-library-redis/blob/master/alpine/Dockerfile',
  },
} as const satisfies Record<string, ImageFacts>;

/**
 * A linuxserver.io image: it starts as root (s6-overlay's /init), reads `FILE__<NAME>` files in
 * its root init (init-envfile), then runs the app as PUID:PGID. Their base images carry curl and bash.
 */
export function linuxserverFacts(name: string): ImageFacts {
  return { user: '0:0', ships: ['sh', 'bash', 'curl'], source: `https://github.com/linuxserver/docker-${name}/blob/master/Dockerfile` };
}
