import { defineHost } from '@homelab/kit';
import lxc from './host.js';
import adguard from './services/adguard.js';

export default defineHost(lxc, { services: [], daemons: [adguard] });
