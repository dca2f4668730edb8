import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_EXPORTER_TEXTFILE_DIR, planZfsOn, ZFS_AGES_SCRIPT, zfsAgeLimits, type WantedLayout } from '@homelab/kit/internal';
import type { TwinLab } from '../lab.js';
import { fail, ProbeLog, type ProbeResult } from '../probe.js';
import type { ProxmoxTwin } from '../proxmox/node.js';

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** sanoid.conf as deployed: each dataset's template, and whether that template takes snapshots. */
export function sanoidAutosnap(conf: string): Map<string, boolean> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const line of conf.split('\n')) {
    const head = /^\[(.+)\]\s*$/.exec(line);
    if (head) sections.set(head[1]!, (current = new Map()));
    const kv = /^\s+(\w+)\s*=\s*(.+?)\s*$/.exec(line);
    if (kv && current) current.set(kv[1]!, kv[2]!);
  }
  const out = new Map<string, boolean>();
  for (const [name, keys] of sections) {
    if (name.startsWith('template_')) continue;
    const own = keys.get('autosnap') ?? sections.get(`template_${keys.get('use_template')}`)?.get('autosnap') ?? 'yes';
    out.set(name, own === 'yes');
  }
  return out;
}

/**
 * Probe 8: the pool is real, the dataset plan `homelab deploy pve` applied holds (planned again
 * with the kit: nothing to change), sanoid takes the snapshots the rendered sanoid.conf asks for,
 * each rendered syncoid unit replicates to the offsite pool over SSH, and a file deleted from a
 * service dataset comes back from its snapshot with the same sha256.
 */
export async function storageProbes(lab: TwinLab, pve: ProxmoxTwin): Promise<ProbeResult[]> {
  const log = new ProbeLog();
  const host = pve.host.name;
  const pool = lab.loaded.lab.facts.zfs.pool;
  const exec = (argv: readonly string[]) => pve.node.exec(argv);
  const must = async (argv: readonly string[]): Promise<string> => {
    const r = await exec(argv);
    if (r.code !== 0) fail(`${argv.join(' ')} failed (exit ${r.code}): ${(r.stderr || r.stdout).trim()}`);
    return r.stdout;
  };
  await log.check(host, 'storage', `pool ${pool} is online`, async () => {
    const out = await must(['zpool', 'list', '-H', '-o', 'name,health', pool]);
    if (out.trim() !== `${pool}\tONLINE`) fail(`zpool list says ${out.trim()}`);
    return 'stand-in: zfs-fuse (Debian, pool version 23) on a sparse file, not OpenZFS on disks';
  });
  const dist = join(lab.loaded.hostDirs.get(host) ?? lab.ws.path('packages', host), 'dist');
  const wanted = JSON.parse(readFileSync(join(dist, 'zfs-datasets.json'), 'utf8')) as WantedLayout;
  await log.check(host, 'storage', `the dataset plan holds: ${wanted.datasets.length} datasets, nothing left to change`, async () => {
    const plan = await planZfsOn(wanted, exec, host);
    const errors = plan.findings.filter((f) => f.severity === 'error');
    if (plan.actions.length || errors.length) fail(`planning again: ${plan.actions.map((a) => a.argv.join(' ')).join('; ')} ${errors.map((f) => f.message).join('; ')}`);
    for (const d of wanted.datasets) {
      if ((await must(['zfs', 'get', '-H', '-o', 'value', 'mounted', d.name])).trim() !== 'yes') fail(`${d.name} is not mounted`);
    }
    const mapped = pve.storage.mappings();
    return mapped.length ? `mapped for zfs-fuse: ${mapped.join('; ')}` : undefined;
  });
  // A file in every dataset that gets snapshots, before sanoid runs: what replication and the drill check.
  const autosnap = sanoidAutosnap(await must(['cat', '/etc/sanoid/sanoid.conf']));
  const seeded = new Map<string, string>();
  for (const [ds, snaps] of autosnap) {
    if (!snaps) continue;
    const file = join(pve.datasetHostPath(ds), 'twin-drill.bin');
    writeFileSync(file, randomBytes(64 * 1024));
    seeded.set(ds, sha256(file));
  }
  await log.check(host, 'storage', 'sanoid takes the snapshots sanoid.conf asks for', async () => {
    await must(['sanoid', '--take-snapshots', '--configdir=/etc/sanoid', '--cache-dir=/run/sanoid-cache', '--run-dir=/run/sanoid', '--verbose']);
    const snaps = (await must(['zfs', 'list', '-H', '-o', 'name', '-t', 'snapshot', '-r', pool])).split('\n').filter(Boolean);
    for (const [ds, wants] of autosnap) {
      const has = snaps.some((s) => s.startsWith(`${ds}@autosnap_`));
      if (has !== wants) fail(`${ds} ${has ? 'has' : 'has no'} autosnap snapshot, but its template says autosnap = ${wants ? 'yes' : 'no'}`);
    }
    return `${snaps.length} snapshot(s), none on datasets whose template says autosnap = no`;
  });
  const units = (await must(['sh', '-c', 'ls /etc/systemd/system/ | grep "^syncoid-.*\\.service$" || true'])).split('\n').filter(Boolean);
  await log.check(host, 'storage', `the syncoid units (${units.length}) replicate to the offsite pool over SSH`, async () => {
    if (units.length === 0) fail('deploy installed no syncoid unit');
    for (const unit of units) {
      const text = await must(['cat', `/etc/systemd/system/${unit}`]);
      const exec = /^ExecStart=(.+)$/m.exec(text)?.[1];
      if (!exec) fail(`${unit} has no ExecStart`);
      await must(['sh', '-c', exec]);
      // As systemd does after a successful ExecStart: record the send for Prometheus.
      const post = /^ExecStartPost=(.+)$/m.exec(text)?.[1];
      if (post) await must(['sh', '-c', post]);
      const [source, target] = exec.split(' ').slice(-2) as [string, string];
      const replica = target.split(':')[1]!;
      const hash = seeded.get(source);
      const copy = join(pve.datasetHostPath(replica), 'twin-drill.bin');
      if (hash && (!existsSync(copy) || sha256(copy) !== hash)) fail(`${replica} on the offsite pool does not hold ${source}'s file`);
    }
    return `the replica's files match by sha256; the offsite host name resolves to the twin's offsite node (${pve.offsite.address}) through the node's /etc/hosts`;
  });
  if (pve.host.nodeExporter) {
    const limits = zfsAgeLimits(lab.loaded.lab, pve.host);
    await log.check(host, 'storage', `snapshot and replication ages reach node-exporter's textfile folder (${limits.snapshots.length} datasets, ${limits.replication.length} replicated)`, async () => {
      await must([ZFS_AGES_SCRIPT]);
      const text = await must(['sh', '-c', `cat ${NODE_EXPORTER_TEXTFILE_DIR}/*.prom`]);
      for (const s of limits.snapshots) {
        const taken = autosnap.get(s.dataset);
        if (taken && !text.includes(`homelab_zfs_snapshot_newest_timestamp_seconds{dataset="${s.dataset}"}`)) fail(`no newest-snapshot time for ${s.dataset}, which sanoid snapshotted`);
        if (!text.includes(`homelab_zfs_snapshot_max_age_seconds{dataset="${s.dataset}",policy="${s.policy}"} ${s.maxAgeSeconds}`)) fail(`no age limit for ${s.dataset}`);
      }
      for (const r of limits.replication) {
        if (!new RegExp(`homelab_replication_last_success_timestamp_seconds\\{target="${r.target}",dataset="${r.dataset}"\\} \\d+`).test(text)) fail(`no replication time for ${r.dataset} to ${r.target}, which syncoid sent`);
      }
      return 'written by the rendered zfs-ages script and each syncoid unit\'s ExecStartPost; the real Prometheus scrapes them from the node\'s node-exporter (its stand-in serves the folder)';
    });
  }
  const drill = [...seeded.keys()].find((d) => d.startsWith(`${pool}/services/`));
  await log.check(host, 'storage', `restore drill: a file deleted from ${drill} comes back with its sha256`, async () => {
    if (!drill) fail('no service dataset takes snapshots');
    const file = `/${drill}/twin-drill.bin`;
    await must(['rm', file]);
    const snaps = (await must(['zfs', 'list', '-H', '-o', 'name', '-s', 'creation', '-t', 'snapshot', '-r', drill])).split('\n').filter((s) => s.startsWith(`${drill}@`));
    const newest = snaps[snaps.length - 1];
    if (!newest) fail(`${drill} has no snapshot`);
    await must(['zfs', 'rollback', newest]);
    const back = join(pve.datasetHostPath(drill), 'twin-drill.bin');
    if (!existsSync(back) || sha256(back) !== seeded.get(drill)) fail(`after zfs rollback ${newest} the file is ${existsSync(back) ? 'different' : 'missing'}`);
    return `stand-in: the lab has no restore command yet, and zfs-fuse has no .zfs/snapshot folder to copy one file from: zfs rollback ${newest}`;
  });
  return log.results;
}
