import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { encryptValue, identitySource, initCa, recipientsOf, storeKubeconfig, isValidSecretName, issueProxyCertificate, keyLines, loadIdentities, newIdentity, recipientsFile, secretsDir } from '@homelab/kit';
import { UsageError } from '../errors.js';
import { reportDeployErrors } from '../deploy-output.js';
import { defineCommand } from '../command.js';
import { noSuchHost } from '../errors.js';

async function readStdin(): Promise<Buffer> {
  if (process.stdin.isTTY) throw new UsageError('pipe the value in, e.g. `printf %s "$VALUE" | homelab secret set <name>` (it is never an argument, which would land in shell history).');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function keygen(): Promise<number> {
  const source = identitySource();
  if (source.kind === 'env') throw new UsageError('HOMELAB_AGE_IDENTITY is set: unset it to write an identity file.');
  if (existsSync(source.where)) throw new UsageError(`${source.where} exists already; it is your identity (keep it, and a copy somewhere safe).`);
  const { identity, recipient } = await newIdentity();
  mkdirSync(dirname(source.where), { recursive: true, mode: 0o700 });
  writeFileSync(source.where, `# homelab age identity, created ${new Date().toISOString()}\n# recipient: ${recipient}\n${identity}\n`, { mode: 0o600, flag: 'wx' });
  process.stdout.write(`wrote ${source.where} (mode 0600): back it up; without it the secrets cannot be decrypted.\nyour recipient: ${recipient}\n`);
  return 0;
}

function storeRecipients(root: string): { dir: string; recipients: string[] } {
  const dir = secretsDir(root);
  const file = recipientsFile(dir);
  const recipients = existsSync(file) ? keyLines(readFileSync(file, 'utf8')) : [];
  if (recipients.length === 0) throw new UsageError(`no recipients in ${relative(root, file)}: add yours (homelab secret keygen prints it).`);
  return { dir, recipients };
}

/** The lab's internal CA (docs/hosts.md, TLS): `ca-init` makes it, `tls-issue` signs the proxy's certificate. */
async function tls(root: string, lab: Parameters<typeof initCa>[0], action: 'ca-init' | 'tls-issue'): Promise<number> {
  const { dir, recipients } = storeRecipients(root);
  if (action === 'ca-init') {
    // The CA's key to the caller's own recipient alone: CI's identity (in recipients.txt) never signs.
    const own = await recipientsOf(loadIdentities());
    const files = await initCa(lab, dir, own);
    process.stdout.write(`wrote ${files.map((f) => relative(root, f)).join(' and ')}: commit both, trust ${relative(root, files[0]!)} on every client outside the lab (the VMs trust it from their vendor data once built and deployed), then run \`homelab secret tls-issue\`. The CA's key is encrypted to your identity alone (${own.join(', ')}): only you can issue, and losing that identity means a new CA.\n`);
  } else {
    const { files, names } = await issueProxyCertificate(lab, dir, recipients, loadIdentities());
    process.stdout.write(`issued a certificate for ${names.length} names (${names.join(', ')}): ${files.map((f) => relative(root, f)).join(', ')}; commit them and deploy the proxy's host.\n`);
  }
  return 0;
}

/** A host's k3s admin kubeconfig, read over SSH into the store (docs/kubernetes.md). */
async function kubeconfig(root: string, lab: { readonly hosts: readonly Parameters<typeof storeKubeconfig>[0]['host'][] }, host: string): Promise<number> {
  const known = lab.hosts.map((h) => h.name);
  const def = lab.hosts.find((h) => h.name === host);
  if (!def) throw noSuchHost(host, known);
  if (!def.kubernetes) throw new UsageError(`${host} runs no Kubernetes cluster; these do: ${lab.hosts.filter((h) => h.kubernetes).map((h) => h.name).join(', ') || 'none'}.`);
  const { dir, recipients } = storeRecipients(root);
  const file = await storeKubeconfig({ host: def, secretsDir: dir, recipients });
  process.stdout.write(`kept ${host}'s kubeconfig in ${relative(root, file)} (commit it); its server is https://127.0.0.1:6443: reach it with ssh -L 6443:127.0.0.1:6443 root@${def.address}.\n`);
  return 0;
}

/** Manage the encrypted secret store: `keygen` an identity, `set` a secret (value on stdin). */
const SECRET_ARGS = 'keygen | set <name> | ca-init | tls-issue | kubeconfig <host>';

export const secret = defineCommand({
  summary: "the encrypted secrets: `secret keygen` makes your age identity, `secret set <name> [--host h]` stores a value read from stdin, `secret ca-init` / `secret tls-issue` the internal CA and the proxy's certificate, `secret kubeconfig <host>` a k3s cluster's kubeconfig",
  args: SECRET_ARGS,
  options: {
    host: { type: 'string', value: 'HOST', description: 'set: the secret belongs to this host only (default: shared by the lab)' },
    recipient: { type: 'string', value: 'age1...', description: 'set: add this age recipient to secrets/recipients first' },
  },
  examples: ['homelab secret keygen', 'printf %s "$TOKEN" | homelab secret set cloudflare_token --host vm-edge', 'homelab secret ca-init && homelab secret tls-issue', 'homelab secret kubeconfig vm-dev'],
  async run(loaded, positionals, values) {
    const [action, name] = positionals;
    if (action === 'keygen' && positionals.length === 1) return reportDeployErrors(false, keygen);
    if ((action === 'ca-init' || action === 'tls-issue') && positionals.length === 1) return reportDeployErrors(false, () => tls(loaded.root, loaded.lab, action));
    if (action === 'kubeconfig' && name && positionals.length === 2) return reportDeployErrors(false, () => kubeconfig(loaded.root, loaded.lab, name));
    if (action !== 'set' || !name || positionals.length !== 2) throw new UsageError(`usage: homelab secret ${SECRET_ARGS} [options]`);
    if (!isValidSecretName(name)) throw new UsageError(`"${name}" is not a secret name: lowercase letters, digits, '.', '_' or '-', starting with a letter or digit.`);
    const host = values.host;
    const known = loaded.lab.hosts.map((h) => h.name);
    if (host && !known.includes(host)) throw noSuchHost(host, known);
    const dir = secretsDir(loaded.root);
    const file = recipientsFile(dir);
    if (values.recipient !== undefined && !(existsSync(file) && keyLines(readFileSync(file, 'utf8')).includes(values.recipient))) {
      mkdirSync(dir, { recursive: true });
      appendFileSync(file, `${values.recipient}\n`);
    }
    const recipients = existsSync(file) ? keyLines(readFileSync(file, 'utf8')) : [];
    if (recipients.length === 0) throw new UsageError(`no recipients in ${relative(loaded.root, file)}: add yours (homelab secret keygen prints it), or pass --recipient age1...`);
    return reportDeployErrors(false, async () => {
      const value = await readStdin();
      const target = join(dir, ...(host ? [host] : []), `${name}.age`);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, await encryptValue(value, recipients));
      process.stdout.write(`encrypted ${name} to ${recipients.length} recipient(s): ${relative(loaded.root, target)} (commit it; the value itself is never written)\n`);
      return 0;
    });
  },
});
