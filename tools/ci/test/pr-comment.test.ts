import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPrComment, COMMENT_MARKER, GITHUB_COMMENT_LIMIT, type AffectedReport } from '../src/pr-comment.js';

const fixtures = join(import.meta.dirname, 'fixtures', 'one-image');
const affected = JSON.parse(readFileSync(join(fixtures, 'affected.json'), 'utf8')) as AffectedReport;
const diff = readFileSync(join(fixtures, 'diff.md'), 'utf8');
const summaryUrl = 'https://github.com/owner/homelab/actions/runs/1';

function fencesBalanced(text: string): boolean {
  return (text.match(/^```/gm) ?? []).length % 2 === 0;
}

/** A rendered diff of `files` files of `lines` changed lines each, like `homelab diff` prints. */
function hugeDiff(files: number, lines: number): string {
  const parts = ['### Rendered files that change against `abc`', ''];
  for (let f = 0; f < files; f++) {
    parts.push('```diff', `--- a/vm-media/file${f}`, `+++ b/vm-media/file${f}`, '@@ -1 +1 @@');
    for (let l = 0; l < lines; l++) parts.push(`-old line ${l} ${'x'.repeat(60)}`, `+new line ${l} ${'é'.repeat(30)}🙂`);
    parts.push('```', '');
  }
  return parts.join('\n');
}

describe('the sticky pull-request comment', () => {
  it('for a one-image change: marker, blast radius, the whole diff, the summary link (docs/examples/pr-comment-one-image.md)', async () => {
    const body = buildPrComment({ affected, diff, summaryUrl, sha: 'd1af41e9bda3f882ca5e8c4b00aea0983da3e582' });
    expect(body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(body).toContain('| `vm-media` | yes | `compose.yaml`, `manifest.json` | **yes** |');
    // Nx reaches the hosts wired to vm-media (DNS, the proxy, the node), but nothing they render changes.
    expect(body).toContain('| `vm-infra` | yes | none | no |');
    expect(body).toContain('Deploys on merge, in order: `vm-media`');
    expect(body).not.toContain('`vm-apps`');
    expect(body).toContain('+    image: jellyfin/jellyfin:10.11.12');
    expect(body).toContain(`[job summary](${summaryUrl}) of d1af41e`);
    expect(body).not.toContain('The diff is cut');
    await expect(body).toMatchFileSnapshot(join(import.meta.dirname, '..', '..', '..', 'docs', 'examples', 'pr-comment-one-image.md'));
  });

  it('says so when no host is affected', () => {
    const none: AffectedReport = { base: 'abc', hosts: affected.hosts.map((h) => ({ ...h, nx: false, rendered: [], deploy: false })), deploy: [] };
    expect(buildPrComment({ affected: none, diff: '### Rendered files\n', summaryUrl })).toContain('No host is affected: nothing deploys on merge.');
  });

  it.each([
    ['a little over the limit', hugeDiff(1, 620)],
    ['many files', hugeDiff(40, 200)],
    ['one enormous file', hugeDiff(1, 20_000)],
  ])('stays within the %s: at most 65536 characters, fences closed, the summary linked', (_name, big) => {
    expect(big.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT);
    const body = buildPrComment({ affected, diff: big, summaryUrl });
    expect(body.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    // GitHub counts characters; neither code points nor UTF-16 units may pass the limit.
    expect([...body].length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(body.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT - 500);
    expect(fencesBalanced(body)).toBe(true);
    expect(body).toMatch(/The diff is cut here: \d+ of \d+ characters shown/);
    expect(body).toContain(`[job summary](${summaryUrl})`);
    expect(body).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('keeps a diff that fits exactly, and cuts one character more', () => {
    const fits = buildPrComment({ affected, diff, summaryUrl });
    const limit = fits.length;
    expect(buildPrComment({ affected, diff, summaryUrl, limit })).toBe(fits);
    const cut = buildPrComment({ affected, diff, summaryUrl, limit: limit - 1 });
    expect(cut.length).toBeLessThanOrEqual(limit - 1);
    expect(cut).toContain('The diff is cut here');
    expect(fencesBalanced(cut)).toBe(true);
  });

  it('refuses a limit that leaves no room for any diff', () => {
    expect(() => buildPrComment({ affected, diff: hugeDiff(1, 100), summaryUrl, limit: 200 })).toThrow(/no room/);
  });
});
