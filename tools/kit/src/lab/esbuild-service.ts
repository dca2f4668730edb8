import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Go's collector runs when the heap reaches (1 + GOGC/100) x what was live after the last run. */
export const ESBUILD_GOGC = '400';

type Build = typeof import('esbuild').build;

/**
 * esbuild's build, with its service process (started by the first build of this process) given
 * GOGC=400 unless GOGC is set already. Bundling a lab keeps nearly all it allocates alive until
 * the end (every file's syntax tree, 1.3 GB for 500 hosts x 40 services), so at Go's default
 * (100) the collector rescanned that heap again and again: a quarter of esbuild's CPU time. Set
 * only for the call that may spawn the service: process.env is this process's again afterwards.
 */
export function buildWithLessCollection(options: Parameters<Build>[0], build: Build = (require('esbuild') as typeof import('esbuild')).build): ReturnType<Build> {
  const unset = process.env.GOGC === undefined;
  if (unset) process.env.GOGC = ESBUILD_GOGC;
  try {
    // esbuild spawns its service synchronously inside build(), before the promise is returned.
    return build(options);
  } finally {
    if (unset) delete process.env.GOGC;
  }
}
