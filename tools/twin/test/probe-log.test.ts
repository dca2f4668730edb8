import { describe, expect, it } from 'vitest';
import { ProbeLog } from '../src/probe.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ProbeLog.inParallel', () => {
  it('adds the groups\' results in the groups\' order, however they finish', async () => {
    const log = new ProbeLog();
    // The first group finishes last: its results still come first.
    await log.inParallel([30, 0, 10].map((ms, i) => async (l) => {
      await tick(ms);
      await l.check('h', 'container', `group ${i} a`, () => undefined);
      await l.check('h', 'container', `group ${i} b`, () => undefined);
    }));
    expect(log.results.map((r) => r.name)).toEqual(['group 0 a', 'group 0 b', 'group 1 a', 'group 1 b', 'group 2 a', 'group 2 b']);
  });

  it('runs at most `limit` groups at once', async () => {
    let running = 0;
    let most = 0;
    const log = new ProbeLog();
    await log.inParallel(Array.from({ length: 9 }, () => async () => {
      running++;
      most = Math.max(most, running);
      await tick(5);
      running--;
    }), 3);
    expect(most).toBe(3);
  });

  it('goes through `add`, so a wrapping log (after the reboot: ...) names every result', async () => {
    const log = new ProbeLog();
    const after = new ProbeLog();
    after.add = (r) => log.add({ ...r, name: `after: ${r.name}` });
    await after.inParallel([(l) => l.check('h', 'volume', 'x', () => undefined)]);
    expect(log.results.map((r) => r.name)).toEqual(['after: x']);
  });

  it('keeps the other groups\' results and throws the first error once every group has ended', async () => {
    const log = new ProbeLog();
    const run = log.inParallel([
      async () => {
        throw new Error('the VM never booted');
      },
      async (l) => {
        await tick(10);
        await l.check('h', 'route', 'still probed', () => undefined);
      },
    ]);
    await expect(run).rejects.toThrow('the VM never booted');
    expect(log.results.map((r) => r.name)).toEqual(['still probed']);
  });
});
