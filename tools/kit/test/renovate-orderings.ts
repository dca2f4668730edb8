/**
 * Tags of the fixture lab's dependencies, in the order Renovate must put them (oldest first). The
 * unit test orders them with the model of Renovate's regex versioning (renovate-model.ts); the
 * system test with Renovate's own code, so the model cannot drift from it unnoticed.
 */
export const orderings: [depName: string, tags: string[]][] = [
  ['ghcr.io/pelican/panel', ['v1.0.0-beta9', 'v1.0.0-beta38', 'v1.0.0-beta39', 'v1.0.0-beta100', 'v1.0.0', 'v1.0.1']],
  ['ghcr.io/immich-app/postgres', ['14-vectorchord0.3.0-pgvectors0.2.0', '14-vectorchord0.4.3-pgvectors0.2.0', '14-vectorchord0.10.0-pgvectors0.2.0', '16-vectorchord0.4.3-pgvectors0.2.0']],
  ['lscr.io/linuxserver/qbittorrent', ['5.1.2-r0-ls406', '5.1.2-r0-ls407', '5.1.3-r0-ls1', '5.10.0-r1-ls2']],
  ['lscr.io/linuxserver/sonarr', ['4.0.19.2979-ls316', '4.0.19.2979-ls317', '4.0.19.3000-ls1', '4.1.0.1-ls1']],
  ['debian-standard (Proxmox LXC template)', ['12.7-1', '12.12-1', '13.1-2']],
  ['debian', ['12', '13', '14']],
];
