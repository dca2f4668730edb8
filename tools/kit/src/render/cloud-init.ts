import type { HostDef } from '../model/host.js';
import type { Lab } from '../model/lab.js';
import { isVmHost } from '../model/qemu.js';
import { vendorDataFile, vmSettings, type VirtiofsShare, type VmSettings } from '../model/vm-settings.js';
import type { Artifact } from './artifact.js';
import { GENERATED } from './generated.js';
import { toYaml } from './yaml.js';
import { composeServices, K3S_CONFIG_PATH } from '../model/kubernetes.js';
import { k3sConfigYaml } from './kubernetes.js';
import { DOCKER_CERTS_DIR, labCaCertificate, registryNames } from '../model/trust.js';

/** systemd-escape --path: the unit name of a mount point (/mnt/tank/services/media -> mnt-tank-services-media). */
export function systemdEscapePath(path: string): string {
  const trimmed = path.replace(/\/+/g, '/').replace(/^\/|\/$/g, '');
  if (trimmed === '') return '-';
  let out = '';
  for (const [i, ch] of [...trimmed].entries()) {
    if (ch === '/') out += '-';
    else if (/[A-Za-z0-9:_]/.test(ch) || (ch === '.' && i > 0)) out += ch;
    else for (const byte of Buffer.from(ch, 'utf8')) out += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

export function mountUnitName(share: VirtiofsShare): string {
  return `${systemdEscapePath(share.guestPath)}.mount`;
}

function mountUnit(share: VirtiofsShare): string {
  return [
    '[Unit]',
    `Description=${share.fullName} from the Proxmox node (virtiofs, directory mapping ${share.mappingId})`,
    '',
    '[Mount]',
    `What=${share.mappingId}`,
    `Where=${share.guestPath}`,
    'Type=virtiofs',
    'Options=rw,relatime',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

/** What a VM trusts besides Debian's CAs: the lab's CA certificate, and the registry names Docker must trust it for. */
export interface VmTrust {
  readonly caCertificate: string;
  readonly registries: readonly string[];
}

/** The lab's trust for its VMs: none when it has no CA of its own to trust (ACME, or `ca-init` not run yet: `tls-ca-missing`). */
export function vmTrust(lab: Lab): VmTrust | undefined {
  const caCertificate = labCaCertificate(lab);
  return caCertificate ? { caCertificate, registries: registryNames(lab) } : undefined;
}

/**
 * Docker's CA for each registry name (`/etc/docker/certs.d/<name>/ca.crt`,
 * docs.docker.com/engine/security/certificates/, read 2026-12-07): the registry through the proxy
 * on 443, so the folder is the bare name.
 */
function certsDFiles(trust: VmTrust): { path: string; permissions: string; content: string }[] {
  return trust.registries.map((name) => ({ path: `${DOCKER_CERTS_DIR}/${name}/ca.crt`, permissions: '0644', content: trust.caCertificate }));
}

/**
 * The vendor data Proxmox adds to its own generated user data (`cicustom: vendor=...`): the
 * packages, a systemd mount unit per shared dataset, Docker held back until those are mounted
 * (so no container ever writes into an empty mount point on the system disk), and the lab's CA:
 * in the system's trust store (cloud-init's `ca_certs`, run before the packages are installed)
 * and in Docker's certs.d for every registry name.
 */
export function vendorData(vm: VmSettings, k3s?: K3sInstall, trust?: VmTrust): Record<string, unknown> {
  const units = vm.shares.map(mountUnitName);
  const stack = composeServices(vm.host).length > 0;
  const writeFiles = vm.shares.map((share) => ({ path: `/etc/systemd/system/${mountUnitName(share)}`, permissions: '0644', content: mountUnit(share) }));
  if (trust) writeFiles.push(...certsDFiles(trust));
  if (stack && vm.shares.length > 0) {
    writeFiles.push({
      path: '/etc/systemd/system/docker.service.d/10-datasets.conf',
      permissions: '0644',
      content: `[Unit]\nRequiresMountsFor=${vm.shares.map((s) => s.guestPath).join(' ')}\n`,
    });
  }
  if (k3s) writeFiles.push(...k3sFiles(vm, k3s));
  const runcmd: string[][] = [['systemctl', 'daemon-reload'], ['systemctl', 'start', 'qemu-guest-agent.service']];
  if (units.length > 0) runcmd.push(['systemctl', 'enable', '--now', ...units]);
  if (stack) runcmd.push(['systemctl', 'restart', 'docker.service']);
  // k3s's installer, pinned to the lab's release; it reads the config written above on first start.
  if (k3s) runcmd.push(['sh', '-c', `curl -sfL https://get.k3s.io | INSTALL_K3S_VERSION=${k3s.version} sh -s - server`]);
  return {
    // cc_ca_certs (cloud-init's init stage, before packages and runcmd): the PEM into the trust
    // store, then update-ca-certificates; Debian's own CAs stay.
    ...(trust ? { ca_certs: { trusted: [trust.caCertificate] } } : {}),
    package_update: true,
    packages: k3s ? [...new Set([...vm.packages, 'curl'])].sort() : [...vm.packages],
    ...(writeFiles.length > 0 ? { write_files: writeFiles } : {}),
    runcmd,
  };
}

/** What a VM with a k3s cluster gets at first boot: the release to install and its config file's text. */
export interface K3sInstall {
  readonly version: string;
  readonly config: string;
}

/** k3s's config before its first start (deploy keeps it current later), and k3s held back until the datasets are mounted. */
function k3sFiles(vm: VmSettings, k3s: K3sInstall): { path: string; permissions: string; content: string }[] {
  const files = [{ path: K3S_CONFIG_PATH, permissions: '0600', content: k3s.config }];
  if (vm.shares.length > 0) {
    files.push({ path: '/etc/systemd/system/k3s.service.d/10-datasets.conf', permissions: '0644', content: `[Unit]\nRequiresMountsFor=${vm.shares.map((s) => s.guestPath).join(' ')}\n` });
  }
  return files;
}

/** The VM's cloud-init vendor data, installed into the snippets storage its `cicustom` names. */
export function renderCloudInit(lab: Lab, host: HostDef): Artifact[] {
  if (!isVmHost(host)) return [];
  const vm = vmSettings(lab, host);
  const file = vendorDataFile(vm);
  return [
    {
      path: `proxmox/snippets/${file}`,
      kind: 'cloud-init',
      // cloud-init recognises vendor data by its first line.
      content: `#cloud-config\n${toYaml(vendorData(vm, host.kubernetes ? { version: host.kubernetes.version, config: k3sConfigYaml(lab, host) } : undefined, vmTrust(lab)), { header: GENERATED(host) })}`,
      install: { path: `${vm.snippets.path}/snippets/${file}`, on: 'proxmox-host', mode: '0644', owner: 'root:root' },
    },
  ];
}
