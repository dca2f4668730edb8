import type { DeployRequest, LoadedLab, TargetOverrides } from '@homelab/kit';
import { findWorkspaceRoot, isDeployError, labMachines } from '@homelab/kit';
import type { OptionDecl } from '../command.js';
import { noSuchHost, UsageError } from '../errors.js';
import { chosenHosts } from './hosts.js';
import { terminalProgress } from '../progress.js';

/** Per-run overrides of how the host is reached (they win over HOMELAB_DEPLOY_<HOST>_*, ~/.ssh/config and the model). */
export const targetOptions = {
  address: { type: 'string', value: 'ADDRESS', description: "connect here instead of the model's address" },
  port: { type: 'string', value: 'PORT', description: 'SSH port (default 22, or the Port of a matching ~/.ssh/config entry)' },
  user: { type: 'string', value: 'USER', description: 'SSH user (default root, or the User of a matching ~/.ssh/config entry)' },
  'host-key': { type: 'string', value: 'SHA256:...', description: "pin the host key's fingerprint for this run" },
  compose: { type: 'string', value: 'CMD', description: 'the compose command on the host (default: docker compose)' },
  root: { type: 'string', value: 'DIR', description: 'where releases live on the host' },
  key: { type: 'string', value: 'FILE', description: 'the SSH private key to use' },
} as const satisfies Record<string, OptionDecl>;

export const WAIT_OPTION = { type: 'string', value: 'SECONDS', description: 'how long to wait for the services to be healthy' } as const satisfies OptionDecl;

export type TargetValues = { readonly [K in keyof typeof targetOptions]: string | undefined } & { readonly wait?: string | undefined; readonly force?: boolean };

/** The one host a deploy command names, with everything the kit needs to reach it. */
export async function deployRequest(loaded: LoadedLab, positionals: readonly string[], values: TargetValues, quiet = false): Promise<DeployRequest> {
  const machines = labMachines(loaded.lab);
  const known = machines.map((h) => h.name);
  if (positionals.length !== 1) throw new UsageError(`name exactly one host; the lab has: ${known.join(', ')}`);
  const name = positionals[0]!;
  const host = machines.find((h) => h.name === name);
  if (!host) throw noSuchHost(name, known);
  const overrides: TargetOverrides = {
    ...(values.address ? { address: values.address } : {}),
    ...(values.port ? { port: values.port } : {}),
    ...(values.user ? { user: values.user } : {}),
    ...(values['host-key'] ? { hostKey: values['host-key'] } : {}),
    ...(values.compose ? { compose: values.compose } : {}),
    ...(values.root ? { root: values.root } : {}),
    ...(values.key ? { key: values.key } : {}),
  };
  const wait = values.wait;
  if (wait !== undefined && !/^\d+$/.test(wait)) throw new UsageError(`--wait takes whole seconds; got "${wait}"`);
  return {
    root: findWorkspaceRoot(loaded.root),
    lab: loaded.lab,
    host,
    hostDir: loaded.hostDirs.get(name)!,
    overrides,
    ...(wait ? { waitSeconds: Number(wait) } : {}),
    force: values.force === true,
    ...(quiet ? {} : { progress: await terminalProgress() }),
  };
}

/**
 * The hosts a reading command (drift, ps) covers: those named, else every machine of the lab. A
 * target flag says how to reach one host, so it needs exactly one named.
 */
export function hostsToRead(loaded: LoadedLab, positionals: readonly string[], values: TargetValues): string[] {
  const names = positionals.length > 0 ? chosenHosts(loaded, positionals) : labMachines(loaded.lab).map((h) => h.name);
  const overridden = Object.keys(targetOptions).filter((k) => values[k as keyof typeof targetOptions] !== undefined);
  if (overridden.length > 0 && names.length !== 1) throw new UsageError(`--${overridden[0]} names how to reach one host: name exactly one host with it`);
  return names;
}

/** A host a reading command could not read: its deploy failure code and message. */
export interface HostUnread {
  readonly host: string;
  readonly error: { readonly code: string; readonly message: string };
}

/**
 * Reads each host with `read` (given its deploy request), one after the other or all at once; a
 * host that fails with a DeployError (unreachable, host key...) is reported as such, in order.
 */
export async function readEachHost<T>(loaded: LoadedLab, names: readonly string[], values: TargetValues, read: (request: DeployRequest) => Promise<T>, together = false): Promise<(T | HostUnread)[]> {
  const one = async (name: string): Promise<T | HostUnread> => {
    const request = await deployRequest(loaded, [name], values, true);
    try {
      return await read(request);
    } catch (e) {
      if (!isDeployError(e)) throw e;
      return { host: name, error: { code: e.code, message: e.message } };
    }
  };
  if (together) return Promise.all(names.map(one));
  const out: (T | HostUnread)[] = [];
  for (const name of names) out.push(await one(name));
  return out;
}
