import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  applyGuestWork, describeGuestWork, findGuestScript, manifestJson, nodeFileSteps, planGuestWork, qemuCreateSteps, readLocalRelease, renderHost,
  resolveTarget, silentProgress, stepScript, type HostContext, type PveQemuSetup, type ReleaseFiles,
} from '../../src/internal.js';
import { realLab } from '../fixtures.js';
import { localShell, recordingShell } from './local-shell.js';

// A real VM of the lab (vm-media) applied through its Proxmox node, from what its renderers write:
// proxmox/122.conf, proxmox/122.setup.json and the vendor snippet. qm exists only on Proxmox: the
// node is a recording shell, and the scripts that touch files run here on copies.
const host = realLab.hosts.find((h) => h.name === 'vm-media')!;
const { artifacts, manifest } = renderHost(realLab, host);
const content = (kind: string) => artifacts.find((a) => a.kind === kind)!.content;
const conf = content('pve-qemu');
const setup = JSON.parse(content('pve-qemu-setup')) as PveQemuSetup;
const vendor = content('cloud-init');
const local: ReleaseFiles = { manifest, files: new Map(artifacts.map((a) => [a.path, a.content])) };
const KEYS = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHomelabVmMedia deploy@homelab\n';
const secrets = new Map([['vm_ssh_authorized_keys', Buffer.from(KEYS)]]);
const target = resolveTarget('pve', '127.0.0.1', undefined, 'ssh', {});
const ctx = (force = false): HostContext => ({ request: { root: '/', lab: realLab, host, hostDir: '/', force }, host: host.name, env: {}, target, record: { by: 'me', commit: 'c', at: 't' }, progress: silentProgress });
const node = (current: string | undefined) => recordingShell((script) => (script === findGuestScript(122) && current !== undefined ? { stdout: `--conf /etc/pve/nodes/pve/qemu-server/122.conf\n${current}` } : {}));
const heredoc = (script: string) => Buffer.from(script.split("<<'__HL_EOF__'")[1]!.split('\n').slice(1).join('\n').split('__HL_EOF__')[0]!, 'base64').toString();
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'hl-vm-node-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('vm-media created through its Proxmox node', () => {
  it('writes its vendor snippet, runs its exact qm create and qm disk resize, writes its file, sets sshkeys from the secret, starts it', async () => {
    const shell = node(undefined);
    const work = (await planGuestWork(ctx(), local, shell, nodeFileSteps(local)))!;
    await applyGuestWork(ctx(), shell, work, secrets);
    const f = '/etc/pve/nodes/pve/qemu-server/122.conf';
    expect(shell.scripts.map((s) => s.split('\n')[0])).toEqual([
      findGuestScript(122),
      'mkdir -p /var/lib/vz/snippets',
      'qm create 122 --name vm-media --scsihw virtio-scsi-single --scsi0 local-zfs:0,import-from=local:import/debian-13-genericcloud-amd64.qcow2 --ide2 local-zfs:cloudinit',
      'qm disk resize 122 scsi0 64G',
      `t=${f}.tmp.$$`,
      'f=$(umask 077 && mktemp /tmp/homelab-secret.XXXXXXXX)',
      'qm start 122',
    ]);
    const [, snippet, , , write, keys] = shell.scripts;
    expect(snippet!.split('\n')[1]).toBe("base64 -d > /var/lib/vz/snippets/vm-media-vendor.yaml <<'__HL_EOF__' && chmod 0644 /var/lib/vz/snippets/vm-media-vendor.yaml");
    expect(heredoc(snippet!)).toBe(vendor);
    expect(heredoc(write!)).toBe(conf);
    expect(write!.split('\n').slice(-2)).toEqual([`grep -E '^(meta|smbios1|vmgenid):' ${f} || true; } > "$t"`, `mv "$t" ${f}`]);
    expect(keys!.split('\n')).toEqual([
      'f=$(umask 077 && mktemp /tmp/homelab-secret.XXXXXXXX)',
      `trap 'rm -f "$f"' EXIT`,
      "base64 -d > \"$f\" <<'__HL_EOF__'",
      'c3NoLWVkMjU1MTkgQUFBQUMzTnphQzFsWkRJMU5URTVBQUFBSUhvbWVsYWJWbU1lZGlhIGRlcGxv',
      'eUBob21lbGFiCg==',
      '__HL_EOF__',
      'qm set 122 --sshkeys "$f"',
    ]);
    expect(shell.scripts.join('\n')).not.toContain('AAAAIHomelabVmMedia');
  });

  it('shows the secret option in a plan by name, never by value; plans nothing without its values', async () => {
    const work = (await planGuestWork(ctx(), local, node(undefined)))!;
    expect(describeGuestWork(work)).toContain('qm set 122 --sshkeys <0600 temporary file of secret vm_ssh_authorized_keys>');
    expect(JSON.stringify(describeGuestWork(work))).not.toContain('AAAAIHomelabVmMedia');
    const step = work.steps.find((s) => s.kind === 'secret-file')!;
    expect(() => stepScript(step)).toThrow('no value for secret vm_ssh_authorized_keys');
  });

  it('gives qm the keys in a 0600 file that is gone afterwards, also when qm fails', async () => {
    const dir = tmp();
    const seen = join(dir, 'seen');
    mkdirSync(join(dir, 'bin'));
    // A stand-in qm: records the mode and content of the file it is given, fails when told to.
    writeFileSync(join(dir, 'bin', 'qm'), `#!/bin/sh\nf=$4\nstat -c %a "$f" > ${seen}\ncat "$f" >> ${seen}\necho "$f" > ${seen}.path\n[ ! -e ${dir}/fail ]\n`);
    chmodSync(join(dir, 'bin', 'qm'), 0o755);
    const step = qemuCreateSteps(setup, conf, '/unused', false).find((s) => s.kind === 'secret-file')!;
    const sh = localShell();
    try {
      await sh.check('set the keys', `PATH=${dir}/bin:$PATH\n${stepScript(step, secrets)}`);
      expect(readFileSync(seen, 'utf8')).toBe(`600\n${KEYS}`);
      expect(existsSync(readFileSync(`${seen}.path`, 'utf8').trim())).toBe(false);
      writeFileSync(join(dir, 'fail'), '');
      expect((await sh.run(`PATH=${dir}/bin:$PATH\n${stepScript(step, secrets)}`)).code).not.toBe(0);
      expect(existsSync(readFileSync(`${seen}.path`, 'utf8').trim())).toBe(false);
    } finally {
      sh.kill();
    }
  });

  it("writes its rendered file over what qm create wrote, keeping Proxmox's generated ids", async () => {
    const dir = tmp();
    const path = join(dir, '122.conf');
    const created = 'boot: order=scsi0\nide2: local-zfs:vm-122-cloudinit,media=cdrom\nmeta: creation-qemu=9.2.0,ctime=1767225600\nname: vm-media\nscsi0: local-zfs:vm-122-disk-0,size=3G\nscsihw: virtio-scsi-single\nsmbios1: uuid=7b0c2a8e-51b5-4d0b-9d4f-0f2f5c3a9e11\nvmgenid: 2f9b4a52-1c43-4f4e-8a3e-6d0b7a1c9f20\n';
    writeFileSync(path, created);
    const write = qemuCreateSteps(setup, conf, path, true).find((s) => s.kind === 'write')!;
    const sh = localShell();
    try {
      await sh.check('write', stepScript(write));
    } finally {
      sh.kill();
    }
    expect(readFileSync(path, 'utf8')).toBe(`${conf}meta: creation-qemu=9.2.0,ctime=1767225600\nsmbios1: uuid=7b0c2a8e-51b5-4d0b-9d4f-0f2f5c3a9e11\nvmgenid: 2f9b4a52-1c43-4f4e-8a3e-6d0b7a1c9f20\n`);
    expect(readdirSync(dir)).toEqual(['122.conf']);
  });
});

describe('vm-media existing on its node', () => {
  const onNode = `${conf}sshkeys: ssh-ed25519%20AAAAC3NzaC1lZDI1NTE5AAAAIHomelabVmMedia%20deploy%40homelab%0A\nvmgenid: 2f9b4a52-1c43-4f4e-8a3e-6d0b7a1c9f20\n`;

  it('in sync (its sshkeys set from the secret): nothing to run', async () => {
    const work = (await planGuestWork(ctx(true), local, node(onNode)))!;
    expect(work.steps).toEqual([]);
    expect(work.plan.skipped).toEqual([]);
  });

  it('gets qm set with only the changed option; sshkeys is neither compared nor removed, not even with --force', async () => {
    const shell = node(onNode.replace('cores: 4', 'cores: 2').replace('tags: homelab;media\n', ''));
    const work = (await planGuestWork(ctx(true), local, shell))!;
    await applyGuestWork(ctx(true), shell, work, secrets);
    expect(shell.scripts.slice(1)).toEqual(["qm set 122 --cores 4 --tags 'homelab;media'"]);
  });
});

describe('the release of a VM', () => {
  it('needs the secrets its setup sets as options: checked before deploying, part of the release id, never uploaded as a file', () => {
    const dist = tmp();
    for (const a of artifacts) {
      mkdirSync(join(dist, a.path, '..'), { recursive: true });
      writeFileSync(join(dist, a.path), a.content);
    }
    writeFileSync(join(dist, 'manifest.json'), manifestJson(manifest));
    const release = readLocalRelease(host, dist, join(dist, 'no-secrets'));
    expect(release.secrets.find((s) => s.name === 'vm_ssh_authorized_keys')).toEqual({ name: 'vm_ssh_authorized_keys', asFile: false });
  });
});
