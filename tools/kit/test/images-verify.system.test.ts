import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alpineNonRoot, distroless, freePort, linuxserverArm64, linuxserverLike, linuxserverWithoutCurl, startRegistry, type TestRegistry } from '@homelab/testing';
import { readImage, resolvePath, verifyImages, type ServiceDef, type VerifyTarget } from '../src/internal.js';
import { changed, labWith, web } from './fixtures.js';

// `homelab images verify` against images made here, served by a registry on 127.0.0.1 that asks
// for a bearer token as Docker Hub does: it passes on the faithful ones and names the fact on each broken one.

let registry: TestRegistry;
const mirror = process.env.HOMELAB_REGISTRY_MIRROR;

beforeAll(async () => {
  registry = await startRegistry([
    { repository: 'linuxserver/sonarr', tag: '4.0.19', image: linuxserverLike, arm64: linuxserverArm64 },
    { repository: 'linuxserver/sonarr', tag: '4.1.0', image: linuxserverWithoutCurl },
    { repository: 'grafana/grafana', tag: '13.2.3', image: alpineNonRoot },
    { repository: 'distroless/static', tag: 'nonroot', image: distroless },
  ]);
  process.env.HOMELAB_REGISTRY_MIRROR = registry.url;
});

afterAll(async () => {
  if (mirror === undefined) delete process.env.HOMELAB_REGISTRY_MIRROR;
  else process.env.HOMELAB_REGISTRY_MIRROR = mirror;
  await registry?.close();
});

const service = (name: string, spec: Partial<ServiceDef>): ServiceDef => changed(web, { name, ports: [], volumes: [], ...spec });

const sonarr = service('sonarr', {
  image: 'lscr.io/linuxserver/sonarr:4.0.19',
  imageFacts: { user: '0:0', ships: ['sh', 'bash', 'curl'], source: 'https://github.com/linuxserver/docker-sonarr/blob/master/Dockerfile' },
  healthcheck: { test: ['CMD', 'curl', '-fsS', 'http://localhost:8989/ping'] },
});
const grafana = service('grafana', {
  image: 'grafana/grafana:13.2.3',
  imageFacts: { user: '472:0', ships: ['sh', 'wget', 'grafana', '/run.sh'], source: 'https://github.com/grafana/grafana/blob/main/packaging/docker/Dockerfile' },
  healthcheck: { test: ['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:3000/api/health'] },
  user: 'grafana',
});
const exporter = service('exporter', {
  image: 'gcr.io/distroless/static:nonroot',
  imageFacts: { user: '65532:65532', ships: ['/server'], source: 'https://github.com/GoogleContainerTools/distroless/blob/main/base/README.md' },
  healthcheck: { test: ['CMD', '/server', 'healthcheck'] },
});

async function verify(...services: ServiceDef[]) {
  const lab = labWith(services);
  const targets: VerifyTarget[] = services.map((s) => ({ host: lab.hosts[0]!, service: lab.hosts[0]!.services.find((x) => x.name === s.name)! }));
  return verifyImages(targets);
}
const codes = (r: Awaited<ReturnType<typeof verify>>) => r.findings.map((f) => `${f.severity} ${f.code} ${f.path}`);

describe('homelab images verify, against a registry on 127.0.0.1', () => {
  it('reads the linux/amd64 image of an index through the token flow, with its layers merged', async () => {
    const got = await readImage('lscr.io/linuxserver/sonarr:4.0.19');
    expect(got.digest).toBe(registry.digests.get('linuxserver/sonarr:4.0.19'));
    expect(got.manifestDigest).not.toBe(got.digest);
    expect(got.config.User).toBeUndefined(); // the arm64 build has USER abc
    expect(got.config.Entrypoint).toEqual(['/init']);
    expect(resolvePath(got.files, '/bin/sh')?.path).toBe('/usr/bin/dash');
    expect(resolvePath(got.files, '/usr/bin/wget')).toBeUndefined(); // whited out by the upper layer
    expect([...got.files.keys()].filter((k) => k.startsWith('etc/ssl/certs/'))).toEqual(['etc/ssl/certs/ca-certificates.crt']); // opaque
    expect([...got.files.keys()].some((k) => k.endsWith('/copyright') && k.length > 100)).toBe(true);
    expect(got.files.get('etc/passwd')?.data?.toString()).toContain('abc:x:911:1000');
    const first = registry.requests.indexOf('GET /v2/linuxserver/sonarr/manifests/4.0.19');
    expect(registry.requests.slice(first, first + 3)).toEqual(['GET /v2/linuxserver/sonarr/manifests/4.0.19', 'GET /token', 'GET /v2/linuxserver/sonarr/manifests/4.0.19']);
    // Blobs came through the registry's redirect, as Docker Hub's go to its CDN.
    expect(registry.requests.filter((r) => r.startsWith('GET /cdn/sha256:')).length).toBeGreaterThan(2);
  });

  it('passes the faithful images: linuxserver-like (root, /init, curl), a non-root USER by name, a distroless one without a shell', async () => {
    const r = await verify(sonarr, grafana, exporter);
    expect(r.unreadable).toBe(0);
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
    // They agree, but nothing recorded that they were checked at these digests.
    expect(codes(r)).toEqual(['warning image-facts-unverified vm-dev/exporter/imageFacts.verified', 'warning image-facts-unverified vm-dev/grafana/imageFacts.verified', 'warning image-facts-unverified vm-dev/sonarr/imageFacts.verified']);
    expect(r.services.map((s) => s.fromImage)).toEqual([
      { user: '0:0', ships: ['sh', 'bash', 'curl'] },
      { user: '472:0', ships: ['sh', 'wget', 'grafana', '/run.sh'] },
      { user: '65532:65532', ships: ['/server'] },
    ]);
  });

  it('is silent about evidence that names the digest it reads', async () => {
    const digest = registry.digests.get('grafana/grafana:13.2.3')!;
    const r = await verify(changed(grafana, { imageFacts: { ...grafana.imageFacts!, verified: { digest, at: '2026-12-01' } } }));
    expect(codes(r)).toEqual([]);
    const stale = await verify(changed(grafana, { imageFacts: { ...grafana.imageFacts!, verified: { digest: `sha256:${'0'.repeat(64)}`, at: '2026-01-01' } } }));
    expect(stale.findings.map((f) => f.message)).toEqual([expect.stringContaining(`verified at sha256:${'0'.repeat(64)} (2026-01-01); grafana/grafana:13.2.3 is now ${digest}`)]);
  });

  it('fails an image whose healthcheck tool is missing (a new tag dropped curl), naming the fact and the healthcheck', async () => {
    const r = await verify(changed(sonarr, { image: 'lscr.io/linuxserver/sonarr:4.1.0' }));
    expect(codes(r)).toEqual(['error image-command-missing vm-dev/sonarr/healthcheck.test', 'error image-ships-missing vm-dev/sonarr/imageFacts.ships']);
    expect(r.findings[1]!.message).toContain('imageFacts.ships lists curl, but lscr.io/linuxserver/sonarr:4.1.0 has no executable curl on its PATH');
  });

  it('fails an image whose USER differs from the fact, saying what the image has', async () => {
    const r = await verify(changed(grafana, { imageFacts: { ...grafana.imageFacts!, user: '0:0' } }));
    expect(codes(r)).toEqual(['error image-user-differs vm-dev/grafana/imageFacts.user']);
    expect(r.findings[0]!.message).toBe(
      "imageFacts.user says 0:0, but grafana/grafana:13.2.3 has USER grafana (472:0 by its /etc/passwd): write user: '472:0' (homelab images verify --update), and check who then owns its files and secrets.",
    );
  });

  it('fails a shell healthcheck on the distroless image, and a user name it does not have', async () => {
    const r = await verify(changed(exporter, { imageFacts: { ...exporter.imageFacts!, ships: ['sh', '/server'] }, healthcheck: { test: ['CMD-SHELL', '/server healthcheck || exit 1'] }, user: 'app' }));
    expect(codes(r)).toEqual(['error image-command-missing vm-dev/exporter/healthcheck.test', 'error image-ships-missing vm-dev/exporter/imageFacts.ships', 'error image-user-unknown vm-dev/exporter/user']);
  });

  it('reports an image it cannot read as unreachable, naming the image and the registry, and goes on', async () => {
    const r = await verify(changed(grafana, { image: 'grafana/grafana:0.0.404' }), exporter);
    expect(r.unreadable).toBe(1);
    expect(codes(r).filter((c) => c.startsWith('error'))).toEqual(['error image-unreachable vm-dev/grafana/image']);
    expect(r.findings.find((f) => f.code === 'image-unreachable')!.message).toMatch(/^cannot read grafana\/grafana:0\.0\.404 from docker\.io \(at http:\/\/127\.0\.0\.1:\d+\): GET .* answered 404/);
    process.env.HOMELAB_REGISTRY_MIRROR = `http://127.0.0.1:${await freePort()}`; // nothing listens there
    try {
      const down = await verify(exporter);
      expect(down.findings.find((f) => f.code === 'image-unreachable')!.message).toMatch(/^cannot read gcr\.io\/distroless\/static:nonroot from gcr\.io \(at http:\/\/127\.0\.0\.1:\d+\): .*ECONNREFUSED/);
    } finally {
      process.env.HOMELAB_REGISTRY_MIRROR = registry.url;
    }
  });
});
