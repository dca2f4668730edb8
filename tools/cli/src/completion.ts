import { HELP_OPTION, type Command, type OptionDecl } from './command.js';

/** The shells `homelab completion` writes a script for. */
export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** What a shell completes after `homelab`: each command with its options (--help included), then the words outside the table. */
interface Word {
  readonly name: string;
  readonly summary: string;
  readonly options: readonly (readonly [string, OptionDecl])[];
  /** Fixed words its first argument takes (`completion bash|zsh|fish`, `help <command>`). */
  readonly values?: readonly string[];
}

function words(commands: Readonly<Record<string, Command>>): Word[] {
  const table = Object.entries(commands).map(([name, c]) => ({ name, summary: c.summary, options: Object.entries({ ...c.options, help: HELP_OPTION }) }));
  return [
    ...table,
    { name: 'help', summary: 'the options and an example of a command', options: [], values: Object.keys(commands) },
    { name: 'completion', summary: 'the shell completion script for bash, zsh or fish', options: [], values: [...SHELLS] },
    { name: 'version', summary: 'the version of homelab', options: [] },
  ];
}

const flags = (w: Word) => w.options.flatMap(([n, o]) => [`--${n}`, ...(o.short ? [`-${o.short}`] : [])]);

function bash(all: readonly Word[]): string {
  const cases = all.map((w) => `    ${w.name}) words=${JSON.stringify([...flags(w), ...(w.values ?? [])].join(' '))} ;;`);
  return [
    '# homelab completion for bash: source <(homelab completion bash), or save it as',
    '# ~/.local/share/bash-completion/completions/homelab. Generated from the command table.',
    '_homelab() {',
    '  local cur=${COMP_WORDS[COMP_CWORD]} words',
    '  if [ "$COMP_CWORD" -eq 1 ]; then',
    `    words=${JSON.stringify([...all.map((w) => w.name), '--help', '--version'].join(' '))}`,
    '  else',
    '    case "${COMP_WORDS[1]}" in',
    ...cases,
    '    *) words="" ;;',
    '    esac',
    '  fi',
    '  mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")',
    '}',
    'complete -o default -F _homelab homelab',
    '',
  ].join('\n');
}

/** Text inside a zsh `_arguments` description or a `_describe` item: `\`, `[`, `]` and `:` escaped. */
const zesc = (s: string) => s.replace(/\\/g, '\\\\').replace(/([[\]:])/g, '\\$1');
/** A word in single quotes for zsh. */
const zq = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

function zsh(all: readonly Word[]): string {
  const cases = all.map((w) => {
    const specs = w.options.map(([n, o]) => zq(`--${n}[${zesc(o.description)}]${o.type === 'string' ? `:${zesc(o.value ?? 'value')}: ` : ''}`));
    const values = w.values ? [`'1:${w.name === 'help' ? 'command' : 'shell'}:(${w.values.join(' ')})'`] : [];
    return `    ${w.name}) _arguments ${[...specs, ...values, "'*:file:_files'"].join(' ')} ;;`;
  });
  return [
    '#compdef homelab',
    '# homelab completion for zsh: source <(homelab completion zsh), or save it as _homelab on your $fpath.',
    '# Generated from the command table.',
    '_homelab() {',
    '  local -a commands',
    `  commands=(${all.map((w) => zq(`${w.name}:${zesc(w.summary)}`)).join(' ')})`,
    '  if (( CURRENT == 2 )); then',
    "    _describe 'command' commands",
    '    return',
    '  fi',
    '  shift words; (( CURRENT-- ))',
    '  case $words[1] in',
    ...cases,
    '  esac',
    '}',
    'if [ "$funcstack[1]" = "_homelab" ]; then _homelab "$@"; else compdef _homelab homelab; fi',
    '',
  ].join('\n');
}

/** A fish argument, single-quoted (fish escapes only \\ and ' inside). */
const fq = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function fish(all: readonly Word[]): string {
  const names = all.map((w) => w.name).join(' ');
  const lines = [
    '# homelab completion for fish: homelab completion fish | source, or save it as',
    '# ~/.config/fish/completions/homelab.fish. Generated from the command table.',
    'complete -c homelab -f',
    ...all.map((w) => `complete -c homelab -n "not __fish_seen_subcommand_from ${names}" -a ${w.name} -d ${fq(w.summary)}`),
  ];
  for (const w of all) {
    for (const [n, o] of w.options) lines.push(`complete -c homelab -n "__fish_seen_subcommand_from ${w.name}" -l ${n}${o.short ? ` -s ${o.short}` : ''}${o.type === 'string' ? ' -r' : ''} -d ${fq(o.description)}`);
    if (w.values) lines.push(`complete -c homelab -n "__fish_seen_subcommand_from ${w.name}" -a ${fq(w.values.join(' '))}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `homelab completion <shell>`: the script, from the command table, so a new command or option completes without anyone writing it. */
export function completionScript(shell: Shell, commands: Readonly<Record<string, Command>>): string {
  const all = words(commands);
  return shell === 'bash' ? bash(all) : shell === 'zsh' ? zsh(all) : fish(all);
}
