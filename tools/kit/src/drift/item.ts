import type { Finding } from '../findings.js';

/** One thing on a host that is not what the model (or the release deploy recorded) says it is. */
export interface DriftItem {
  readonly code: DriftCode;
  readonly host: string;
  /** What drifted, as a path under the host: `containers/web1`, `files/compose.yaml`, `guests/101/memory`, `zfs/tank/media/compression`. */
  readonly what: string;
  readonly expected: string;
  readonly actual: string;
}

/** The codes of drift findings; each has a `##` entry in docs/findings.md ("Drift"). */
export const DRIFT_CODES = [
  'drift-no-release',
  'drift-container-missing',
  'drift-container-stopped',
  'drift-container-config',
  'drift-container-extra',
  'drift-image',
  'drift-file',
  'drift-guest-missing',
  'drift-guest-option',
  'drift-dataset-missing',
  'drift-dataset-property',
] as const;

export type DriftCode = (typeof DRIFT_CODES)[number];

/** A drift item in the house finding shape, its fields kept alongside for `--json` readers. */
export type DriftFinding = Finding & Omit<DriftItem, 'code'>;

const HINT: Readonly<Record<DriftCode, string>> = {
  'drift-no-release': 'deploy the host',
  'drift-container-missing': '`homelab deploy` brings it back (or find who removed it)',
  'drift-container-stopped': 'start it, or deploy; find out why it stopped (docker logs)',
  'drift-container-config': 'something recreated it by hand; deploy to put the release back',
  'drift-container-extra': 'a container the release does not define: remove it, or add the service to the model',
  'drift-image': 'the container runs another image than the release pins; deploy again',
  'drift-file': 'a file of the current release was changed on the host; deploy does not re-upload a release it already has: redeploy after removing the release, or put the file back',
  'drift-guest-missing': 'deploy the guest\'s host (it creates the guest)',
  'drift-guest-option': 'changed outside the model (web UI, pct/qm set): deploy the guest\'s host, or put the change in the model',
  'drift-dataset-missing': 'deploy the Proxmox host (it creates datasets)',
  'drift-dataset-property': 'set by hand (zfs set): deploy the Proxmox host, or put the value in the layout',
};

export function driftFinding(item: DriftItem): DriftFinding {
  const { code, ...rest } = item;
  return {
    code,
    severity: 'error',
    path: `${item.host}/${item.what}`,
    message: `expected ${item.expected}, found ${item.actual}: ${HINT[code]}.`,
    ...rest,
  };
}

/** Items in a stable order (host, then what), so output and tests do not shuffle. */
export function sortDrift(items: readonly DriftItem[]): DriftItem[] {
  return [...items].sort((a, b) => a.host.localeCompare(b.host) || a.what.localeCompare(b.what) || a.code.localeCompare(b.code));
}
