import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { LabError, findWorkspaceRoot, loadLab, saveCodeCaches, type LoadedLab } from '@homelab/kit';
import { HELP_OPTION, type Command } from './command.js';
import { commands } from './commands/index.js';
import { UsageError } from './errors.js';
import { commandHelp, usage } from './help.js';
import { completionScript, SHELLS, type Shell } from './completion.js';
import { printFindings } from './output.js';
import { didYouMean } from '@homelab/kit';

function unknownCommand(name: string): number {
  process.stderr.write(`homelab: unknown command "${name}".${didYouMean(name, Object.keys(commands))}\n\n${usage(commands)}`);
  return 2;
}

/** parseArgs' own message, made about this command: which option, what it offers instead, where help is. */
function parseError(name: string, command: Command, e: Error & { code?: string }): string {
  const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(e.message);
  const detail = unknown
    ? `unknown option ${unknown[1]}.${didYouMean(unknown[1]!.replace(/^-+/, ''), Object.keys(command.options)).replace(/"(.+)"/, '"--$1"')}`
    : e.message;
  return `homelab ${name}: ${detail}\nRun \`homelab ${name} --help\` for its options.\n`;
}

/** The CLI's version: its package's, read beside the compiled (lib/) or source (src/) module. */
export function version(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** Runs one command; returns the exit code. User mistakes never escape as stack traces. */
export async function main(argv: readonly string[], cwd: string = process.cwd()): Promise<number> {
  const [name, ...rest] = argv;
  // Answered anywhere, inside a workspace or not: what is installed.
  if (name === '--version' || name === '-V' || name === 'version') {
    process.stdout.write(`homelab ${version()}\n`);
    return 0;
  }
  // A shell's completion script, from the command table: answered anywhere too.
  if (name === 'completion') {
    const shell = rest[0];
    if (rest.length !== 1 || !(SHELLS as readonly string[]).includes(shell!)) {
      process.stderr.write(`usage: homelab completion ${SHELLS.join('|')}\n  bash: source <(homelab completion bash)   zsh: source <(homelab completion zsh)   fish: homelab completion fish | source\n`);
      return 2;
    }
    process.stdout.write(completionScript(shell as Shell, commands));
    return 0;
  }
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(usage(commands));
    return name ? 0 : 2;
  }
  if (name === 'help') {
    if (rest.length === 0) {
      process.stdout.write(usage(commands));
      return 0;
    }
    const about = commands[rest[0]!];
    if (!about || rest.length > 1) return unknownCommand(rest.join(' '));
    process.stdout.write(commandHelp(rest[0]!, about));
    return 0;
  }
  const command: Command | undefined = commands[name];
  if (!command) return unknownCommand(name);
  let parsed;
  try {
    parsed = parseArgs({ args: [...rest], options: { ...command.options, help: HELP_OPTION }, allowPositionals: true, strict: true });
  } catch (e) {
    process.stderr.write(parseError(name, command, e as Error));
    return 2;
  }
  if (parsed.values.help === true) {
    process.stdout.write(commandHelp(name, command));
    return 0;
  }
  const values: Record<string, unknown> = { ...parsed.values };
  delete values.help;
  const json = values.json === true;
  let root: string;
  try {
    root = findWorkspaceRoot(cwd);
  } catch (e) {
    // Outside a workspace: one line and a usage exit, never a stack trace.
    process.stderr.write(`homelab ${name}: not inside a homelab workspace (${(e as Error).message}): run it from the project's folder or below.\n`);
    return 2;
  }
  let loaded: LoadedLab;
  try {
    loaded = await loadLab(root);
  } catch (e) {
    if (e instanceof LabError) {
      printFindings([e.toFinding()], json);
      return 1;
    }
    throw e;
  }
  try {
    const code = await command.run(loaded, parsed.positionals, values);
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
