import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { realLab } from './fixtures.js';
import { workspaceRoot } from './support.js';

const doc = readFileSync(join(workspaceRoot, 'docs', 'services.md'), 'utf8');

/** The names with a section of their own: `## \`name\`` (anything may follow on the line). */
function sections(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(/^## `([a-z0-9-]+)`/gm)].map((m) => m[1]!));
}

describe('docs/services.md', () => {
  it("gives every service and daemon of the lab a section of upstream's requirements", () => {
    const names = new Set(realLab.hosts.flatMap((h) => [...h.services.map((s) => s.name), ...(h.daemons ?? []).map((d) => d.name)]));
    const headed = sections(doc);
    expect([...names].filter((n) => !headed.has(n)).sort()).toEqual([]);
  });

  it('has no section for a service the lab no longer has', () => {
    const names = new Set(realLab.hosts.flatMap((h) => [...h.services.map((s) => s.name), ...(h.daemons ?? []).map((d) => d.name)]));
    expect([...sections(doc)].filter((n) => !names.has(n)).sort()).toEqual([]);
  });

  it('would catch a service mentioned only in the text', () => {
    expect([...sections('## `jellyfin` (vm-media)\n\nLike `sonarr`...\n### `radarr`\n')]).toEqual(['jellyfin']);
  });
});
