import { HELP_OPTION, type Command, type OptionDecl } from './command.js';

function optionLabel(name: string, o: OptionDecl): string {
  const flag = `${o.short ? `-${o.short}, ` : ''}--${name}`;
  return o.type === 'string' ? `${flag} ${o.value ?? 'VALUE'}` : flag;
}

/** `homelab <name> --help`: usage, summary, every declared option, examples. */
export function commandHelp(name: string, command: Command): string {
  const options = Object.entries({ ...command.options, help: HELP_OPTION });
  const labels = options.map(([n, o]) => optionLabel(n, o));
  const width = Math.max(...labels.map((l) => l.length));
  return [
    `usage: homelab ${name}${command.args ? ` ${command.args}` : ''} [options]`,
    '',
    command.summary,
    '',
    'options:',
    ...options.map(([, o], i) => `  ${labels[i]!.padEnd(width)}  ${o.description}${o.multiple ? ' (may be repeated)' : ''}`),
    '',
    'examples:',
    ...command.examples.map((e) => `  ${e}`),
    '',
  ].join('\n');
}

/** `homelab --help`: the list of commands. */
export function usage(commands: Readonly<Record<string, Command>>): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  return [
    'usage: homelab <command> [options]',
    '',
    'commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    '`homelab <command> --help` (or `homelab help <command>`) shows its options and an example; `homelab --version` the version;',
    '`homelab completion bash|zsh|fish` a completion script for your shell.',
    'Run from anywhere inside the workspace. Exit codes: 0 ok, 1 findings or failure, 2 usage.',
    '',
  ].join('\n');
}
