import { describe, expect, it } from 'vitest';
import { missingCapabilities } from '../src/deploy/capabilities.js';

describe('missingCapabilities', () => {
  it('names the capabilities a bounding set withholds', () => {
    expect(missingCapabilities('CapBnd:\t000001fffeffffff\n')).toEqual(['CAP_SYS_RESOURCE']);
    expect(missingCapabilities('CapBnd:\t000001ffffffffff\n')).toEqual([]);
    expect(missingCapabilities('CapBnd:\t000001fffeffffdf\n')).toEqual(['CAP_KILL', 'CAP_SYS_RESOURCE']);
  });
});
