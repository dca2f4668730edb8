import { describe, expect, it } from 'vitest';
import { validateLab, type Lab, type ServiceDef, type VolumeSpec } from '../src/internal.js';
import { realLab } from './fixtures.js';
import { withHost, withService } from './mutate.js';
import { withDatasets } from './storage-fixtures.js';

// An *arr's download path and library on one filesystem through one mount, or a finding at the
// download path's volume: each row breaks the real vm-media one way.
const ds = (name: string) => ({ kind: 'dataset' as const, pool: realLab.facts.zfs.pool, name });
const found = (lab: Lab) => validateLab(lab).filter((f) => f.code === 'arr-paths-not-one-filesystem').map((f) => f.path);

/** The seed's layout: the libraries as datasets of their own, downloads in services/downloads; each its own virtiofs share. */
const seed = withHost(
  withDatasets(realLab, { 'media/movies': { purpose: 'x' }, 'media/shows': { purpose: 'x' } }),
  'vm-media',
  (h) => ({ ...h, storage: [...h.storage, ds('media/movies'), ds('media/shows')] }),
);
const volumes = (lab: Lab, service: string, change: (v: readonly VolumeSpec[]) => VolumeSpec[]) =>
  withService(lab, 'vm-media', service, (s: ServiceDef) => ({ ...s, volumes: change(s.volumes ?? []) }));
const config = (s: string): VolumeSpec => ({ dataset: ds('services/media'), sub: s, target: '/config' });

const cases: { name: string; lab: () => Lab; paths: string[] }[] = [
  {
    name: 'the seed: sonarr and radarr with /tv, /movies and /downloads on three datasets',
    lab: () => volumes(volumes(volumes(seed, 'qbittorrent', (v) => [v[0]!, { dataset: ds('services/downloads'), sub: 'torrents', target: '/downloads' }]), 'sonarr', () => [config('sonarr'), { dataset: ds('media/shows'), target: '/tv' }, { dataset: ds('services/downloads'), target: '/downloads' }]), 'radarr', () => [config('radarr'), { dataset: ds('media/movies'), target: '/movies' }, { dataset: ds('services/downloads'), target: '/downloads' }]),
    paths: ['vm-media/radarr/volumes[2]', 'vm-media/sonarr/volumes[2]'],
  },
  {
    name: 'one dataset, but the library and the downloads as two mounts',
    lab: () => volumes(realLab, 'sonarr', () => [config('sonarr'), { dataset: ds('media/library'), sub: 'shows', target: '/tv' }, { dataset: ds('media/library'), sub: 'torrents', target: '/downloads' }]),
    paths: ['vm-media/sonarr/volumes[2]'],
  },
  {
    name: 'qBittorrent on its own dataset, radarr following it there',
    lab: () => volumes(volumes(seed, 'qbittorrent', (v) => [v[0]!, { dataset: ds('services/downloads'), target: '/data/torrents' }]), 'radarr', (v) => [...v, { dataset: ds('services/downloads'), target: '/downloads' }]),
    paths: ['vm-media/radarr/volumes[2]'],
  },
];

describe('arr-paths-not-one-filesystem', () => {
  it('the real lab: one dataset mounted once at /data', () => expect(found(realLab)).toEqual([]));

  it.each(cases)('$name', ({ lab, paths }) => {
    const findings = validateLab(lab()).filter((f) => f.code === 'arr-paths-not-one-filesystem');
    expect(findings.map((f) => f.path).sort()).toEqual(paths);
    for (const f of findings) expect(f.severity).toBe('error');
  });

  it('says which case it is: two datasets, or two mounts of one', () => {
    const [twoDatasets] = validateLab(cases[0]!.lab()).filter((f) => f.code === 'arr-paths-not-one-filesystem');
    const [twoMounts] = validateLab(cases[1]!.lab()).filter((f) => f.code === 'arr-paths-not-one-filesystem');
    expect(twoDatasets!.message).toContain('tank/services/downloads at /downloads');
    expect(twoDatasets!.message).toContain('different datasets');
    expect(twoMounts!.message).toContain('two mounts of one dataset');
  });

  it('a library mounted read-only (Jellyfin) is not an import path', () => {
    const lab = volumes(realLab, 'sonarr', (v) => [...v, { dataset: ds('media/library'), sub: 'shows', target: '/library', readOnly: true }]);
    expect(found(lab)).toEqual([]);
  });
});
