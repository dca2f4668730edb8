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

/** A Markdown table cell: pipes escaped, one line. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
}

/**
 * docs/cli.md: every command of the table with its usage, summary, options and examples, and the
 * commands main.ts answers itself (help, --version, completion). Written by `homelab docs`, held
 * equal to the table by `homelab docs --check`.
 */
export function cliReference(commands: Readonly<Record<string, Command>>): string {
  const out = [
    '# The `homelab` command',
    '',
    'Generated from the command table (`tools/cli/src/commands/`) by `pnpm homelab docs`; do not edit.',
    'Run from anywhere inside the workspace (`pnpm homelab <command>`). Exit codes: 0 ok, 1 findings or failure, 2 usage.',
    '',
    '| command | what it does |',
    '|---|---|',
    ...Object.entries(commands).map(([name, c]) => `| [\`${name}\`](#homelab-${name}) | ${cell(c.summary)} |`),
    '| `help <command>` | its options and examples (the same as `<command> --help`) |',
    '| `--version` | the installed version (anywhere, no workspace needed) |',
    '| `completion bash\\|zsh\\|fish` | a completion script for your shell, from this table: `source <(homelab completion bash)` |',
    '',
  ];
  for (const [name, c] of Object.entries(commands)) {
    out.push(`## homelab ${name}`, '', '```', `homelab ${name}${c.args ? ` ${c.args}` : ''} [options]`, '```', '', c.summary, '');
    const options = Object.entries({ ...c.options, help: HELP_OPTION });
    out.push('| option | |', '|---|---|', ...options.map(([n, o]) => `| \`${optionLabel(n, o)}\` | ${cell(o.description)}${o.multiple ? ' (may be repeated)' : ''} |`), '');
    out.push('Examples:', '', '```sh', ...c.examples, '```', '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
