import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/main.js';
import { commands } from '../src/commands/index.js';
import { repoRoot } from '@homelab/testing';
import { STACK_TRACE, homelab } from './run-cli.js';

// Every command explains itself from its declarations: --help and `help <command>` alike.
let out = '';
let err = '';
afterEach(() => vi.restoreAllMocks());

async function run(...argv: string[]): Promise<number> {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
  const code = await main(argv, repoRoot);
  vi.restoreAllMocks();
  return code;
}

describe.each(Object.entries(commands))('homelab %s', (name, command) => {
  it('answers --help with its usage, every option and an example (exit 0)', async () => {
    expect(await run(name, '--help')).toBe(0);
    expect(out).toContain(`usage: homelab ${name}`);
    for (const option of [...Object.keys(command.options), 'help']) expect(out).toMatch(new RegExp(`--${option}\\b.*\\S\\s{2,}\\S`));
    expect(out).toMatch(new RegExp(`examples:\\n  homelab ${name}\\b`));
    expect(err).toBe('');
  });

  it('answers `help <command>` and -h the same way', async () => {
    await run(name, '--help');
    const help = out;
    expect(await run('help', name)).toBe(0);
    expect(out).toBe(help);
    expect(await run(name, '-h')).toBe(0);
    expect(out).toBe(help);
  });

  it('refuses an unknown option with exit 2, naming it and where help is', async () => {
    expect(await run(name, '--frobnicate')).toBe(2);
    expect(err).toContain(`homelab ${name}: unknown option --frobnicate.`);
    expect(err).toContain(`homelab ${name} --help`);
    expect(out).toBe('');
  });
});

describe('homelab help', () => {
  it('lists every command and points at per-command help', async () => {
    expect(await run('help')).toBe(0);
    for (const name of Object.keys(commands)) expect(out).toContain(`  ${name} `);
    expect(out).toContain('homelab help <command>');
  });

  it('says its version (exit 0), the package\'s, inside a workspace or not', async () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'tools', 'cli', 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V', 'version']) {
      expect(await run(flag)).toBe(0);
      expect(out).toBe(`homelab ${version}\n`);
    }
    out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
    expect(await main(['--version'], tmpdir())).toBe(0);
    vi.restoreAllMocks();
    expect(out).toBe(`homelab ${version}\n`);
  });

  it('suggests the closest command or option for a typo', async () => {
    expect(await run('vaildate')).toBe(2);
    expect(err).toContain('unknown command "vaildate". Did you mean "validate"?');
    expect(await run('help', 'deplyo')).toBe(2);
    expect(err).toContain('Did you mean "deploy"?');
    expect(await run('validate', '--jsno')).toBe(2);
    expect(err).toContain('unknown option --jsno. Did you mean "--json"?');
  });

  it('names a missing option value clearly (exit 2)', async () => {
    expect(await run('diff', '--base')).toBe(2);
    expect(err).toContain("homelab diff: Option '--base <value>' argument missing");
  });

  it('works through the real command: `homelab validate --help` exits 0, a bad option exits 2 without a trace', () => {
    const ok = homelab(repoRoot, 'validate', '--help');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('--verbose');
    const bad = homelab(repoRoot, 'validate', '--bogus');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown option --bogus');
    expect(bad.stdout + bad.stderr).not.toMatch(STACK_TRACE);
  });
});

describe('outside a workspace', () => {
  it('a command that needs the lab says so in one line, exit 2, no stack trace', async () => {
    let err = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(await main(['validate', '--json'], tmpdir())).toBe(2);
    expect(err).toBe(`homelab validate: not inside a homelab workspace (no pnpm-workspace.yaml at or above ${tmpdir()}): run it from the project's folder or below.\n`);
  });
});
