import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { healthChainSeconds } from '../src/health-chain.js';

let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

function stack(yaml: string): string {
  dir = mkdtempSync(join(tmpdir(), 'health-chain-'));
  writeFileSync(join(dir, 'compose.yaml'), yaml);
  return dir;
}

describe('healthChainSeconds', () => {
  it('adds each healthcheck\'s first interval along the longest depends_on chain', () => {
    const d = stack(`services:
  db: { image: postgres, healthcheck: { test: [CMD, pg_isready], interval: 30s } }
  cache: { image: redis, healthcheck: { test: [CMD, redis-cli, ping], interval: 10s } }
  app: { image: app, healthcheck: { test: [CMD, curl, x], interval: 30s }, depends_on: { db: { condition: service_healthy }, cache: { condition: service_healthy } } }
  cron: { image: app, healthcheck: { test: [CMD, pgrep, cron], interval: 1m }, depends_on: { app: { condition: service_healthy } } }
  web: { image: nginx }
`);
    expect(healthChainSeconds(d)).toBe(120);
  });

  it('counts docker\'s default interval (30 s) for a check without one, nothing for a service without a check, and survives a cycle', () => {
    expect(healthChainSeconds(stack(`services:
  a: { image: a, healthcheck: { test: [CMD, x] }, depends_on: [b] }
  b: { image: b, depends_on: [a] }
  c: { image: c, healthcheck: { disable: true } }
`))).toBe(30);
  });
});
