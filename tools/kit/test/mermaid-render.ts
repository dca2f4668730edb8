import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { run, which } from '@homelab/testing';

/** What the browser measured of one rendered diagram. */
export interface RenderedDiagram {
  readonly ok: boolean;
  readonly error?: string;
  /** The SVG's natural size in CSS pixels. */
  readonly width?: number;
  readonly height?: number;
  /** Every text the SVG shows, node and edge labels. */
  readonly texts?: string[];
  /** Pairs of node labels whose boxes overlap (should be none). */
  readonly overlaps?: string[];
}

const mermaidScript = join(dirname(createRequire(import.meta.url).resolve('mermaid/package.json')), 'dist', 'mermaid.min.js');

// The page: mermaid from node_modules (offline), each diagram rendered, then measured; the result
// lands in <pre id="result"> for --dump-dom to print.
const page = (sources: string[]) => `<!doctype html><meta charset="utf-8">
<body style="font-family: DejaVu Sans, sans-serif"><pre id="result">pending</pre>
<script src="mermaid.min.js"></script>
<script>
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default' });
(async () => {
  const sources = ${JSON.stringify(sources)};
  const out = [];
  for (const [i, src] of sources.entries()) {
    try {
      const { svg } = await mermaid.render('diagram' + i, src);
      const holder = document.createElement('div');
      holder.innerHTML = svg;
      document.body.appendChild(holder);
      const el = holder.querySelector('svg');
      const box = el.viewBox.baseVal;
      const labels = [...el.querySelectorAll('g.node')].map((n) => ({ text: n.textContent.trim(), r: n.getBoundingClientRect() }));
      const overlaps = [];
      for (let a = 0; a < labels.length; a++) for (let b = a + 1; b < labels.length; b++) {
        const x = labels[a].r, y = labels[b].r;
        if (x.left < y.right - 1 && y.left < x.right - 1 && x.top < y.bottom - 1 && y.top < x.bottom - 1) overlaps.push(labels[a].text + ' / ' + labels[b].text);
      }
      const texts = [...el.querySelectorAll('g.node, g.edgeLabel, g.cluster-label')].map((n) => n.textContent.trim()).filter(Boolean);
      out.push({ ok: true, width: box.width, height: box.height, texts, overlaps });
    } catch (e) {
      out.push({ ok: false, error: String(e && e.message || e) });
    }
  }
  document.getElementById('result').textContent = JSON.stringify(out);
})();
</script>`;

/** The ```mermaid blocks of a Markdown text. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

/** Renders the diagrams in headless Chromium (Debian's `chromium`), offline, and measures them. */
export function renderInChromium(sources: string[], waitSeconds = Number(process.env.HOMELAB_BROWSER_WAIT_SECONDS ?? 60)): RenderedDiagram[] {
  const chromium = which('chromium');
  if (!chromium) throw new Error('chromium is not installed: run tools/testing/install-system-deps.sh');
  const dir = mkdtempSync(join(tmpdir(), 'homelab-mermaid-'));
  try {
    copyFileSync(mermaidScript, join(dir, 'mermaid.min.js'));
    writeFileSync(join(dir, 'index.html'), page(sources));
    const r = run(
      chromium,
      ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', `--user-data-dir=${join(dir, 'profile')}`, `--virtual-time-budget=${waitSeconds * 1000}`, '--dump-dom', pathToFileURL(join(dir, 'index.html')).href],
      { timeout: (waitSeconds + 60) * 1000 },
    );
    const result = /<pre id="result">([\s\S]*?)<\/pre>/.exec(r.stdout)?.[1];
    if (!result || result === 'pending') throw new Error(`chromium rendered nothing (exit ${r.code}): ${r.stderr.slice(-2000)}`);
    return JSON.parse(result.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as RenderedDiagram[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
