import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachedDir } from '../src/debian/archive.js';
import { prewarmCache } from '../src/debian/prewarm.js';

// The twin's cache on a fresh machine: the system tier's stand-in tests and the lab twin beside
// them ask for the same Debian roots and images at once; one makes each, the other waits for it.
let cache: string;
const saved = process.env.HOMELAB_TWIN_CACHE;
beforeEach(() => {
  cache = mkdtempSync(join(tmpdir(), 'twin-cache-'));
  process.env.HOMELAB_TWIN_CACHE = cache;
});
afterEach(() => {
  if (saved === undefined) delete process.env.HOMELAB_TWIN_CACHE;
  else process.env.HOMELAB_TWIN_CACHE = saved;
  rmSync(cache, { recursive: true, force: true });
});

/** A pid that is not running any more. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('cachedDir', () => {
  it('makes an entry once, and hands the made one out after', () => {
    let made = 0;
    const dir = cachedDir('entry', (d) => {
      made++;
      writeFileSync(join(d, 'file'), 'x');
    });
    expect(existsSync(join(dir, 'file'))).toBe(true);
    expect(cachedDir('entry', () => made++)).toBe(dir);
    expect(made).toBe(1);
    expect(existsSync(`${dir}.lock`)).toBe(false);
  });

  it('waits while another process makes the entry, and takes its result without making it again', async () => {
    const final = join(cache, 'shared');
    // Another twin: takes the lock, works for a while, renames its result into place, releases.
    const other = spawn(process.execPath, ['-e', `
      const fs = require('node:fs');
      fs.mkdirSync(${JSON.stringify(`${final}.lock`)});
      fs.writeFileSync(${JSON.stringify(`${final}.lock/pid`)}, String(process.pid));
      process.stdout.write('locked\\n');
      setTimeout(() => {
        fs.mkdirSync(${JSON.stringify(`${final}.tmp`)});
        fs.writeFileSync(${JSON.stringify(`${final}.tmp/by`)}, 'the other');
        fs.renameSync(${JSON.stringify(`${final}.tmp`)}, ${JSON.stringify(final)});
        fs.rmSync(${JSON.stringify(`${final}.lock`)}, { recursive: true });
      }, 1500);`]);
    await new Promise<void>((resolve) => other.stdout.once('data', () => resolve()));
    let made = false;
    const dir = cachedDir('shared', () => (made = true));
    expect(made).toBe(false);
    expect(existsSync(join(dir, 'by'))).toBe(true);
    await new Promise((resolve) => other.once('exit', resolve));
  });

  it('takes over a lock whose process is gone, or that never got a pid for a minute', () => {
    mkdirSync(join(cache, 'orphan.lock'));
    writeFileSync(join(cache, 'orphan.lock', 'pid'), String(deadPid()));
    let made = 0;
    cachedDir('orphan', () => made++);
    mkdirSync(join(cache, 'pidless.lock'));
    const old = (Date.now() - 120_000) / 1000;
    utimesSync(join(cache, 'pidless.lock'), old, old);
    cachedDir('pidless', () => made++);
    expect(made).toBe(2);
  });

  it('gives up after HOMELAB_TWIN_CACHE_WAIT_SECONDS on a live holder, naming the lock', () => {
    mkdirSync(join(cache, 'held.lock'));
    writeFileSync(join(cache, 'held.lock', 'pid'), String(process.pid));
    process.env.HOMELAB_TWIN_CACHE_WAIT_SECONDS = '1';
    try {
      expect(() => cachedDir('held', () => undefined)).toThrow(/being made by pid \d+ .*remove .*held\.lock/);
    } finally {
      delete process.env.HOMELAB_TWIN_CACHE_WAIT_SECONDS;
    }
  });

  it('leaves no lock and no half-made entry when making fails', () => {
    expect(() => cachedDir('broken', () => {
      throw new Error('mmdebstrap failed');
    })).toThrow(/mmdebstrap failed/);
    expect(existsSync(join(cache, 'broken'))).toBe(false);
    expect(existsSync(join(cache, 'broken.lock'))).toBe(false);
    expect(existsSync(join(cache, `broken.tmp-${process.pid}`))).toBe(false);
  });
});

describe('cachedDir, when a lock was taken over in a race', () => {
  it('keeps the entry another process renamed into place first, and leaves a lock it does not hold', () => {
    const final = join(cache, 'raced');
    const dir = cachedDir('raced', (d) => {
      // While this one makes it: another process, which judged our lock stale, made it and holds the lock now.
      mkdirSync(final);
      writeFileSync(join(final, 'by'), 'the other');
      rmSync(`${final}.lock`, { recursive: true, force: true });
      mkdirSync(`${final}.lock`);
      writeFileSync(join(`${final}.lock`, 'pid'), '1');
      writeFileSync(join(d, 'by'), 'this one');
    });
    expect(dir).toBe(final);
    expect(existsSync(join(final, 'by'))).toBe(true);
    expect(existsSync(`${final}.lock`)).toBe(true);
    expect(existsSync(`${final}.tmp-${process.pid}`)).toBe(false);
  });
});

describe('prewarmCache', () => {
  const entry = (name: string, script: string) => ({ name, what: `making ${name}`, argv: (d: string) => [process.execPath, '-e', script, d], finish: (d: string) => writeFileSync(join(d, 'finished'), '') });
  const write = (body: string) => `require('node:fs').writeFileSync(require('node:path').join(process.argv[1], 'made'), '${body}')`;

  it('makes each missing entry once, in child processes side by side, and names what it made', async () => {
    const made = await prewarmCache([entry('a', write('a')), entry('b', write('b')), entry('a', write('again'))]);
    expect(made.map((m) => m.replace(/ \(\d+ s\)$/, ''))).toEqual(['a', 'b']);
    for (const n of ['a', 'b']) {
      expect(existsSync(join(cache, n, 'made'))).toBe(true);
      expect(existsSync(join(cache, n, 'finished'))).toBe(true);
      expect(existsSync(join(cache, `${n}.lock`))).toBe(false);
    }
    // Made already: nothing again, and the synchronous path hands out the same entry.
    expect(await prewarmCache([entry('a', write('x'))])).toEqual([]);
    expect(cachedDir('a', () => { throw new Error('made twice'); })).toBe(join(cache, 'a'));
  });

  it('fails with the command\'s own words and leaves no entry, half made or locked', async () => {
    await expect(prewarmCache([entry('bad', "process.stderr.write('no route to the archive'); process.exit(3)")])).rejects.toThrow(/making bad failed \(3\): no route to the archive/);
    expect(existsSync(join(cache, 'bad'))).toBe(false);
    expect(existsSync(join(cache, 'bad.lock'))).toBe(false);
    expect(readdirSync(cache)).toEqual([]);
  });
});
