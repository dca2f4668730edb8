import { parseArgs } from 'node:util';
import { LabError, findWorkspaceRoot, loadLab, saveCodeCaches, type LoadedLab } from '@homelab/kit';
import { commands, type Command } from './commands/index.js';
import { UsageError } from './errors.js';
import { printFindings } from './output.js';

const USAGE = `usage: homelab <command> [options]

commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join('\n')}

Run from anywhere inside the workspace. Exit codes: 0 ok, 1 findings or failure, 2 usage.`;

/** Runs one command; returns the exit code. User mistakes never escape as stack traces. */
export async function main(argv: readonly string[], cwd: string = process.cwd()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  const command: Command | undefined = commands[name];
  if (!command) {
    process.stderr.write(`homelab: unknown command "${name}"\n\n${USAGE}\n`);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...rest], options: command.options, allowPositionals: true, strict: true });
  } catch (e) {
    process.stderr.write(`homelab ${name}: ${(e as Error).message}\n\nusage: homelab ${name} ${command.usage}\n`);
    return 2;
  }
  const json = parsed.values.json === true;
  let loaded: LoadedLab;
  try {
    loaded = await loadLab(findWorkspaceRoot(cwd));
  } catch (e) {
    if (e instanceof LabError) {
      printFindings([e.toFinding()], json);
      return 1;
    }
    throw e;
  }
  try {
    const code = await command.run(loaded, parsed.positionals, parsed.values);
    saveCodeCaches();
    return code;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`homelab ${name}: ${e.message}\n`);
      return 2;
    }
    if (e instanceof LabError) {
      printFindings([e.toFinding()], json);
      return 1;
    }
    throw e;
  }
}
