import { defineProxmoxStorage } from '@homelab/kit';
import host from './host.js';
import { offsite } from './replication.js';
import { snapshots } from './snapshots.js';

export default defineProxmoxStorage(host, { snapshots, replication: [offsite] });
