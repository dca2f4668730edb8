import { expect, it } from 'vitest';
import { md4, ntHash } from '../src/lxc/md4.js';
it('md4', () => {
  expect(Buffer.from(md4(Buffer.from(''))).toString('hex')).toBe('31d6cfe0d16ae931b73c59d7e0c089c0');
  expect(Buffer.from(md4(Buffer.from('abc'))).toString('hex')).toBe('a448017aaf21d8525fc10ae87aa6729d');
  expect(ntHash('password')).toBe('8846F7EAEE8FB117AD06BDD830B7586C');
});
