import type { Rule } from '../rule.js';
import { addressesRule } from './addresses.js';
import { declaredRule } from './declared.js';
import { dependsOnRule } from './depends-on.js';
import { dockerSocketRule } from './docker-socket.js';
import { domainRule } from './domain.js';
import { tlsRule } from './tls.js';
import { trustRule } from './trust.js';
import { exposureRule } from './exposure.js';
import { firewallRule } from './firewall.js';
import { pveFirewallRule } from './pve-firewall.js';
import { imageRule } from './image.js';
import { metricsRule } from './metrics.js';
import { machineMetricsRule } from './machine-metrics.js';
import { alertingRule } from './alerting.js';
import { networkModeRule } from './network-mode.js';
import { portsRule } from './ports.js';
import { resourcesRule } from './resources.js';
import { routesRule } from './routes.js';
import { proxyTimeoutsRule } from './proxy-timeouts.js';
import { routeGroupsRule } from './route-groups.js';
import { startPageRule } from './start-page.js';
import { unknownFieldsRule } from './unknown-fields.js';
import { authentikFilesRule } from './authentik-files.js';
import { qemuRule } from './qemu.js';
import { qemuNetworkRule } from './qemu-network.js';
import { qemuCloudInitRule } from './qemu-cloud-init.js';
import { secretsRule } from './secrets.js';
import { imageFactsRule } from './image-facts.js';
import { secretReadersRule } from './secret-readers.js';
import { healthcheckRule } from './healthcheck.js';
import { entrypointRule } from './entrypoint.js';
import { storageRule } from './storage.js';
import { proxmoxHostRule } from './proxmox-host.js';
import { storageChainRule } from './storage-chain.js';
import { storageIdsRule } from './storage-ids.js';
import { guestBackupsRule } from './guest-backups.js';
import { storageReplicationRule } from './storage-replication.js';
import { storageSnapshotsRule } from './storage-snapshots.js';
import { zfsLayoutRule } from './zfs-layout.js';
import { vpnRule } from './vpn.js';
import { pveLxcRule } from './pve-lxc.js';
import { lxcMountsRule } from './lxc-mounts.js';
import { daemonsRule } from './daemons.js';
import { adguardRule } from './adguard.js';
import { tailscaleRule } from './tailscale.js';
import { sambaRule } from './samba.js';
import { sambaSecretsRule } from './samba-secrets.js';
import { nfsRule } from './nfs.js';
import { healthcheckFormatRule } from './healthcheck-format.js';
import { dependsOnHealthyRule } from './depends-on-healthy.js';
import { mountsRule } from './mounts.js';
import { arrPathsRule } from './arr-paths.js';
import { containerLimitsRule } from './container-limits.js';
import { namespaceOptionsRule } from './namespace-options.js';
import { devicesRule } from './devices.js';
import { capabilitiesRule } from './capabilities.js';
import { daemonOptionsRule } from './daemon-options.js';
import { secretsDisguisedRule } from './secrets-disguised.js';
import { rolesRule } from './roles.js';
import { referencesRule } from './references.js';
import { placementRule } from './placement.js';
import { haRule } from './ha.js';
import { corosyncRule } from './corosync.js';
import { poolCopiesRule } from './pool-copies.js';
import { pveHaFilesRule } from './pve-ha-files.js';
import { kubernetesRule } from './kubernetes.js';

/** Every rule the lab is checked by; a new rule is one file plus one line here. */
export const rules: readonly Rule[] = [
  // per host: what docker compose and the daemon refuse that the schema lets through (docs/findings.md)
  healthcheckFormatRule,
  dependsOnHealthyRule,
  mountsRule,
  containerLimitsRule,
  namespaceOptionsRule,
  devicesRule,
  capabilitiesRule,
  daemonOptionsRule,
  // per host: secrets in disguise
  secretsDisguisedRule,
  // per host: compose
  networkModeRule,
  portsRule,
  declaredRule,
  dependsOnRule,
  imageRule,
  secretsRule,
  imageFactsRule,
  secretReadersRule,
  healthcheckRule,
  entrypointRule,
  // per host: its k3s cluster's manifests
  kubernetesRule,
  // across the lab
  addressesRule,
  domainRule,
  tlsRule,
  trustRule,
  routesRule,
  proxyTimeoutsRule,
  routeGroupsRule,
  startPageRule,
  unknownFieldsRule,
  authentikFilesRule,
  exposureRule,
  firewallRule,
  pveFirewallRule,
  vpnRule,
  storageRule,
  arrPathsRule,
  resourcesRule,
  placementRule,
  haRule,
  corosyncRule,
  poolCopiesRule,
  pveHaFilesRule,
  dockerSocketRule,
  metricsRule,
  machineMetricsRule,
  alertingRule,
  rolesRule,
  referencesRule,
  // per container: the Proxmox conf, its mounts, its daemons
  pveLxcRule,
  lxcMountsRule,
  daemonsRule,
  adguardRule,
  tailscaleRule,
  sambaRule,
  sambaSecretsRule,
  nfsRule,
  // a VM's Proxmox definition
  qemuRule,
  qemuNetworkRule,
  qemuCloudInitRule,
  // the storage layer: layout, Proxmox host, dataset to container, snapshots, replication
  zfsLayoutRule,
  proxmoxHostRule,
  storageChainRule,
  storageIdsRule,
  storageSnapshotsRule,
  storageReplicationRule,
  guestBackupsRule,
];
