#!/usr/bin/env node
// The `homelab` command. Runs the compiled CLI; recompiles the tools first when their sources are newer.
import { ensureToolsBuilt } from './fresh.mjs';

ensureToolsBuilt();
const { main } = await import('../lib/main.js');
process.exitCode = await main(process.argv.slice(2));
