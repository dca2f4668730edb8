import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { mermaidBlocks, renderInChromium, type RenderedDiagram } from './mermaid-render.js';
import { workspaceRoot } from './support.js';

// docs/lab.md's diagrams, rendered by mermaid (from node_modules, offline) in headless Chromium:
// they must render, show what the issue asks of them, and stay readable at a page's width.
const lab = readFileSync(join(workspaceRoot, 'docs', 'lab.md'), 'utf8');
const blocks = mermaidBlocks(lab);
/** GitHub's Markdown column is about 1000 px wide: a diagram wider than twice that shrinks its text below half size. */
const MAX_WIDTH = 2000;

describe("docs/lab.md's diagrams in a browser", () => {
  let topology: RenderedDiagram;
  let routes: RenderedDiagram;
  let broken: RenderedDiagram;
  beforeAll(() => {
    expect(blocks).toHaveLength(2);
    [topology, routes, broken] = renderInChromium([...blocks, 'flowchart LR\n  a -->|unclosed b\n']) as [RenderedDiagram, RenderedDiagram, RenderedDiagram];
  });

  it('render without an error (and a broken one does not: the check is live)', () => {
    expect(topology.error).toBeUndefined();
    expect(routes.error).toBeUndefined();
    expect(broken.ok).toBe(false);
  });

  it('the topology shows every host with its address, DNS, Tailscale, Gluetun and the mounted datasets', () => {
    const text = topology.texts!.join('\n');
    for (const m of lab.matchAll(/^\| (\S+) \| (?:lxc|vm) \| \d+ \| \S+ \| (\S+) \|/gm)) {
      expect(text).toContain(m[1]!);
      expect(text).toContain(m[2]!);
    }
    for (const s of ['DNS :53 (adguard)', 'Tailscale (tailscale)', 'gluetun on vm-media', 'VPN tunnel', 'ZFS pool tank', 'media/library', 'HTTPS :443 (traefik)']) expect(text).toContain(s);
  });

  it("the routes show every route's name", () => {
    const names = [...lab.matchAll(/\| ([a-z0-9-]+\.local)(?: \(public\))? \|/g)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(5);
    for (const n of names) expect(routes.texts!.join('\n')).toContain(n);
  });

  it.each([
    ['topology', () => topology],
    ['routes', () => routes],
  ])('%s stays readable: no node over another, at most 2000 px wide', (_name, diagram) => {
    const d = diagram();
    expect(d.overlaps).toEqual([]);
    expect(d.width).toBeGreaterThan(100);
    expect(d.width).toBeLessThanOrEqual(MAX_WIDTH);
  });
});
