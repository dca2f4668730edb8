import { defineHost } from '@homelab/kit';
import { hostExporter } from '@homelab/shared';
import lxc from './host.js';
import nfs from './services/nfs.js';
import samba from './services/samba.js';

export default defineHost(lxc, { services: [], daemons: [nfs, samba, hostExporter] });
