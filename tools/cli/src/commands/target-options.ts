import type { DeployRequest, LoadedLab, TargetOverrides } from '@homelab/kit';
import { findWorkspaceRoot, labMachines } from '@homelab/kit';
import { UsageError } from '../errors.js';
import type { OptionSpec } from './index.js';
import { terminalProgress } from '../progress.js';

/** Per-run overrides of how the host is reached (they win over HOMELAB_DEPLOY_<HOST>_* and the model). */
export const targetOptions: OptionSpec = {
  address: { type: 'string' },
  port: { type: 'string' },
  user: { type: 'string' },
  'host-key': { type: 'string' },
  compose: { type: 'string' },
  root: { type: 'string' },
  key: { type: 'string' },
};

export const TARGET_USAGE = '[--address A] [--port P] [--user U] [--host-key SHA256:...] [--compose CMD] [--root DIR] [--key FILE]';

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The one host a deploy command names, with everything the kit needs to reach it. */
export async function deployRequest(loaded: LoadedLab, positionals: readonly string[], values: Record<string, unknown>, quiet = false): Promise<DeployRequest> {
  const machines = labMachines(loaded.lab);
  const known = machines.map((h) => h.name).join(', ');
  if (positionals.length !== 1) throw new UsageError(`name exactly one host; the lab has: ${known}`);
  const name = positionals[0]!;
  const host = machines.find((h) => h.name === name);
  if (!host) throw new UsageError(`no host named "${name}"; the lab has: ${known}`);
  const overrides: TargetOverrides = {
    ...(str(values.address) ? { address: str(values.address) } : {}),
    ...(str(values.port) ? { port: str(values.port) } : {}),
    ...(str(values.user) ? { user: str(values.user) } : {}),
    ...(str(values['host-key']) ? { hostKey: str(values['host-key']) } : {}),
    ...(str(values.compose) ? { compose: str(values.compose) } : {}),
    ...(str(values.root) ? { root: str(values.root) } : {}),
    ...(str(values.key) ? { key: str(values.key) } : {}),
  };
  const wait = str(values.wait);
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
