import { describe, expect, it } from 'vitest';
import { nextCalVer } from '../src/calver.js';

describe('release tags (CalVer)', () => {
  const day = new Date('2026-12-07T23:30:00Z');
  it('vYYYY.MM.DD in UTC for the day\'s first release, then .1, .2', () => {
    expect(nextCalVer(day, ['v2026.12.06'])).toBe('v2026.12.07');
    expect(nextCalVer(day, ['v2026.12.07'])).toBe('v2026.12.07.1');
    expect(nextCalVer(day, ['v2026.12.07', 'v2026.12.07.1', 'deployed/vm-media'])).toBe('v2026.12.07.2');
    expect(nextCalVer(new Date('2027-01-02T00:00:00Z'), [])).toBe('v2027.01.02');
  });
});
