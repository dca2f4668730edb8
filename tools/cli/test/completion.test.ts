import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/main.js';
import { commands } from '../src/commands/index.js';
import { completionScript } from '../src/completion.js';

afterEach(() => vi.restoreAllMocks());

/** Runs a bash script from a file (bash is in every Debian: required), its output. */
function bashRun(script: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'homelab-completion-'));
  try {
    writeFileSync(join(dir, 'test.bash'), script);
    const r = spawnSync('bash', ['--norc', '--noprofile', join(dir, 'test.bash')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    return r.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What bash completes for a command line: the script loaded, COMP_WORDS as bash sets them, the function run. */
function bashCompletes(...line: string[]): string[] {
  const script = `${completionScript('bash', commands)}
COMP_WORDS=(${line.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${line.length - 1}
_homelab; printf '%s\\n' "\${COMPREPLY[@]}"`;
  return bashRun(script).split('\n').filter(Boolean);
}

describe('homelab completion <shell>, generated from the command table', () => {
  it('bash: loads, registers for homelab, and completes commands, their options and fixed arguments', () => {
    expect(bashRun(`${completionScript('bash', commands)}\ncomplete -p homelab`).trim()).toBe('complete -o default -F _homelab homelab');
    expect(bashCompletes('homelab', 'dep')).toEqual(['deploy']);
    expect(bashCompletes('homelab', '')).toEqual(expect.arrayContaining([...Object.keys(commands), 'help', 'completion', '--version']));
    expect(bashCompletes('homelab', 'deploy', '--w')).toEqual(['--wait']);
    expect(bashCompletes('homelab', 'images', '--')).toEqual(expect.arrayContaining(['--json', '--update', '--base', '--help']));
    expect(bashCompletes('homelab', 'completion', 'z')).toEqual(['zsh']);
    expect(bashCompletes('homelab', 'help', 'roll')).toEqual(['rollback']);
  });

  it('zsh and fish name every command and every option, their descriptions quoted for the shell', () => {
    const zsh = completionScript('zsh', commands);
    const fish = completionScript('fish', commands);
    expect(zsh.startsWith('#compdef homelab\n')).toBe(true);
    for (const [name, c] of Object.entries(commands)) {
      expect(zsh).toContain(`    ${name}) _arguments `);
      expect(fish).toContain(`-a ${name} -d '`);
      for (const option of Object.keys(c.options)) {
        expect(zsh).toContain(`'--${option}[`);
        expect(fish).toContain(`__fish_seen_subcommand_from ${name}" -l ${option}`);
      }
    }
    // zsh's _arguments reads ':' and brackets, the shell reads quotes: inside a description each is escaped.
    const odd = { summary: 'a: b', args: '', examples: [], run: () => Promise.resolve(0), options: { y: { type: 'string', description: "c [d]: e's", value: 'V' } } } as const;
    const z = completionScript('zsh', { odd });
    expect(z).toContain("'odd:a\\: b'");
    expect(z).toContain("'--y[c \\[d\\]\\: e'\\''s]:V: '");
    expect(completionScript('fish', { odd })).toContain("-l y -r -d 'c [d]: e\\'s'");
    // Every line of fish's script is one complete command whose quotes are balanced.
    for (const line of fish.split('\n').filter((l) => l.startsWith('complete'))) expect((line.replace(/\\'/g, '').match(/'/g) ?? []).length % 2, line).toBe(0);
  });

  it('is answered outside a workspace; an unknown shell is a usage error (exit 2)', async () => {
    let out = '';
    let err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
    expect(await main(['completion', 'fish'], tmpdir())).toBe(0);
    expect(out).toContain('complete -c homelab -f');
    expect(await main(['completion', 'tcsh'], tmpdir())).toBe(2);
    expect(err).toContain('usage: homelab completion bash|zsh|fish');
  });
});
