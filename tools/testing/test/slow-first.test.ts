import { describe, expect, it } from 'vitest';
import { rankFirst } from './slow-first.js';

type F = { path: string; project: string };
const f = (project: string, path: string): F => ({ path, project });
const order = (files: F[], first: string[]) => rankFirst(files, (x) => x.path, (x) => x.project, first).map((x) => `${x.project}:${x.path}`);

describe('rankFirst (the system tier starts its slowest files first)', () => {
  it('puts the named files first, in the order named, and keeps the rest in the order given', () => {
    const files = [f('system', 'big.ts'), f('system', 'mid.ts'), f('system', 'cut.ts'), f('system', 'killed.ts'), f('system', 'small.ts')];
    expect(order(files, ['killed.ts', 'cut.ts'])).toEqual(['system:killed.ts', 'system:cut.ts', 'system:big.ts', 'system:mid.ts', 'system:small.ts']);
  });
  it('never moves a file out of its project, and ignores a name no file has', () => {
    const files = [f('system', 'a.ts'), f('twin', 'lab.ts'), f('twin', 'broken.ts'), f('unit', 'u.ts')];
    expect(order(files, ['gone.ts', 'broken.ts', 'u.ts'])).toEqual(['system:a.ts', 'twin:broken.ts', 'twin:lab.ts', 'unit:u.ts']);
  });
  it('with nothing named, is the order given', () => {
    const files = [f('unit', 'b.ts'), f('unit', 'a.ts')];
    expect(order(files, [])).toEqual(['unit:b.ts', 'unit:a.ts']);
  });
});
