import { serviceExec } from '@homelab/kit';
import { defineCommand } from '../command.js';
import { reportDeployErrors } from '../deploy-output.js';
import { serviceRequest } from './service-ref.js';
import { targetOptions } from './target-options.js';

export const exec = defineCommand({
  summary: "run a command inside a service (its container, its deployment's pod, or the guest its daemon runs in); exits with the command's exit code",
  args: '<[host/]service> -- <command...>',
  options: { ...targetOptions },
  examples: ["homelab exec vm-media/sonarr -- ls -l /config", 'homelab exec postgres -- psql -U nextcloud', "homelab exec lxc-dns/adguard -- systemctl status AdGuardHome"],
  async run(loaded, positionals, values) {
    const [ref, ...argv] = positionals;
    return reportDeployErrors(false, async () => {
      const { service, request } = await serviceRequest(loaded, ref, values);
      // A terminal here gets one there (an interactive shell works); piped input is passed on as it is.
      const stdin = process.stdin;
      const tty = stdin.isTTY && process.stdout.isTTY ? { rows: process.stdout.rows, columns: process.stdout.columns, term: process.env.TERM ?? 'xterm' } : undefined;
      if (tty) stdin.setRawMode(true);
      try {
        return await serviceExec(request, service, argv, { stdout: process.stdout, stderr: process.stderr, stdin, ...(tty ? { tty } : {}) });
      } finally {
        if (tty) stdin.setRawMode(false);
        stdin.pause();
        stdin.unref?.();
      }
    });
  },
});
