import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { adguardRewrites, daemonsOf, encryptValue, type HostDef, type SambaDef } from '@homelab/kit/internal';
import type { TwinLab } from '../lab.js';
import type { TwinNode } from '../namespaces.js';
import { fail, ProbeLog, type ProbeResult } from '../probe.js';
import type { ProxmoxTwin } from '../proxmox/node.js';
import { WAIT_SECONDS } from '../wait.js';
import { ntHash } from './md4.js';

function daemonHost<K extends 'samba' | 'adguard'>(lab: TwinLab, kind: K): HostDef {
  const host = lab.loaded.lab.hosts.find((h) => daemonsOf(h, kind).length > 0);
  if (!host) throw new Error(`twin: no host of the lab runs ${kind}`);
  return host;
}

/** A name asked of a resolver from `from`'s namespace: node's own resolver, pointed at `server` only. */
async function resolveAll(from: TwinNode, server: string, names: readonly string[]): Promise<Record<string, string[] | string>> {
  const script = `const {Resolver}=require('node:dns').promises;const r=new Resolver({timeout:${WAIT_SECONDS * 100},tries:3});r.setServers([process.argv[1]]);
Promise.all(process.argv.slice(2).map((n)=>r.resolve4(n).then((a)=>[n,a],(e)=>[n,e.code]))).then((x)=>console.log(JSON.stringify(Object.fromEntries(x))));`;
  const r = await from.exec([process.execPath, '-e', script, server, ...names]);
  if (r.code !== 0) throw new Error(`resolving from ${from.host}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, string[] | string>;
}

/**
 * Probe 4: every name the lab publishes (AdGuard Home's rewrites, as the kit computes them from
 * the model) resolves, asked from the LAN client of lxc-dns's resolver, to the address of the
 * host that serves it; a name with no rewrite does not resolve.
 */
export async function dnsProbes(lab: TwinLab, client: TwinNode): Promise<ProbeResult[]> {
  const log = new ProbeLog();
  const host = daemonHost(lab, 'adguard');
  const rewrites = daemonsOf(host, 'adguard').flatMap((a) => adguardRewrites(lab.loaded.lab, a));
  // The network plan names every static address (the router too), the lab's machines among them.
  const owners = Object.entries(lab.loaded.lab.facts.network.addresses).map(([name, a]) => ({ name, address: a.address }));
  const got = await resolveAll(client, host.address, [...rewrites.map((r) => r.domain), `twin-no-such-name.${lab.loaded.lab.facts.domain}`]);
  for (const r of rewrites) {
    await log.check(host.name, 'dns', `${r.domain} resolves to ${r.answer}`, () => {
      const owner = owners.find((m) => m.address === r.answer);
      if (!owner) fail(`${r.answer} is no address of the lab's network plan`);
      const a = got[r.domain];
      if (!Array.isArray(a) || a.length !== 1 || a[0] !== r.answer) fail(`${host.name} (${host.address}) answered ${JSON.stringify(a)}`);
      return `served by ${owner.name}`;
    });
  }
  await log.check(host.name, 'dns', 'a name with no rewrite does not resolve', () => {
    const a = Object.entries(got).find(([n]) => n.startsWith('twin-no-such-name.'))?.[1];
    if (a !== 'ENOTFOUND') fail(`answered ${JSON.stringify(a)}`);
    return 'stand-in: AdGuard Home has no Debian package; bin/twin-dns.mjs serves the rendered AdGuardHome.yaml rewrites (nothing is forwarded upstream: the twin has no route out)';
  });
  return log.results;
}

export interface SmbLogins {
  readonly host: string;
  readonly passwords: ReadonlyMap<string, string>;
}

/**
 * Puts a real NT hash (of a test password) in the twin's secret store for each Samba login, as
 * a user does with `homelab secret set`; call before deploying the Samba host.
 */
export async function setSmbTestPasswords(lab: TwinLab): Promise<SmbLogins> {
  const host = daemonHost(lab, 'samba');
  const recipients = readFileSync(join(lab.secretsDir, 'recipients.txt'), 'utf8').split('\n').filter(Boolean);
  const passwords = new Map<string, string>();
  mkdirSync(join(lab.secretsDir, host.name), { recursive: true });
  for (const u of daemonsOf(host, 'samba').flatMap((s) => s.users)) {
    const password = `twin-${u.name}-password`;
    passwords.set(u.name, password);
    writeFileSync(join(lab.secretsDir, host.name, `${u.ntHash.name}.age`), await encryptValue(ntHash(password), recipients));
  }
  return { host: host.name, passwords };
}

/**
 * Probe 6: smbclient from the LAN client lists every share, and each login can read exactly
 * the shares it is declared on and write exactly where it is a writer; what it writes lands in
 * the share's dataset on the pool, owned by the force user's uid.
 */
export async function shareProbes(lab: TwinLab, pve: ProxmoxTwin, client: TwinNode, logins: SmbLogins): Promise<ProbeResult[]> {
  const log = new ProbeLog();
  const host = lab.loaded.lab.hosts.find((h) => h.name === logins.host) ?? daemonHost(lab, 'samba');
  const samba = daemonsOf(host, 'samba')[0] as SambaDef;
  const dir = join(client.dir, 'smb');
  mkdirSync(dir, { recursive: true });
  const local = join(dir, 'upload.txt');
  writeFileSync(local, 'written by the twin from the LAN client\n');
  const smb = (user: string, args: readonly string[]) => client.exec(['smbclient', '-m', 'SMB3', '-U', `${user}%${logins.passwords.get(user)}`, ...args], { cwd: dir });
  const sharePath = (s: SambaDef['shares'][number]) => join(pve.datasetHostPath(s.dataset), s.sub ?? '');
  for (const s of samba.shares) {
    mkdirSync(sharePath(s), { recursive: true });
    writeFileSync(join(sharePath(s), 'twin-seed.txt'), `seed of ${s.name}\n`);
    chownSync(join(sharePath(s), 'twin-seed.txt'), samba.forceUser.uid, samba.forceUser.gid);
  }
  const login = samba.users[0]!.name;
  await log.check(host.name, 'share', `smbclient -L lists every share (as ${login})`, async () => {
    const r = await smb(login, ['-g', '-L', `//${host.address}`]);
    const listed = new Set(r.stdout.split('\n').filter((l) => l.startsWith('Disk|')).map((l) => l.split('|')[1]));
    const missing = samba.shares.filter((s) => !listed.has(s.name)).map((s) => s.name);
    if (r.code !== 0 || missing.length) fail(`missing ${missing.join(', ') || '-'} (exit ${r.code}): ${r.stderr.trim()}`);
  });
  for (const s of samba.shares) {
    for (const u of samba.users) {
      const mayRead = s.users.includes(u.name);
      const mayWrite = mayRead && (!s.readOnly || (s.writers ?? []).includes(u.name));
      const got = join(dir, `${s.name}-${u.name}.txt`);
      rmSync(got, { force: true });
      await log.check(host.name, 'share', `${u.name} ${mayRead ? 'reads' : 'cannot read'} [${s.name}]`, async () => {
        const r = await smb(u.name, [`//${host.address}/${s.name}`, '-c', `get twin-seed.txt ${got}`]);
        const read = existsSync(got) && readFileSync(got, 'utf8') === `seed of ${s.name}\n`;
        if (read !== mayRead) fail(`${read ? 'could' : 'could not'} read (exit ${r.code}): ${(r.stdout + r.stderr).trim().split('\n').slice(-2).join(' ')}`);
      });
      const name = `twin-write-${u.name}.txt`;
      const landed = join(sharePath(s), name);
      await log.check(host.name, 'share', `${u.name} ${mayWrite ? 'writes' : 'cannot write'} [${s.name}]`, async () => {
        const r = await smb(u.name, [`//${host.address}/${s.name}`, '-c', `put upload.txt ${name}`]);
        const wrote = existsSync(landed);
        if (wrote !== mayWrite) fail(`${wrote ? 'could' : 'could not'} write (exit ${r.code}): ${(r.stdout + r.stderr).trim().split('\n').slice(-2).join(' ')}`);
        if (wrote && statSync(landed).uid !== samba.forceUser.uid) fail(`the file landed owned by uid ${statSync(landed).uid}, not ${samba.forceUser.name} (${samba.forceUser.uid})`);
        if (wrote) return `landed in ${s.dataset.pool}/${s.dataset.name} as uid ${samba.forceUser.uid}`;
      });
    }
  }
  return log.results;
}
