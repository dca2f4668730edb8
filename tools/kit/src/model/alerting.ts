import type { HostDef } from './host.js';
import type { Lab } from './lab.js';
import { findRole, reach } from './wiring.js';

/** Alertmanager's port (its web UI, API and metrics). */
export const ALERTMANAGER_PORT = 9093;

/** Where the metrics store sends its alerts: the Alertmanager, as the store's host reaches it. */
export function alertmanagerTarget(lab: Lab, store: HostDef): string | undefined {
  const am = findRole(lab, 'alert-manager');
  const at = am && reach(store, am, ALERTMANAGER_PORT);
  return at ? `${at.host}:${at.port}` : undefined;
}
