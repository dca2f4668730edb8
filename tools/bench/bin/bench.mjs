#!/usr/bin/env node
// pnpm bench: prints the figures; asserts nothing (speed goals are read, not tested).
const { main } = await import('../lib/main.js');
process.exitCode = await main(process.argv.slice(2));
