import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time (ms) of this process's live child processes named `name` (Linux /proc; 0 elsewhere).
 * esbuild's service is such a child: it is never waited for, so the kernel counts its time
 * nowhere this process can ask, and on a shared machine wall time alone says little.
 */
export function childCpuMs(name: string): number {
  let total = 0;
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        // After the name: state, ppid, ... utime and stime are the 12th and 13th (clock ticks of 10 ms).
        if (comm === name && Number(fields[1]) === process.pid) total += (Number(fields[11]) + Number(fields[12])) * 10;
      } catch {
        // the process ended while we looked
      }
    }
  } catch {
    return 0;
  }
  return total;
}
