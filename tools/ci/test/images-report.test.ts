import { describe, expect, it } from 'vitest';
import { GITHUB_COMMENT_LIMIT, IMAGES_COMMENT_MARKER, imagesReport, parseVerifyOutput } from '../src/index.js';

const broken = {
  ok: false,
  findings: [{ code: 'image-ships-missing', severity: 'error', path: 'vm-infra/grafana/imageFacts.ships', message: 'imageFacts.ships lists curl, but grafana/grafana:13.2.3 has no executable curl on its PATH: drop it from ships and stop calling it.' }],
  services: [{ service: 'vm-infra/grafana', image: 'grafana/grafana:13.2.3', digest: `sha256:${'a'.repeat(64)}` }],
};

describe('the images report (job summary and the pull request\'s images comment)', () => {
  it('names the fact a new image breaks, where, and the fix', () => {
    const body = imagesReport(broken, 'https://example.org/run/1');
    expect(body.startsWith(IMAGES_COMMENT_MARKER)).toBe(true);
    expect(body).toContain('**1 fact(s) the image contradicts**');
    expect(body).toContain('| error | `vm-infra/grafana/imageFacts.ships` | `image-ships-missing` | imageFacts.ships lists curl, but grafana/grafana:13.2.3 has no executable curl');
    expect(body).toContain(`| vm-infra/grafana | \`grafana/grafana:13.2.3\` | \`sha256:${'a'.repeat(64)}\` |`);
  });

  it('says when every image agrees, and when nothing changed', () => {
    expect(imagesReport({ ok: true, findings: [], services: broken.services }, '#')).toContain('Every image read agrees with its service\'s facts (1 service(s)).');
    expect(imagesReport({ ok: true, findings: [], services: [] }, '#')).toContain('nothing to verify');
  });

  it('keeps a table cell whole: a | in a message is escaped', () => {
    const body = imagesReport({ ...broken, findings: [{ ...broken.findings[0]!, message: 'a | b\nc' }] }, '#');
    expect(body).toContain('| a \\| b c |');
  });

  it('is cut to GitHub\'s limit, with a link to the whole report', () => {
    const many = { ok: false, findings: Array.from({ length: 2000 }, (_, i) => ({ ...broken.findings[0]!, path: `vm-${i}/s/imageFacts.ships` })), services: [] };
    const body = imagesReport(many, 'https://example.org/run/1');
    expect(body.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(body).toContain('cut to GitHub\'s limit: [the whole report](https://example.org/run/1)');
  });

  it('refuses a file that is not verify\'s JSON, naming it', () => {
    expect(() => parseVerifyOutput('reading x from y\n', 'images.json')).toThrow('images.json is not homelab images verify --json output: reading x from y');
    expect(() => parseVerifyOutput('{"findings": []}', 'images.json')).toThrow('no ok and findings');
    expect(parseVerifyOutput(JSON.stringify(broken), 'images.json').findings).toHaveLength(1);
  });
});
