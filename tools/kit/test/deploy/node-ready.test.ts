import { describe, expect, it } from 'vitest';
import { checkNodeNeeds, meetNodeNeeds, nodeNeeds, type Progress } from '../../src/internal.js';
import { realLab } from '../fixtures.js';
import { recordingShell } from './local-shell.js';

/** A progress that runs each step and keeps what it was told. */
function recordingProgress(): Progress & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (text: string) => void lines.push(`info ${text}`),
    step: async (title: string, fn: (step: never) => unknown) => {
      lines.push(`step ${title}`);
      return fn({ title: () => {}, note: () => {} } as never);
    },
  } as unknown as Progress & { lines: string[] };
}

describe("a fresh Proxmox node made ready by deploying it", () => {
  const needs = nodeNeeds(realLab, 'pve');

  it("needs the mapping folder, virtiofsd, sanoid, nfs-kernel-server, node-exporter, the lab's container template and cloud image, in that order", () => {
    expect(needs.map((n) => [n.what, n.check, n.fix ?? null])).toEqual([
      ['the folder of directory mappings /etc/pve/mapping', '[ -d /etc/pve/mapping ]', 'mkdir -p /etc/pve/mapping'],
      ['virtiofsd (VMs mount datasets over virtiofs)', '[ -x /usr/libexec/virtiofsd ] || command -v virtiofsd >/dev/null', 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q virtiofsd'],
      ['sanoid (snapshots and replication: sanoid.conf, the syncoid units)', 'command -v sanoid >/dev/null', 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q sanoid'],
      ['nfs-kernel-server (the kernel NFS server the exports of /etc/exports.d need)', 'command -v exportfs >/dev/null', 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q nfs-kernel-server'],
      [
        "prometheus-node-exporter (the host's metrics, ZFS included, for Prometheus)",
        'command -v prometheus-node-exporter >/dev/null',
        'DEBIAN_FRONTEND=noninteractive apt-get install -y -q prometheus-node-exporter',
      ],
      [
        'container template local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst',
        'f=$(pvesm path local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst 2>/dev/null) && [ -f "$f" ]',
        'pveam update && pveam download local debian-12-standard_12.12-1_amd64.tar.zst',
      ],
      ['cloud image local:import/debian-13-genericcloud-amd64.qcow2', 'f=$(pvesm path local:import/debian-13-genericcloud-amd64.qcow2 2>/dev/null) && [ -f "$f" ]', null],
    ]);
  });

  it('a node with no guests of the lab needs only the mapping folder', () => {
    expect(nodeNeeds(realLab, 'elsewhere').map((n) => n.what)).toEqual(['the folder of directory mappings /etc/pve/mapping']);
  });

  it('plan shows what is missing and what deploy would run, changing nothing', async () => {
    const shell = recordingShell((script) => ({ code: script.includes('virtiofsd') || script.includes('qcow2') ? 1 : 0 }));
    const states = await checkNodeNeeds(shell, needs);
    expect(states.map((s) => [s.ready, s.todo ?? null])).toEqual([
      [true, null],
      [false, 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q virtiofsd'],
      [true, null],
      [true, null],
      [true, null],
      [true, null],
      [false, expect.stringMatching(/^by hand: download it into the import storage/)],
    ]);
    expect(shell.scripts).toEqual(needs.map((n) => n.check));
  });

  it('deploy meets only the needs that are not met, and says what it cannot fetch', async () => {
    const shell = recordingShell((script) => ({ code: /virtiofsd >|pvesm path/.test(script) ? 1 : 0 }));
    const progress = recordingProgress();
    await meetNodeNeeds(shell, needs, progress);
    expect(shell.scripts.filter((s) => !needs.some((n) => n.check === s))).toEqual([
      'DEBIAN_FRONTEND=noninteractive apt-get install -y -q virtiofsd',
      'pveam update && pveam download local debian-12-standard_12.12-1_amd64.tar.zst',
    ]);
    expect(progress.lines.filter((l) => l.startsWith('info'))).toEqual([expect.stringMatching(/^info note: the node has no cloud image local:import\/debian-13-genericcloud-amd64\.qcow2: download it/)]);
  });

  it('a ready node runs nothing but the checks', async () => {
    const shell = recordingShell();
    await meetNodeNeeds(shell, needs, recordingProgress());
    expect(shell.scripts).toEqual(needs.map((n) => n.check));
  });
});
