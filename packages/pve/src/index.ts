import { defineProxmoxStorage } from '@homelab/kit';
import { guests } from './guest-backups.js';
import host from './host.js';
import { offsite } from './replication.js';
import { snapshots } from './snapshots.js';

export default defineProxmoxStorage(host, { snapshots, replication: [offsite], guestBackups: [guests] });
