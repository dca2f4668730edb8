import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { requireTool, run } from '@homelab/testing';
import { renderHost } from '../src/internal.js';
import { realLab } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'homelab-promtool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Prometheus's own checker reads the rendered scrape configuration.
describe('promtool check config', () => {
  const promtool = requireTool('promtool');
  const rendered = realLab.hosts.flatMap((h) => renderHost(realLab, h).artifacts.filter((a) => a.kind === 'prometheus').map((a) => ({ host: h.name, a })));

  it('has a Prometheus configuration to check', () => expect(rendered.length).toBe(1));

  it.each(rendered.map((r) => [`${r.host}/${r.a.path}`, r] as const))('accepts %s', (_name, { a }) => {
    const file = join(dir, 'prometheus.yml');
    writeFileSync(file, a.content);
    const r = run(promtool, ['check', 'config', file]);
    expect(r.stdout + r.stderr).toContain('SUCCESS');
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it('rejects a broken configuration (the check is live)', () => {
    const file = join(dir, 'broken.yml');
    writeFileSync(file, 'scrape_configs:\n  - job_name: x\n    scrape_interval: often\n');
    expect(run(promtool, ['check', 'config', file]).code).not.toBe(0);
  });
});

// The rendered alerting rules against unit tests of series that trip each alert and series that do not.
describe('promtool test rules', () => {
  const promtool = requireTool('promtool');
  const rules = realLab.hosts.flatMap((h) => renderHost(realLab, h).artifacts.filter((a) => a.kind === 'prometheus-rules'));
  const tests = join(dirname(fileURLToPath(import.meta.url)), 'promtool', 'alerts.test.yml');

  it('has one rules file, and prometheus.yml loads it', () => {
    expect(rules.map((a) => a.path)).toEqual(['prometheus/rules/homelab.yml']);
    const config = realLab.hosts.flatMap((h) => renderHost(realLab, h).artifacts.filter((a) => a.kind === 'prometheus'))[0]!;
    expect(config.content).toContain('/etc/prometheus/rules/*.yml');
  });

  it('passes promtool check rules and every unit test', () => {
    const at = mkdtempSync(join(dir, 'rules-'));
    writeFileSync(join(at, 'homelab.yml'), rules[0]!.content);
    copyFileSync(tests, join(at, 'alerts.test.yml'));
    const check = run(promtool, ['check', 'rules', join(at, 'homelab.yml')]);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    const r = run(promtool, ['test', 'rules', join(at, 'alerts.test.yml')]);
    expect(r.stdout + r.stderr).toContain('SUCCESS');
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it('fails the unit tests when an alert waits longer than they expect (the tests are live)', () => {
    const at = mkdtempSync(join(dir, 'rules-'));
    writeFileSync(join(at, 'homelab.yml'), rules[0]!.content.replace('for: 5m', 'for: 30m'));
    copyFileSync(tests, join(at, 'alerts.test.yml'));
    expect(run(promtool, ['test', 'rules', join(at, 'alerts.test.yml')]).code).not.toBe(0);
  });
});
