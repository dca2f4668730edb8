import { labMachines, type LoadedLab } from '@homelab/kit';
import { noSuchHost } from '../errors.js';

/** The host names given on the command line, each checked against the lab. */
export function chosenHosts(loaded: LoadedLab, names: readonly string[]): string[] {
  const known = labMachines(loaded.lab).map((h) => h.name);
  for (const name of names) {
    if (!known.includes(name)) throw noSuchHost(name, known);
  }
  return [...names];
}
