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
  'drift-container-missing': 'bring it back (compose `up -d` in the release root\'s `current`, or deploy) and find who removed it',
  'drift-container-stopped': 'read its logs (docker logs), then start it or deploy',
  'drift-container-config': 'it was recreated from another definition or image by hand: deploy, and run compose only on the release\'s files',
  'drift-container-extra': 'remove it (docker rm -f), or add the service to the model',
  'drift-image': 'it runs another image than the release names: deploy',
  'drift-file': 'put the file back (plan shows the release\'s files) and find who edits files on the host',
  'drift-guest-missing': "deploy the guest's host: it creates the guest",
  'drift-guest-option': "changed outside the model (web UI, pct/qm set): deploy the guest's host, or put the change into the model",
  'drift-dataset-missing': 'deploy the Proxmox host (it creates datasets; a pool never)',
  'drift-dataset-property': 'set by hand (zfs set): deploy the Proxmox host, or put the value into the layout',
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
