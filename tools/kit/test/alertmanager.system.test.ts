import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requireTool, run } from '@homelab/testing';
import { alertmanagerConfig, findRole, renderHost, toYaml, type AlertReceiver } from '../src/internal.js';
import { realLab } from './fixtures.js';
import { everyReceiver, sampleSecret } from './alert-receivers.js';

const dir = mkdtempSync(join(tmpdir(), 'homelab-amtool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Alertmanager's own checker (Debian 12's amtool, 0.25.0) reads the rendered alertmanager.yml.
 * The lab pins a newer Alertmanager, whose `_file` fields 0.25 partly lacks (url_file,
 * bot_token_file: 0.26; webhook_url_file: 0.27), so the file is checked as rendered for the
 * version amtool is: those secrets inline, with values of their shape, as a deploy would fill them.
 */
describe('amtool check-config', () => {
  const amtool = requireTool('amtool');
  const version = /version (\d+\.\d+\.\d+)/.exec(run(amtool, ['--version']).stdout + run(amtool, ['--version']).stderr)?.[1];
  const am = findRole(realLab, 'alert-manager')!;
  const check = (name: string, receivers: readonly AlertReceiver[] | undefined) => {
    const file = join(dir, `${name}.yml`);
    writeFileSync(file, toYaml(alertmanagerConfig(am, receivers, { version, inline: (ref) => sampleSecret(ref.name) })));
    return run(amtool, ['check-config', file]);
  };

  it('is the version the checks expect (Debian 12: 0.25.0)', () => expect(version).toBe('0.25.0'));

  it('accepts the lab\'s alertmanager.yml', () => {
    const r = check('lab', realLab.facts.alerts!.receivers);
    expect(r.stdout + r.stderr).toContain('SUCCESS');
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it('accepts a configuration with every receiver kind', () => {
    const r = check('every', everyReceiver);
    expect(r.stdout + r.stderr).toContain('SUCCESS');
    expect(r.stdout + r.stderr).toContain(`${everyReceiver.length + 1} receivers`);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it('rejects a receiver a route does not define (the check is live)', () => {
    const file = join(dir, 'broken.yml');
    writeFileSync(file, 'route:\n  receiver: nowhere\nreceivers:\n  - name: none\n');
    expect(run(amtool, ['check-config', file]).code).not.toBe(0);
  });

  it('rejects the pinned version\'s url_file (why the file is rendered per version)', () => {
    const file = join(dir, 'pinned.yml');
    writeFileSync(file, renderHost(realLab, am.host).artifacts.find((a) => a.kind === 'alertmanager')!.content);
    const r = run(amtool, ['check-config', file]);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('field url_file not found');
  });
});
