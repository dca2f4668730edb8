import { defineHost } from '@homelab/kit';
import lxc from './host.js';
import tailscale from './services/tailscale.js';

export default defineHost(lxc, { services: [], daemons: [tailscale] });
