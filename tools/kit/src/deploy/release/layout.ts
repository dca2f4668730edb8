import type { ResolvedTarget } from '../connect/target.js';

/**
 * Where a host's releases live on the machine that holds them:
 *   <releaseRoot>/<host>/releases/<id>/   one directory per release, named by its id
 *   <releaseRoot>/<host>/current          a symlink to releases/<id>, switched by rename
 *   <releaseRoot>/<host>/deploy.lock      flock(1) lock, held by the deploy's remote shell
 *   <releaseRoot>/<host>/deploys.jsonl    the deploy record: who deployed which commit when
 *   <releaseRoot>/<host>/deploy.pending   written before `current` is switched, removed with the record:
 *                                         a run cut in between left it, and the next run finishes its work
 */
export interface RemoteLayout {
  readonly dir: string;
  readonly releases: string;
  readonly current: string;
  readonly lock: string;
  readonly lockInfo: string;
  readonly history: string;
  readonly pending: string;
  release(id: string): string;
}

export function remoteLayout(t: ResolvedTarget, host: string): RemoteLayout {
  const dir = `${t.releaseRoot.replace(/\/+$/, '')}/${host}`;
  return {
    dir,
    releases: `${dir}/releases`,
    current: `${dir}/current`,
    lock: `${dir}/deploy.lock`,
    lockInfo: `${dir}/deploy.lock.info`,
    history: `${dir}/deploys.jsonl`,
    pending: `${dir}/deploy.pending`,
    release: (id) => `${dir}/releases/${id}`,
  };
}
