/**
 * What a service's image does by itself, written next to the service and checked against the
 * image's upstream Dockerfile or documentation (never guessed): the user it starts as, who opens
 * the secret files, and the commands a healthcheck or entrypoint may call. The lab twin's
 * stand-in images are built from these facts, so a fact that is wrong fails there as it would in
 * production (docs/adding-a-service.md).
 */
export interface ImageFacts {
  /** The user the image starts its main process as: its Dockerfile's `USER`, as `uid:gid`; `0:0` when it sets none. */
  readonly user: string;
  /**
   * Who opens the secret files, as `uid:gid`, when that is not the user the container starts as:
   * an image that starts as root and reads its `*_FILE` settings only after dropping to its own
   * user (Nextcloud's PHP reads `POSTGRES_PASSWORD_FILE` as www-data, 33:33). Left out when the
   * start user reads them (postgres' entrypoint reads `*_FILE` as root before `gosu postgres`;
   * linuxserver images read `FILE__*` in their root init). A service's own `user` overrides both:
   * an entrypoint that does not start as root cannot drop to anyone.
   */
  readonly secretsReadAs?: string;
  /**
   * Commands the image ships that a healthcheck or entrypoint of the lab may call: a bare name is
   * found on PATH (`curl`), a path is that file (`/healthcheck.sh`). Not an inventory of the image:
   * what the lab calls, each checked upstream. `sh` means the image has `/bin/sh` (CMD-SHELL needs it).
   */
  readonly ships: readonly string[];
  /** Where these facts were checked: the Dockerfile or documentation page (a URL). */
  readonly source: string;
  /**
   * The evidence: the image digest `homelab images verify` read these facts from, and the day.
   * Written by `homelab images verify --update`, never by hand; absent until verify has run.
   * Facts verified at another digest than the one the image is pinned to are stale (a warning).
   */
  readonly verified?: ImageFactsVerified;
}

export interface ImageFactsVerified {
  /** The manifest (or index) digest the facts were read from, `sha256:` and 64 hex digits. */
  readonly digest: string;
  /** The day it was read, `YYYY-MM-DD`. */
  readonly at: string;
}

export interface UidGid {
  readonly uid: number;
  readonly gid: number;
}

const UID_GID = /^(\d+):(\d+)$/;

/** `uid:gid` as numbers; undefined for anything else (a name, a uid without a group). */
export function parseUidGid(text: string | undefined): UidGid | undefined {
  const m = text === undefined ? null : UID_GID.exec(text);
  return m ? { uid: Number(m[1]), gid: Number(m[2]) } : undefined;
}

export function formatUidGid(id: UidGid): string {
  return `${id.uid}:${id.gid}`;
}

/** The directories a bare command is looked up in (the images' usual PATH). */
export const COMMAND_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'] as const;

/** Whether `command` (a bare name or a path) is one of `ships`: a bare name matches a shipped path in a PATH directory and back. */
export function shipsCommand(ships: readonly string[], command: string): boolean {
  if (ships.includes(command)) return true;
  const slash = command.lastIndexOf('/');
  if (slash >= 0) {
    const dir = command.slice(0, slash) || '/';
    return (COMMAND_PATH as readonly string[]).includes(dir) && ships.includes(command.slice(slash + 1));
  }
  return COMMAND_PATH.some((dir) => ships.includes(`${dir}/${command}`));
}
