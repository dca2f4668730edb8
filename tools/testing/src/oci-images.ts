import type { ImageSpec, LayerSpec } from './oci-registry.js';

// Images made in the test whose config and filesystem mimic real ones (the layout of the real
// images' Dockerfiles): served by startRegistry, read back by `homelab images verify`.

const PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const script = (text: string) => `#!/bin/sh\n${text}\n`;

/** An Ubuntu/Debian base after usrmerge: /bin is a link to usr/bin, sh a link to dash. */
const debianBase: LayerSpec = {
  format: 'gnu',
  files: {
    bin: { symlink: 'usr/bin' },
    sbin: { symlink: 'usr/sbin' },
    'usr/bin/dash': script('# dash'),
    'usr/bin/sh': { symlink: 'dash' },
    'usr/bin/bash': script('# bash'),
    'usr/bin/wget': script('# wget'),
    'etc/passwd': { content: 'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n', mode: 0o644 },
    'etc/group': { content: 'root:x:0:\nusers:x:100:\nnogroup:x:65534:\n', mode: 0o644 },
    'etc/ssl/certs/old.pem': { content: 'old', mode: 0o644 },
    // A path longer than ustar's 100 characters: GNU tar writes it as an `L` entry.
    [`usr/share/doc/${'long-package-name-'.repeat(6)}/copyright`]: { content: 'text', mode: 0o644 },
  },
};

/** linuxserver.io's layer: s6-overlay's /init, the abc user (911), curl; wget removed, the certificates replaced (opaque). */
const linuxserverLayer: LayerSpec = {
  format: 'pax',
  files: {
    init: script('exec s6-svscan'),
    'usr/bin/curl': script('# curl'),
    'usr/bin/.wh.wget': '',
    'etc/ssl/certs/.wh..wh..opq': '',
    'etc/ssl/certs/ca-certificates.crt': { content: 'new', mode: 0o644 },
    'etc/passwd': { content: 'root:x:0:0:root:/root:/bin/bash\nabc:x:911:1000::/config:/bin/false\n', mode: 0o644 },
    'etc/group': { content: 'root:x:0:\nusers:x:100:\nabc:x:1000:\n', mode: 0o644 },
    'app/sonarr/bin/Sonarr': script('# sonarr'),
  },
};

/** A linuxserver.io image: no USER (s6's /init starts as root and drops to PUID:PGID), curl and bash on PATH. */
export const linuxserverLike: ImageSpec = {
  config: { Entrypoint: ['/init'], Env: [PATH, 'HOME=/root'], ExposedPorts: { '8989/tcp': {} }, WorkingDir: '/' },
  layers: [debianBase, linuxserverLayer],
};

/** The same image's arm64 build, made different on purpose (USER abc): reading it instead of amd64 would show. */
export const linuxserverArm64: ImageSpec = { ...linuxserverLike, config: { ...linuxserverLike.config, User: 'abc' } };

/** A newer tag of it that dropped curl: a healthcheck calling curl would never pass. */
export const linuxserverWithoutCurl: ImageSpec = {
  ...linuxserverLike,
  layers: [...linuxserverLike.layers, { files: { 'usr/bin/.wh.curl': '' } }],
};

/** An Alpine image with a non-root USER by name whose uid is in /etc/passwd (grafana: USER 472, group 0). */
export const alpineNonRoot: ImageSpec = {
  config: { User: 'grafana', Entrypoint: ['/run.sh'], Env: [PATH], ExposedPorts: { '3000/tcp': {} }, WorkingDir: '/usr/share/grafana' },
  layers: [
    {
      format: 'ustar',
      files: {
        'bin/busybox': script('# busybox'),
        'bin/sh': { symlink: '/bin/busybox' },
        'usr/bin/wget': { symlink: '/bin/busybox' },
        'etc/passwd': { content: 'root:x:0:0:root:/root:/bin/sh\ngrafana:x:472:0::/home/grafana:/sbin/nologin\n', mode: 0o644 },
        'etc/group': { content: 'root:x:0:root\n', mode: 0o644 },
      },
    },
    { files: { 'run.sh': script('exec grafana server'), 'usr/share/grafana/bin/grafana': script('# grafana'), 'usr/bin/grafana': { symlink: '/usr/share/grafana/bin/grafana' } } },
  ],
};

/** A distroless image: no shell at all, USER nonroot (65532), one static binary. */
export const distroless: ImageSpec = {
  config: { User: '65532:65532', Entrypoint: ['/server'], Env: [PATH], WorkingDir: '/' },
  layers: [
    {
      files: {
        'etc/passwd': { content: 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n', mode: 0o644 },
        'etc/group': { content: 'root:x:0:\nnonroot:x:65532:\n', mode: 0o644 },
        'home/nonroot': { dir: true },
        server: script('# static'),
      },
    },
  ],
};
