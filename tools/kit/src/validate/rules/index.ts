import type { Rule } from '../rule.js';
import { declaredRule } from './declared.js';
import { dependsOnRule } from './depends-on.js';
import { imageRule } from './image.js';
import { networkModeRule } from './network-mode.js';
import { portsRule } from './ports.js';
import { secretsRule } from './secrets.js';
import { proxmoxHostRule } from './proxmox-host.js';
import { storageChainRule } from './storage-chain.js';
import { storageIdsRule } from './storage-ids.js';
import { storageReplicationRule } from './storage-replication.js';
import { storageSnapshotsRule } from './storage-snapshots.js';
import { zfsLayoutRule } from './zfs-layout.js';

/** The storage layer's rules: layout, Proxmox host, dataset-to-container chain, snapshots, replication. */
const storageRules: readonly Rule[] = [zfsLayoutRule, proxmoxHostRule, storageChainRule, storageIdsRule, storageSnapshotsRule, storageReplicationRule];

/** Every rule the lab is checked by; a new rule is one file plus one line here. */
export const rules: readonly Rule[] = [networkModeRule, portsRule, declaredRule, dependsOnRule, imageRule, secretsRule, ...storageRules];
