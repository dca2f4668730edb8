import { describe, expect, it } from 'vitest';
import type { build as esbuildBuild } from 'esbuild';
import { buildWithLessCollection, ESBUILD_GOGC } from '../src/lab/esbuild-service.js';
import { insideFolders } from '../src/lab/import-graph.js';

describe('insideFolders (which bundled files are the lab\'s own)', () => {
  const inLab = insideFolders(['packages/vm-media/', 'packages/shared/', 'labs/a/b/']);
  it.each([
    ['packages/vm-media/src/index.ts', true],
    ['packages/vm-media/src/services/jellyfin.ts', true],
    ['packages/shared/package.json', true],
    ['labs/a/b/src/index.ts', true],
    ['packages/vm-media-2/src/index.ts', false],
    ['packages/vm-medi/src/index.ts', false],
    ['labs/a/src/index.ts', false],
    ['tools/kit/src/index.ts', false],
    ['../../elsewhere/packages/vm-media/src/index.ts', false],
    ['packages/vm-media', false],
  ])('%s -> %s', (path, expected) => {
    expect(inLab(path)).toBe(expected);
  });
});

describe('buildWithLessCollection', () => {
  const seen = (): { gogc: (string | undefined)[]; build: typeof esbuildBuild } => {
    const gogc: (string | undefined)[] = [];
    return { gogc, build: (() => (gogc.push(process.env.GOGC), Promise.resolve({}))) as unknown as typeof esbuildBuild };
  };

  it('starts esbuild with GOGC set and leaves this process\'s environment as it was', async () => {
    const saved = process.env.GOGC;
    delete process.env.GOGC;
    try {
      const { gogc, build } = seen();
      await buildWithLessCollection({}, build);
      expect(gogc).toEqual([ESBUILD_GOGC]);
      expect(process.env.GOGC).toBeUndefined();
    } finally {
      if (saved !== undefined) process.env.GOGC = saved;
    }
  });

  it('keeps a GOGC the user set', async () => {
    const saved = process.env.GOGC;
    process.env.GOGC = '150';
    try {
      const { gogc, build } = seen();
      await buildWithLessCollection({}, build);
      expect(gogc).toEqual(['150']);
      expect(process.env.GOGC).toBe('150');
    } finally {
      if (saved === undefined) delete process.env.GOGC;
      else process.env.GOGC = saved;
    }
  });

  it('restores the environment when esbuild throws before it starts', () => {
    const saved = process.env.GOGC;
    delete process.env.GOGC;
    try {
      const failing = (() => {
        throw new Error('no binary');
      }) as unknown as typeof esbuildBuild;
      expect(() => buildWithLessCollection({}, failing)).toThrow('no binary');
      expect(process.env.GOGC).toBeUndefined();
    } finally {
      if (saved !== undefined) process.env.GOGC = saved;
    }
  });
});
