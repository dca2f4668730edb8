import type { Command } from '../command.js';
import { affected } from './affected.js';
import { build } from './build.js';
import { deploy } from './deploy.js';
import { diff } from './diff.js';
import { docs } from './docs.js';
import { drift } from './drift.js';
import { images } from './images.js';
import { inventory } from './inventory.js';
import { plan } from './plan.js';
import { rollback } from './rollback.js';
import { restore } from './restore.js';
import { secret } from './secret.js';
import { validate } from './validate.js';
import { zfsPlan } from './zfs-plan.js';

export const commands: Readonly<Record<string, Command>> = { validate, build, affected, diff, docs, inventory, 'zfs-plan': zfsPlan, plan, deploy, rollback, restore, drift, images, secret };
