import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { requireTool } from '@homelab/testing';
import { execSync, must } from './namespaces.js';
import type { TwinVm } from './vm.js';

/** The shared libraries a dynamically linked binary needs, as ldd lists them. */
function librariesOf(binary: string): string[] {
  return [...must(['ldd', binary], `ldd ${binary}`).matchAll(/(\/\S+\.so[^\s]*)/g)].map((m) => m[1]!);
}

/**
 * In the place of the lab's Prometheus image: Debian's real `prometheus` (with the libraries it
 * links and busybox for its healthcheck's wget), tagged as the lab's image reference, running as
 * upstream's image does (`nobody`, entrypoint /bin/prometheus), so the rendered prometheus.yml is
 * read and scraped for real.
 */
export async function importRealPrometheus(vm: TwinVm, imageRef: string, workDir: string): Promise<void> {
  const prometheus = requireTool('prometheus');
  const busybox = requireTool('busybox');
  const root = join(workDir, 'real-prometheus-rootfs');
  mkdirSync(join(root, 'bin'), { recursive: true });
  for (const d of ['etc/prometheus', 'prometheus', 'tmp']) mkdirSync(join(root, d), { recursive: true, mode: 0o1777 });
  copyFileSync(prometheus, join(root, 'bin', 'prometheus'));
  copyFileSync(busybox, join(root, 'bin', 'busybox'));
  mkdirSync(join(root, 'standin'), { recursive: true });
  copyFileSync(busybox, join(root, 'standin', 'busybox'));
  for (const applet of ['sh', 'wget', 'cat', 'ls']) symlinkSync('busybox', join(root, 'bin', applet));
  for (const lib of librariesOf(prometheus)) {
    mkdirSync(join(root, dirname(lib)), { recursive: true });
    copyFileSync(lib, join(root, lib));
  }
  writeFileSync(join(root, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n');
  const tar = join(workDir, 'real-prometheus.tar');
  must(['tar', '-C', root, '-cf', tar, '.']);
  execSync(['chmod', '1777', join(root, 'prometheus')]);
  const r = await vm.docker([
    'import',
    '--change', 'USER 65534:65534',
    '--change', 'ENTRYPOINT ["/bin/prometheus"]',
    '--change', 'CMD ["--config.file=/etc/prometheus/prometheus.yml","--storage.tsdb.path=/prometheus"]',
    '--change', 'WORKDIR /prometheus',
    tar, imageRef,
  ]);
  if (r.code !== 0) throw new Error(`twin: docker import of the real Prometheus as ${imageRef}: ${r.stderr}`);
}
