// The kit's public face, pinned: what the host packages and the homelab command may import from
// '@homelab/kit'. Adding a name here is a reviewed decision; the machinery's internals are for the
// kit's own tests and the other tools, through '@homelab/kit/internal' (src/internal.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as face from '../src/index.js';

const VALUES = [
  'DEPLOY_TIERS',
  'FIRST_ADMIN',
  'LabError',
  'TLS_SECRETS',
  'authentikBlueprintsVolume',
  'backedUpDatasets',
  'buildHosts',
  'datasetInventory',
  'defineAdguard',
  'defineGuestBackupJob',
  'defineHost',
  'defineLabFacts',
  'defineLxc',
  'defineNetworkPlan',
  'defineNfsExports',
  'defineNodeExporter',
  'defineProxmoxHost',
  'defineProxmoxStorage',
  'defineReplicationTarget',
  'defineSamba',
  'defineService',
  'defineSnapshotPolicy',
  'defineTailscale',
  'defineVm',
  'defineZfsLayout',
  'deployContext',
  'deployHost',
  'deployRank',
  'didYouMean',
  'driftFinding',
  'driftHost',
  'encryptValue',
  'findService',
  'findWorkspaceRoot',
  'findingsFor',
  'formatDatasetInventory',
  'formatRecord',
  'formatZfsPlan',
  'identitySource',
  'inDeployOrder',
  'initCa',
  'isDeployError',
  'isValidSecretName',
  'issueProxyCertificate',
  'keyLines',
  'labInventory',
  'labMachines',
  'labReference',
  'labServices',
  'loadIdentities',
  'loadLab',
  'newIdentity',
  'parseSince',
  'plainProgress',
  'planRelease',
  'planZfs',
  'poolHost',
  'printableCommand',
  'psHost',
  'recipientsFile',
  'recipientsOf',
  'renderBoth',
  'renderedChanges',
  'renderedDiffMarkdown',
  'restoreService',
  'rewriteFacts',
  'rollbackHost',
  'saveCodeCaches',
  'secret',
  'secretFileUrl',
  'secretsDir',
  'serviceExec',
  'serviceLogs',
  'serviceRestart',
  'servicesChangedSince',
  'sortDrift',
  'storeKubeconfig',
  'traefikAcmeEnvironment',
  'traefikAcmeVolumes',
  'validateLab',
  'verifyImages',
  'wantedLayout',
  'zfsPlanCommands',
];

const TYPES = [
  'AdguardSpec',
  'DatasetRef',
  'DeployPlan',
  'DeployRequest',
  'FactsUpdate',
  'Finding',
  'GuestBackupJob',
  'GuestSpec',
  'HostDef',
  'HostDrift',
  'HostStatus',
  'ImageConfig',
  'ImageFacts',
  'ImageFactsVerified',
  'Inventory',
  'InventoryHost',
  'Lab',
  'LabFacts',
  'LabService',
  'LoadedLab',
  'LogOptions',
  'LxcSpec',
  'Machine',
  'NetworkPlan',
  'NfsExportsSpec',
  'NodeExporterSpec',
  'Progress',
  'ProxmoxHostDef',
  'ProxmoxHostSpec',
  'ProxmoxStorage',
  'QemuOptions',
  'ReplicationTarget',
  'SambaDef',
  'SambaShare',
  'SambaSpec',
  'SecretRef',
  'ServiceDef',
  'ServiceSpec',
  'ServiceStatus',
  'ServiceVerification',
  'Severity',
  'SnapshotAssignments',
  'SnapshotPolicy',
  'StackSpec',
  'TailnetGrant',
  'TailscaleSpec',
  'TargetOverrides',
  'UidGid',
  'VerifyResult',
  'VerifyTarget',
  'VmSpec',
  'VolumeSpec',
  'WantedLayout',
  'ZfsLayout',
  'ZfsOutputs',
];

const source = readFileSync(new URL('../src/index.ts', import.meta.url), 'utf8');

/** The names src/index.ts exports, as written: values, and types (`type X`). */
function declared(): { values: string[]; types: string[] } {
  const names = [...source.matchAll(/export\s+\{([^}]*)\}\s+from/g)].flatMap((m) => m[1]!.split(',').map((n) => n.trim()).filter(Boolean));
  return {
    values: names.filter((n) => !n.startsWith('type ')).sort(),
    types: names.filter((n) => n.startsWith('type ')).map((n) => n.slice(5)).sort(),
  };
}

describe('the public surface of @homelab/kit', () => {
  it('exports by name only, never a whole module', () => {
    expect(source).not.toMatch(/export\s+\*/);
    expect(source.replace(/^\/\/.*$/gm, '').replace(/export\s+\{[^}]*\}\s+from\s+'[^']+';/g, '').trim()).toBe('');
  });

  it('is exactly the pinned list of values, at run time', () => {
    expect(Object.keys(face).sort()).toEqual(VALUES);
    expect(declared().values).toEqual(VALUES);
  });

  it('is exactly the pinned list of types', () => {
    expect(declared().types).toEqual(TYPES);
  });
});
