import { spawn } from 'node:child_process';
import { cachedDirAsync, type CacheEntry } from './archive.js';

/** Runs argv in the background; rejects with its exit and stderr. */
function runInBackground(argv: readonly string[], what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', (e) => reject(new Error(`twin: ${what} failed: ${e.message}`)));
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`twin: ${what} failed (${code}): ${stderr.trim()}`))));
  });
}

/**
 * Makes the twin's cache entries that are missing side by side, each in a child process (the
 * Debian roots: mmdebstrap, about a minute each, much of it waiting on Debian's archive). On a
 * fresh machine the twin otherwise made them one after the other, in the synchronous builds
 * that first need each (the container template at the node's start, every real daemon's root at
 * its VM's boot). Returns the names it made, each with the seconds it took. Await it before anything asks for the same entries.
 */
export async function prewarmCache(entries: readonly CacheEntry[]): Promise<string[]> {
  const unique = [...new Map(entries.map((e) => [e.name, e])).values()];
  const made: string[] = [];
  // Every maker ends before this returns, failed or not: none keeps running (or holding its lock)
  // after the twin gives up on the first failure.
  const settled = await Promise.allSettled(
    unique.map((e) =>
      cachedDirAsync(e.name, async (d) => {
        const began = Date.now();
        await runInBackground(e.argv(d), e.what);
        e.finish?.(d);
        made.push(`${e.name} (${Math.round((Date.now() - began) / 1000)} s)`);
      }),
    ),
  );
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return made.sort();
}
