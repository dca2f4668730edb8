import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorkspace, type Workspace } from '@homelab/testing';
import { ageRecipientCount, caNameConstraints, decryptFile, newIdentity } from '@homelab/kit/internal';
import { homelabIn, STACK_TRACE } from './run-cli.js';

// `homelab secret ca-init` and `tls-issue` as the owner runs them, with CI's recipient in the
// store's recipients.txt (it must decrypt what it deploys): the CA's key goes to the owner alone,
// the issued certificate to every recipient (issue 27). Real openssl: the system tier.
let ws: Workspace;
let owner: { identity: string; recipient: string };
let ci: { identity: string; recipient: string };
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  ws = makeWorkspace(['vm-infra']);
  [owner, ci] = [await newIdentity(), await newIdentity()];
  ws.write('secrets/recipients.txt', `${owner.recipient}\n${ci.recipient}\n`);
  env = { ...process.env, HOMELAB_AGE_IDENTITY: owner.identity };
});
afterAll(() => ws?.remove());

describe('homelab secret ca-init / tls-issue', () => {
  it('encrypts the CA\'s key to the caller alone, constrained to the lab\'s domains; the certificate to every recipient', async () => {
    const init = homelabIn(ws.root, env, 'secret', 'ca-init');
    expect(init.code, init.stdout + init.stderr).toBe(0);
    expect(init.stdout).toContain(`encrypted to your identity alone (${owner.recipient})`);
    const key = ws.path('secrets', 'lab-ca-key.age');
    expect(ageRecipientCount(readFileSync(key, 'utf8'))).toBe(1);
    await expect(decryptFile(key, [ci.identity])).rejects.toThrow(/cannot decrypt/);
    expect(Buffer.from(await decryptFile(key, [owner.identity])).toString()).toContain('PRIVATE KEY');
    expect(caNameConstraints(readFileSync(ws.path('secrets', 'ca.crt'), 'utf8'))?.permittedDns).toEqual(['home.arpa', 'local']);

    const issue = homelabIn(ws.root, env, 'secret', 'tls-issue');
    expect(issue.code, issue.stdout + issue.stderr).toBe(0);
    const cert = ws.path('secrets', 'vm-infra', 'traefik-tls-cert.age');
    expect(ageRecipientCount(readFileSync(cert, 'utf8'))).toBe(2);
    expect(Buffer.from(await decryptFile(cert, [ci.identity])).toString()).toContain('BEGIN CERTIFICATE');

    // CI's identity cannot issue: it cannot read the CA's key.
    const asCi = homelabIn(ws.root, { ...process.env, HOMELAB_AGE_IDENTITY: ci.identity }, 'secret', 'tls-issue');
    expect(asCi.code).toBe(1);
    expect(asCi.stderr).toContain('[secret-decrypt-failed]');
    expect(asCi.stdout + asCi.stderr).not.toMatch(STACK_TRACE);
  });

  it('validate warns when the CA\'s key is encrypted to more than one recipient', async () => {
    const before = homelabIn(ws.root, env, 'validate');
    expect(before.stdout + before.stderr).not.toContain('tls-ca-key-shared');
    const { encryptValue } = await import('@homelab/kit/internal');
    writeFileSync(ws.path('secrets', 'lab-ca-key.age'), await encryptValue('a key', [owner.recipient, ci.recipient]));
    const after = homelabIn(ws.root, env, 'validate');
    expect(after.stdout + after.stderr).toContain('tls-ca-key-shared');
  });
});
