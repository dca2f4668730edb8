import { defineHost } from '@homelab/kit';
import { hostExporter } from '@homelab/shared';
import lxc from './host.js';
import tailscale from './services/tailscale.js';

export default defineHost(lxc, { services: [], daemons: [tailscale, hostExporter] });
