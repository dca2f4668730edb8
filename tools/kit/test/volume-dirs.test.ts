import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineHost, defineService, volumeDirs, volumeDirsScript, type DatasetRef } from '../src/internal.js';
import { realLab, vm } from './fixtures.js';

const facts = realLab.facts;
const zfs = { dataset: (name: string): DatasetRef => ({ kind: 'dataset', pool: facts.zfs.pool, name }) };
const facts1000 = { user: '1000:1000', ships: [], source: 'https://example.test/Dockerfile' };
const factsRoot = { user: '0:0', ships: [], source: 'https://example.test/Dockerfile' };

describe('volume-dirs', () => {
  it('lists each read-write dataset folder once, owned by the user its service starts as', () => {
    const host = defineHost(vm, {
      services: [
        defineService({ name: 'app', image: 'x/app:1', imageFacts: facts1000, volumes: [{ dataset: zfs.dataset('services/dev'), sub: 'app', target: '/data' }] }),
        defineService({ name: 'db', image: 'x/db:1', imageFacts: factsRoot, volumes: [{ dataset: zfs.dataset('services/dev'), sub: 'db', target: '/var/lib/db' }] }),
        defineService({ name: 'own', image: 'x/app:1', user: '2000:2000', imageFacts: facts1000, volumes: [{ dataset: zfs.dataset('services/dev'), sub: 'own', target: '/x' }] }),
        defineService({ name: 'ro', image: 'x/app:1', imageFacts: facts1000, volumes: [{ dataset: zfs.dataset('services/dev'), sub: 'lib', target: '/lib', readOnly: true }, { dataset: zfs.dataset('services/dev'), target: '/all' }] }),
      ],
    });
    expect(volumeDirs(facts, host).map((d) => `${d.owner} ${d.path.split('/').pop()}`)).toEqual(['1000:1000 app', '0:0 db', '2000:2000 own']);
  });

  it('the deploy script creates what is missing with its owner and leaves an existing folder as it is', () => {
    const dir = mkdtempSync(join(tmpdir(), 'volume-dirs-'));
    try {
      mkdirSync(join(dir, 'current'));
      mkdirSync(join(dir, 'kept'), { mode: 0o700 });
      writeFileSync(join(dir, 'current', 'volume-dirs.list'), `1234:5678 0750 ${dir}/new/deep\n1234:5678 0750 ${dir}/kept\n`);
      execFileSync('sh', ['-c', volumeDirsScript(join(dir, 'current'))]);
      const made = statSync(join(dir, 'new', 'deep'));
      expect([made.uid, made.gid, made.mode & 0o777]).toEqual([1234, 5678, 0o750]);
      const kept = statSync(join(dir, 'kept'));
      expect([kept.uid, kept.mode & 0o777]).toEqual([process.getuid!(), 0o700]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('shared dataset folders', () => {
  it('the layout names them, owned by the app user, at the dataset default mountpoint', async () => {
    const { wantedLayout } = await import('../src/index.js');
    const wanted = wantedLayout(realLab.facts.zfs, realLab.facts.appIds);
    expect(wanted.folders?.map((f) => `${f.owner} ${f.path}`)).toEqual(['1000:1000 /tank/media/library/movies', '1000:1000 /tank/media/library/shows', '1000:1000 /tank/media/library/torrents']);
    expect(wantedLayout(realLab.facts.zfs).folders).toBeUndefined();
  });

  it('creates what is missing and leaves an existing folder as it is', async () => {
    const { missingFoldersScript } = await import('../src/internal.js');
    const dir = mkdtempSync(join(tmpdir(), 'shared-folders-'));
    try {
      mkdirSync(join(dir, 'kept'), { mode: 0o700 });
      execFileSync('sh', ['-c', missingFoldersScript([{ path: join(dir, 'made'), owner: '1234:5678', mode: '0775' }, { path: join(dir, 'kept'), owner: '1234:5678', mode: '0775' }])]);
      const made = statSync(join(dir, 'made'));
      expect([made.uid, made.gid, made.mode & 0o777]).toEqual([1234, 5678, 0o775]);
      expect(statSync(join(dir, 'kept')).mode & 0o777).toBe(0o700);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
