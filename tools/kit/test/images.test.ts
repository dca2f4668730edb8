import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  applyLayer,
  compareWithImage,
  factsFromImage,
  factsLiteral,
  Findings,
  findCommand,
  imageChanges,
  literalEnd,
  parseBearerChallenge,
  parseImageReference,
  pickPlatform,
  readImage,
  readTar,
  RegistryError,
  registryUrl,
  resolvePath,
  resolveUser,
  parseAccounts,
  unverifiedFactsReason,
  type ImageFiles,
  type TarEntry,
} from '../src/internal.js';
import { imageFactsRule } from '../src/validate/rules/image-facts.js';
import { changed, gateway, labWith, web } from './fixtures.js';

describe('image references', () => {
  it.each([
    ['postgres:16.4-alpine', { registry: 'docker.io', repository: 'library/postgres', tag: '16.4-alpine' }],
    ['grafana/grafana:13.2.3', { registry: 'docker.io', repository: 'grafana/grafana', tag: '13.2.3' }],
    ['docker.io/redis:7', { registry: 'docker.io', repository: 'library/redis', tag: '7' }],
    ['lscr.io/linuxserver/sonarr:4.0.19.2979-ls316', { registry: 'lscr.io', repository: 'linuxserver/sonarr', tag: '4.0.19.2979-ls316' }],
    ['ghcr.io/immich-app/immich-server:v1.2', { registry: 'ghcr.io', repository: 'immich-app/immich-server', tag: 'v1.2' }],
    ['localhost:5000/app:1', { registry: 'localhost:5000', repository: 'app', tag: '1' }],
    [`quay.io/a/b:1@sha256:${'a'.repeat(64)}`, { registry: 'quay.io', repository: 'a/b', tag: '1', digest: `sha256:${'a'.repeat(64)}` }],
  ])('%s', (image, want) => {
    expect(parseImageReference(image)).toEqual(want);
  });

  it('refuses what a registry could not serve, saying why', () => {
    expect(() => parseImageReference('Grafana/grafana:1')).toThrow(/lowercase/);
    expect(() => parseImageReference('nginx')).toThrow(/neither a tag nor a digest/);
    expect(() => parseImageReference('nginx:1@sha256:abc')).toThrow(/malformed digest/);
  });

  it('maps registries to their API, Docker Hub to registry-1, and honours HOMELAB_REGISTRY_MIRROR', () => {
    expect(registryUrl('docker.io', undefined)).toBe('https://registry-1.docker.io');
    expect(registryUrl('lscr.io', undefined)).toBe('https://lscr.io');
    expect(registryUrl('lscr.io', 'http://127.0.0.1:5000/')).toBe('http://127.0.0.1:5000');
    expect(registryUrl('ghcr.io', 'lscr.io=http://127.0.0.1:1,ghcr.io=http://127.0.0.1:2')).toBe('http://127.0.0.1:2');
    expect(registryUrl('quay.io', 'lscr.io=http://127.0.0.1:1')).toBe('https://quay.io');
    expect(() => registryUrl('quay.io', 'ftp://x')).toThrow(/not an http/);
  });
});

describe('an image that cannot be read', () => {
  it('is a RegistryError naming the image, for a bad reference or a bad HOMELAB_REGISTRY_MIRROR alike', async () => {
    await expect(readImage('Nginx:1')).rejects.toThrow(/^cannot read Nginx:1: "Nginx:1" is not an image reference/);
    const mirror = process.env.HOMELAB_REGISTRY_MIRROR;
    process.env.HOMELAB_REGISTRY_MIRROR = 'registry.example';
    try {
      await expect(readImage('nginx:1')).rejects.toThrow(RegistryError);
      await expect(readImage('nginx:1')).rejects.toThrow('cannot read nginx:1: HOMELAB_REGISTRY_MIRROR: "registry.example" is not an http(s) URL');
    } finally {
      if (mirror === undefined) delete process.env.HOMELAB_REGISTRY_MIRROR;
      else process.env.HOMELAB_REGISTRY_MIRROR = mirror;
    }
  });
});

describe('the token challenge and the platform', () => {
  it('reads a Bearer challenge, with commas inside a quoted scope', () => {
    expect(parseBearerChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull,push"')).toEqual({
      realm: 'https://auth.docker.io/token',
      service: 'registry.docker.io',
      scope: 'repository:library/nginx:pull,push',
    });
    expect(parseBearerChallenge('Bearer realm="https://ghcr.io/token"')).toEqual({ realm: 'https://ghcr.io/token' });
    expect(parseBearerChallenge('Basic realm="x"')).toBeUndefined();
    expect(parseBearerChallenge(null)).toBeUndefined();
  });

  it('picks linux/amd64 from an index, never an attestation', () => {
    const index = [
      { mediaType: 'm', digest: 'sha256:att', platform: { os: 'unknown', architecture: 'unknown' } },
      { mediaType: 'm', digest: 'sha256:arm', platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      { mediaType: 'm', digest: 'sha256:amd', platform: { os: 'linux', architecture: 'amd64' } },
    ];
    expect(pickPlatform(index)?.digest).toBe('sha256:amd');
    expect(pickPlatform(index.slice(0, 2))).toBeUndefined();
  });
});

/** A ustar header block for `name` (the reader is checked against GNU tar in images-verify.system.test.ts). */
function header(name: string, type: string, size: number, linkname = '', mode = 0o755): Buffer {
  const b = Buffer.alloc(512);
  b.write(name, 0);
  b.write(`${mode.toString(8).padStart(7, '0')}\0`, 100);
  b.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  b.write(type, 156);
  b.write(linkname, 157);
  b.write('ustar\x0000', 257);
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of b) sum += byte;
  b.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return b;
}
const pad = (data: Buffer) => Buffer.concat([data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
async function entries(archive: Buffer, keep?: (p: string) => boolean): Promise<TarEntry[]> {
  const out: TarEntry[] = [];
  // In two chunks that split a header, as a network stream would.
  async function* chunks() {
    yield archive.subarray(0, 700);
    yield archive.subarray(700);
  }
  for await (const e of readTar(chunks(), keep)) out.push(e);
  return out;
}

describe('the tar reader', () => {
  it('reads files, links, pax paths and keeps only the content asked for', async () => {
    const passwd = Buffer.from('root:x:0:0::/root:/bin/sh\n');
    const long = `usr/${'x'.repeat(120)}/tool`;
    // A pax record counts its own length: `<n> path=<long>\n` is n bytes.
    const body = ` path=${long}\n`;
    const record = Buffer.from(`${body.length + 3}${body}`);
    expect(record.length).toBe(body.length + 3);
    const archive = Buffer.concat([
      header('./etc/', '5', 0),
      header('./etc/passwd', '0', passwd.length, '', 0o644),
      pad(passwd),
      header('bin', '2', 0, 'usr/bin'),
      header('PaxHeader', 'x', record.length),
      pad(record),
      header('ignored-name', '0', 3),
      pad(Buffer.from('abc')),
      Buffer.alloc(1024),
    ]);
    const got = await entries(archive, (p) => p === 'etc/passwd');
    expect(got.map((e) => [e.path, e.type, e.linkname])).toEqual([
      ['etc', 'directory', ''],
      ['etc/passwd', 'file', ''],
      ['bin', 'symlink', 'usr/bin'],
      [long, 'file', ''],
    ]);
    expect(got[1]!.data?.toString()).toBe(passwd.toString());
    expect(got[1]!.mode).toBe(0o644);
    expect(got[3]!.data).toBeUndefined();
  });

  it('refuses what is not a tar archive', async () => {
    await expect(entries(Buffer.alloc(2048, 7))).rejects.toThrow(/not a tar archive/);
    // Still compressed (a layer whose media type lies): too short for one block.
    await expect(entries(gzipSync(Buffer.alloc(2048, 7)))).rejects.toThrow(/not a tar archive/);
  });
});

const file = (path: string, mode = 0o755, data?: string): TarEntry => ({ path, type: 'file', mode, linkname: '', size: data?.length ?? 0, ...(data ? { data: Buffer.from(data) } : {}) });
const link = (path: string, target: string): TarEntry => ({ path, type: 'symlink', mode: 0o777, linkname: target, size: 0 });
const dir = (path: string): TarEntry => ({ path, type: 'directory', mode: 0o755, linkname: '', size: 0 });

function filesOf(...layers: TarEntry[][]): ImageFiles {
  const files: ImageFiles = new Map();
  for (const layer of layers) applyLayer(files, layer);
  return files;
}

describe('layers merged as a runtime merges them', () => {
  it('a whiteout deletes a file and a tree of the layers below; the layer itself keeps its own', () => {
    const files = filesOf([file('usr/bin/curl'), file('usr/bin/wget'), file('opt/app/a'), file('opt/app/b')], [file('usr/bin/.wh.curl'), file('opt/.wh.app'), file('opt/app/c')]);
    expect(files.has('usr/bin/curl')).toBe(false);
    expect(files.has('usr/bin/wget')).toBe(true);
    expect([...files.keys()].filter((k) => k.startsWith('opt/app/'))).toEqual(['opt/app/c']);
  });

  it('an opaque directory hides what the layers below had in it, not what its own layer adds', () => {
    const files = filesOf([file('etc/a'), file('etc/sub/b'), file('etcetera')], [dir('etc'), file('etc/.wh..wh..opq'), file('etc/c')]);
    expect([...files.keys()].filter((k) => k.startsWith('etc')).sort()).toEqual(['etc', 'etc/c', 'etcetera']);
  });

  it('follows symlinks on the way (usrmerge /bin -> usr/bin, absolute and relative) and finds commands on a PATH', () => {
    const files = filesOf([link('bin', 'usr/bin'), file('usr/bin/busybox'), link('usr/bin/sh', 'busybox'), link('usr/local/bin/wget', '/bin/busybox'), file('usr/bin/notexec', 0o644), link('loop', 'loop')]);
    expect(resolvePath(files, '/bin/sh')?.path).toBe('/usr/bin/busybox');
    expect(findCommand(files, 'wget', ['/usr/local/bin', '/usr/bin'])).toBe('/usr/local/bin/wget');
    expect(findCommand(files, '/bin/sh', [])).toBe('/bin/sh');
    expect(findCommand(files, 'notexec', ['/usr/bin'])).toBeUndefined();
    expect(findCommand(files, 'curl', ['/usr/bin'])).toBeUndefined();
    expect(resolvePath(files, '/loop')).toBeUndefined();
  });

  it('a file replaces a directory of the layers below, with what was under it', () => {
    const files = filesOf([file('app/x')], [file('app')]);
    expect([...files.keys()]).toEqual(['app']);
  });
});

describe('users as the runtime resolves them', () => {
  const passwd = parseAccounts('root:x:0:0:root:/root:/bin/sh\nabc:x:911:1001::/config:/bin/false\n');
  const group = parseAccounts('root:x:0:\nusers:x:100:abc\n');
  it.each([
    [undefined, { uid: 0, gid: 0 }],
    ['', { uid: 0, gid: 0 }],
    ['abc', { uid: 911, gid: 1001 }],
    ['911', { uid: 911, gid: 1001 }],
    ['1234', { uid: 1234, gid: 0 }],
    ['abc:users', { uid: 911, gid: 100 }],
    ['472:0', { uid: 472, gid: 0 }],
  ])('%s', (spec, want) => {
    expect(resolveUser(spec, passwd, group)).toEqual(want);
  });
  it('a name the image does not have is unknown', () => {
    expect(resolveUser('nobody', passwd, group)).toEqual({ unknown: `user "nobody" is not in the image's /etc/passwd` });
    expect(resolveUser('abc:wheel', passwd, group)).toEqual({ unknown: `group "wheel" is not in the image's /etc/group` });
  });
});

describe('the comparison of a service with its image', () => {
  const passwd = 'root:x:0:0::/root:/bin/sh\nnginx:x:101:101::/:/sbin/nologin\n';
  const image = (user: string | undefined, ...extra: TarEntry[]) => ({
    config: { ...(user !== undefined ? { User: user } : {}), Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'] },
    files: filesOf([file('etc/passwd', 0o644, passwd), file('etc/group', 0o644, 'root:x:0:\n'), link('bin', 'usr/bin'), file('usr/bin/dash'), link('usr/bin/sh', 'dash'), ...extra]),
  });
  const run = (service: Parameters<typeof compareWithImage>[1], content: Parameters<typeof compareWithImage>[3]) => {
    const findings = new Findings();
    compareWithImage('vm-dev/web', service, service.image, content, findings);
    return findings.list.map((f) => `${f.code} ${f.path}`);
  };
  const checked = changed(web, { healthcheck: { test: ['CMD-SHELL', 'curl -fsS http://localhost/ || exit 1'] } });

  it('finds nothing when the image is as the facts say', () => {
    expect(run(checked, image(undefined, file('usr/bin/curl')))).toEqual([]);
  });

  it('names the user fact the image contradicts, and a user it does not have', () => {
    expect(run(checked, image('nginx', file('usr/bin/curl')))).toEqual(['image-user-differs vm-dev/web/imageFacts.user']);
    expect(run(checked, image('www', file('usr/bin/curl')))).toEqual(['image-user-unknown vm-dev/web/imageFacts.user']);
    expect(run(changed(checked, { user: 'www-data' }), image(undefined, file('usr/bin/curl')))).toEqual(['image-user-unknown vm-dev/web/user']);
  });

  it('names a shipped command the image lacks, and the healthcheck that calls it', () => {
    expect(run(checked, image(undefined))).toEqual(['image-ships-missing vm-dev/web/imageFacts.ships', 'image-command-missing vm-dev/web/healthcheck.test']);
  });

  it('a CMD-SHELL healthcheck needs /bin/sh; an entrypoint must exist', () => {
    const distroless = { config: {}, files: filesOf([file('app/server')]) };
    const service = changed(gateway, { imageFacts: { user: '0:0', ships: ['/app/server'], source: 'https://x' }, healthcheck: { test: ['CMD-SHELL', '/app/server health'] }, entrypoint: ['/app/start'] });
    expect(run(service, distroless)).toEqual(['image-command-missing vm-dev/web/healthcheck.test', 'image-command-missing vm-dev/web/entrypoint']);
  });

  it('says what the facts would be by the image', () => {
    expect(factsFromImage(checked, image('nginx', file('usr/bin/curl')))).toEqual({ user: '101:101', ships: ['sh', 'curl'] });
    expect(factsFromImage(checked, image(undefined))).toEqual({ user: '0:0', ships: ['sh'] });
  });
});

describe('rewriting facts in place', () => {
  it('writes a literal that is valid TypeScript and closes where the old one did', () => {
    const facts = { user: '0:0', secretsReadAs: '33:33', ships: ['sh', "it's"], source: 'https://x/{y}', verified: { digest: `sha256:${'b'.repeat(64)}`, at: '2026-12-07' } };
    expect(factsLiteral(facts)).toBe(`{ user: '0:0', secretsReadAs: '33:33', ships: ['sh', 'it\\'s'], source: 'https://x/{y}', verified: { digest: 'sha256:${'b'.repeat(64)}', at: '2026-12-07' } }`);
    const source = `x = { imageFacts: { user: '0:0', source: 'https://a/}' }, role: 'app' }`;
    const open = source.indexOf('{', 5);
    expect(source.slice(open, literalEnd(source, open))).toBe(`{ user: '0:0', source: 'https://a/}' }`);
  });
});

describe('the services a change touches, image side', () => {
  it('lists a service whose image, facts or healthcheck changed, and a new one; not an unchanged one', () => {
    const base = labWith([gateway, web]);
    expect(imageChanges(base, labWith([gateway, web]))).toEqual([]);
    expect(imageChanges(base, labWith([changed(gateway, { image: 'qmcgaw/gluetun:v3.42.0' }), web]))).toEqual(['vm-dev/gateway']);
    expect(imageChanges(base, labWith([gateway, changed(web, { imageFacts: { ...web.imageFacts!, user: '101:101' } })]))).toEqual(['vm-dev/web']);
    expect(imageChanges(labWith([gateway]), labWith([gateway, web]))).toEqual(['vm-dev/web']);
  });
});

describe('validate: the facts carry their evidence', () => {
  const digest = (c: string) => `sha256:${c.repeat(64)}`;
  const check = (image: string, verified: unknown) => {
    const findings = new Findings();
    imageFactsRule.check(labWith([changed(web, { image, imageFacts: { ...web.imageFacts!, verified } })]), findings);
    return findings.list.map((f) => `${f.severity} ${f.code} ${f.path}`);
  };
  it('warns when the image is pinned to another digest than the facts were verified at', () => {
    expect(check(`nginx:1.27.3@${digest('a')}`, { digest: digest('b'), at: '2026-12-01' })).toEqual(['warning image-facts-stale vm-dev/web/imageFacts.verified']);
    expect(check(`nginx:1.27.3@${digest('a')}`, { digest: digest('a'), at: '2026-12-01' })).toEqual([]);
    // Pinned by tag only: nothing to compare with until verify reads it.
    expect(check('nginx:1.27.3', { digest: digest('b'), at: '2026-12-01' })).toEqual([]);
  });
  it('refuses evidence not in the form --update writes', () => {
    expect(check('nginx:1.27.3', { digest: 'sha256:abc', at: '2026-12-01' })).toEqual(['error image-facts-invalid vm-dev/web/imageFacts.verified']);
    expect(check('nginx:1.27.3', { digest: digest('a'), at: 'yesterday' })).toEqual(['error image-facts-invalid vm-dev/web/imageFacts.verified']);
  });
});

describe('unverifiedFactsReason: facts are evidence of an image only at the digest it is pinned to', () => {
  const digest = `sha256:${'a'.repeat(64)}`;
  const other = `sha256:${'b'.repeat(64)}`;
  const facts = { user: '0:0', ships: [], source: 'https://example.org/Dockerfile' };
  it('passes facts verified at the pinned digest', () => {
    expect(unverifiedFactsReason({ image: `redis:8@${digest}`, imageFacts: { ...facts, verified: { digest, at: '2026-12-07' } } })).toBeUndefined();
  });
  it.each([
    ['no facts', { image: `redis:8@${digest}` }, 'no image facts'],
    ['never verified', { image: `redis:8@${digest}`, imageFacts: facts }, 'never verified'],
    ['pinned by tag alone', { image: 'redis:8', imageFacts: { ...facts, verified: { digest, at: '2026-12-07' } } }, 'pinned by tag alone'],
    ['verified at another digest', { image: `redis:8@${other}`, imageFacts: { ...facts, verified: { digest, at: '2026-12-07' } } }, `pinned to ${other}`],
  ] as const)('refuses %s', (_what, service, why) => {
    expect(unverifiedFactsReason(service)).toContain(why);
  });
});
