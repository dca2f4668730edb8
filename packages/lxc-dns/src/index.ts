import { defineHost } from '@homelab/kit';
import { hostExporter } from '@homelab/shared';
import lxc from './host.js';
import adguard from './services/adguard.js';

export default defineHost(lxc, { services: [], daemons: [adguard, hostExporter] });
