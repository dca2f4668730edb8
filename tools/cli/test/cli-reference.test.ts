import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands } from '../src/commands/index.js';
import { cliReference } from '../src/help.js';

const page = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'cli.md'), 'utf8');

describe('docs/cli.md, the reference of the homelab command', () => {
  it('is what the command table generates now (run `pnpm homelab docs` after a change)', () => {
    expect(page).toBe(cliReference(commands));
  });

  it('lists every command with its options, restore and every secret subcommand included', () => {
    for (const [name, c] of Object.entries(commands)) {
      expect(page).toContain(`## homelab ${name}\n`);
      for (const option of Object.keys(c.options)) expect(page, `${name} --${option}`).toContain(`--${option}`);
    }
    expect(page).toContain('## homelab restore');
    for (const sub of ['keygen', 'set <name>', 'ca-init', 'tls-issue', 'kubeconfig <host>']) expect(page).toContain(sub);
    for (const global of ['`help <command>`', '`--version`', '`completion bash\\|zsh\\|fish`']) expect(page).toContain(global);
  });
});
