import { formatReport } from './report.js';
import { runTwin } from './run.js';

/**
 * `pnpm twin [--json] [--reboot] [--unverified-facts] [host...]`: the whole lab up, deployed and probed, then torn down.
 * Prints the report (or one JSON document with --json) and exits 1 when a probe failed. --reboot
 * also cuts every VM's power, boots it and probes it again (docs/twin.md). --unverified-facts builds
 * stand-ins from image facts not verified at their pinned digest, and the report says so (docs/images.md).
 */
const args = process.argv.slice(2);
const json = args.includes('--json');
const hosts = args.filter((a) => !a.startsWith('--'));
if (process.getuid?.() !== 0) {
  console.error('twin: needs root (it makes network and mount namespaces); run it as root or in CI.');
  process.exit(2);
}
const report = await runTwin({ ...(hosts.length ? { hosts } : {}), ...(args.includes('--reboot') ? { reboot: true } : {}), ...(args.includes('--unverified-facts') ? { unverifiedFacts: true } : {}), say: (line) => console.error(`twin: ${line}`) });
console.log(json ? JSON.stringify(report, null, 2) : formatReport(report));
process.exitCode = report.probes.every((p) => p.ok) ? 0 : 1;
