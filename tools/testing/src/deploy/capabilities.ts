import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireTool } from '../tools.js';

/** Linux capabilities by number (capability.h), as the OCI spec names them. */
const CAPABILITIES = [
  'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP', 'LINUX_IMMUTABLE',
  'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'IPC_OWNER', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT', 'SYS_PTRACE',
  'SYS_PACCT', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD', 'LEASE', 'AUDIT_WRITE',
  'AUDIT_CONTROL', 'SETFCAP', 'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ', 'PERFMON', 'BPF', 'CHECKPOINT_RESTORE',
].map((c) => `CAP_${c}`);

/** The capabilities this machine's bounding set lacks (a sandbox may withhold some): none on a real host. */
export function missingCapabilities(status = readFileSync('/proc/self/status', 'utf8')): string[] {
  const hex = /^CapBnd:\s*([0-9a-f]+)$/m.exec(status)?.[1];
  if (!hex) return [];
  const bounding = BigInt(`0x${hex}`);
  return CAPABILITIES.filter((_, bit) => ((bounding >> BigInt(bit)) & 1n) === 0n);
}

/**
 * A runc for the twin's Docker engines when this machine withholds capabilities: a privileged
 * container (cAdvisor) asks for every one, and runc fails "unable to apply caps". The wrapper
 * drops only the withheld ones from the container's spec, then runs the real runc; the report
 * says which. Returns the dockerd flags that make it the default runtime, or none.
 */
export function runtimeFlags(dir: string, missing: readonly string[]): string[] {
  if (missing.length === 0) return [];
  const jq = requireTool('jq');
  const runc = requireTool('runc');
  const wrapper = join(dir, 'twin-runc');
  const drop = JSON.stringify(missing);
  writeFileSync(
    wrapper,
    `#!/bin/sh
# runc, with the capabilities this machine withholds (${missing.join(', ')}) dropped from the spec.
bundle=; process=; prev=
for a in "$@"; do
  case "$prev" in --bundle|-b) bundle=$a;; --process|-p) process=$a;; esac
  prev=$a
done
drop() { # file, path of the capability sets in it; jq only when one is there (grep costs a tenth)
  grep -q -F ${missing.map((c) => `-e ${c}`).join(' ')} "$1" || return 0
  ${jq} --argjson drop '${drop}' "($2 // {}) |= with_entries(.value |= map(select(. as \\$c | \\$drop | index(\\$c) | not)))" "$1" > "$1.twin" && mv "$1.twin" "$1"
}
# runc create/run: the container's spec; runc exec (docker exec, healthchecks): the process's own
[ -n "$bundle" ] && [ -f "$bundle/config.json" ] && drop "$bundle/config.json" .process.capabilities
[ -n "$process" ] && [ -f "$process" ] && drop "$process" .capabilities
exec ${runc} "$@"
`,
  );
  chmodSync(wrapper, 0o755);
  return ['--add-runtime', `twin-runc=${wrapper}`, '--default-runtime', 'twin-runc'];
}
