#!/usr/bin/env node
// The `homelab` command. Runs the compiled CLI; recompiles the tools first when their sources are newer.
import { ensureToolsBuilt } from './fresh.mjs';

// `homelab validate | head` closes stdout early: that ends the output, it is no failure.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
ensureToolsBuilt();
const { main } = await import('../lib/main.js');
process.exitCode = await main(process.argv.slice(2));
