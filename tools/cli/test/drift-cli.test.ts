import { describe, expect, it } from 'vitest';
import { repoRoot } from '@homelab/testing';
import { homelabIn, STACK_TRACE } from './run-cli.js';

// `homelab drift`'s contract without a host to read: help, usage mistakes and an unreachable
// host all exit 2 (the scheduled workflow reads 1 as drift, 0 as clean), never a stack trace.
// The real checks run on the system tier (drift.system.test.ts).
const env: NodeJS.ProcessEnv = { ...process.env, HOMELAB_DEPLOY_ALLOWED_ADDRESSES: '127.0.0.1', HOMELAB_SSH_CONFIG: 'none', HOMELAB_SSH_KNOWN_HOSTS: 'none' };
const cli = (...args: string[]) => homelabIn(repoRoot, env, ...args);

describe('homelab drift', () => {
  it('answers --help with its options and examples', () => {
    const r = cli('drift', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('[host...]');
    expect(r.stdout).toContain('--json');
    expect(r.stdout).toContain('homelab drift vm-media');
  });

  it('exits 2 for an unknown host, naming the closest one', () => {
    const r = cli('drift', 'vm-medai');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Did you mean "vm-media"?');
  });

  it('exits 2 when a target flag is given for more than one host', () => {
    const r = cli('drift', 'vm-media', 'vm-apps', '--port', '2222');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('name exactly one host');
  });

  it('exits 2 for a host it may not reach, with the code in the JSON document', () => {
    const r = cli('drift', 'vm-media', '--json');
    expect(r.code).toBe(2);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(STACK_TRACE);
    const doc = JSON.parse(r.stdout) as { ok: boolean; hosts: { host: string; error?: { code: string } }[]; findings: unknown[] };
    expect(doc.ok).toBe(false);
    expect(doc.hosts).toEqual([{ host: 'vm-media', error: expect.objectContaining({ code: 'target-not-allowed' }) }]);
    expect(doc.findings).toEqual([]);
  });
});
