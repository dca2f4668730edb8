import type { LoadedLab } from '@homelab/kit';
import { affected } from './affected.js';
import { build } from './build.js';
import { deploy } from './deploy.js';
import { diff } from './diff.js';
import { docs } from './docs.js';
import { inventory } from './inventory.js';
import { plan } from './plan.js';
import { rollback } from './rollback.js';
import { restore } from './restore.js';
import { secret } from './secret.js';
import { validate } from './validate.js';
import { zfsPlan } from './zfs-plan.js';

export type OptionSpec = Record<string, { type: 'boolean' | 'string'; short?: string; multiple?: boolean }>;

export interface Command {
  readonly summary: string;
  readonly usage: string;
  readonly options: OptionSpec;
  run(loaded: LoadedLab, positionals: string[], values: Record<string, unknown>): Promise<number>;
}

export const commands: Record<string, Command> = { validate, build, affected, diff, docs, inventory, 'zfs-plan': zfsPlan, plan, deploy, rollback, restore, secret };
