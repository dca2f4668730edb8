// The kit's public face: what the host packages (define* helpers, secret, the model types) and
// the homelab command (the operations it calls) use, by name. Growing it is a reviewed decision:
// test/public-surface.test.ts pins the list. Tests and the other tools (twin, bench, testing)
// that need the machinery's internals import them from '@homelab/kit/internal' (src/internal.ts).
export { LabError, type Finding, type Severity } from './findings.js';
export { defineNetworkPlan, type NetworkPlan } from './model/network.js';
export { backedUpDatasets, defineZfsLayout, type DatasetRef, type ZfsLayout } from './model/zfs.js';
export { isValidSecretName, secret, secretFileUrl, type SecretRef } from './model/secret.js';
export { defineService, type ServiceDef, type ServiceSpec, type VolumeSpec } from './model/service.js';
export { type ImageFacts, type ImageFactsVerified, type UidGid } from './model/image-facts.js';
export { rewriteFacts, servicesChangedSince, verifyImages, type FactsUpdate, type ImageConfig, type ServiceVerification, type VerifyResult, type VerifyTarget } from './images/index.js';
export { defineHost, defineLxc, defineVm, type GuestSpec, type HostDef, type StackSpec } from './model/host.js';
export { type LxcSpec } from './model/lxc.js';
export { defineAdguard, type AdguardSpec } from './model/adguard.js';
export { defineTailscale, type TailnetGrant, type TailscaleSpec } from './model/tailscale.js';
export { defineSamba, type SambaDef, type SambaShare, type SambaSpec } from './model/samba.js';
export { defineNfsExports, type NfsExportsSpec } from './model/nfs.js';
export { defineNodeExporter, type NodeExporterSpec } from './model/node-exporter.js';
export { type QemuOptions, type VmSpec } from './model/qemu.js';
export { defineLabFacts, type Lab, type LabFacts } from './model/lab.js';
export { defineProxmoxHost, defineProxmoxStorage, labMachines, poolHost, type Machine, type ProxmoxHostDef, type ProxmoxHostSpec, type ProxmoxStorage } from './model/proxmox-host.js';
export { defineSnapshotPolicy, type SnapshotAssignments, type SnapshotPolicy } from './model/snapshots.js';
export { defineReplicationTarget, type ReplicationTarget } from './model/replication.js';
export { defineGuestBackupJob, type GuestBackupJob } from './model/guest-backup.js';
export { traefikAcmeEnvironment, traefikAcmeVolumes } from './render/traefik-tls.js';
export { TLS_SECRETS } from './model/tls.js';
export { authentikBlueprintsVolume, FIRST_ADMIN } from './model/authentik.js';
export { initCa, issueProxyCertificate } from './tls/store.js';
export { wantedLayout, type WantedLayout } from './zfs/wanted.js';
export { planZfs, zfsPlanCommands, type ZfsOutputs } from './zfs/plan.js';
export { formatZfsPlan, printableCommand } from './zfs/format.js';
export { datasetInventory, formatDatasetInventory } from './inventory/datasets.js';
export { findingsFor, validateLab } from './validate/index.js';
export { findWorkspaceRoot } from './lab/discover.js';
export { loadLab, type LoadedLab } from './lab/load.js';
export { labInventory, type Inventory, type InventoryHost } from './inventory/inventory.js';
export { buildHosts } from './emit/build.js';
export { saveCodeCaches } from './lab/code-cache.js';
export { DEPLOY_TIERS, deployRank, inDeployOrder, renderBoth, renderedChanges, renderedDiffMarkdown } from './affected/index.js';
export { labReference } from './docs/lab-reference.js';
export { deployContext, deployHost, formatRecord, isDeployError, plainProgress, planRelease, rollbackHost, storeKubeconfig, type DeployPlan, type DeployRequest, type Progress, type TargetOverrides } from './deploy/index.js';
export { restoreService } from './restore/index.js';
export { encryptValue, loadIdentities, newIdentity, recipientsOf } from './secrets/age.js';
export { identitySource, keyLines, recipientsFile, secretsDir } from './secrets/store.js';
export { driftFinding, driftHost, sortDrift, type HostDrift } from './drift/index.js';
export { didYouMean } from './common/suggest.js';
export { findService, labServices, parseSince, psHost, serviceExec, serviceLogs, serviceRestart, type HostStatus, type LabService, type LogOptions, type ServiceStatus } from './operate/index.js';
