import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { LabError } from '../findings.js';

/**
 * The source file a line of the bundle came from: esbuild heads each module's code with a
 * `// <path>` comment (paths relative to the workspace root).
 */
export function sourceAtLine(bundle: string, line: number): string | undefined {
  const lines = bundle.split('\n');
  for (let i = Math.min(line, lines.length) - 1; i >= 0; i--) {
    const m = /^\/\/ ((?:[^\s]+\/)?[^\s/]+\.[cm]?[jt]sx?)$/.exec(lines[i]!);
    if (m) return m[1];
  }
  return undefined;
}

/** The bundle line the error was thrown at, from the first stack frame inside the bundle (an ES module's URL or a CommonJS path). */
function thrownAtLine(error: unknown, file: string): number | undefined {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  for (const frame of stack.split('\n')) {
    for (const name of [pathToFileURL(file).href, file]) {
      const at = frame.lastIndexOf(name);
      if (at < 0) continue;
      const m = /^:(\d+):\d+/.exec(frame.slice(at + name.length));
      if (m) return Number(m[1]);
    }
  }
  return undefined;
}

/**
 * Loads the lab's bundle (`load`: import the ES module, or require the CommonJS one); a module
 * that throws while it loads is a finding naming its file.
 */
export async function importLabBundle(file: string, load: () => unknown = () => import(pathToFileURL(file).href)): Promise<unknown> {
  try {
    return await load();
  } catch (error) {
    const line = thrownAtLine(error, file);
    const source = line === undefined ? undefined : sourceAtLine(readFileSync(file, 'utf8'), line);
    const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new LabError(
      'lab-module-throws',
      source ?? 'lab',
      `${source ?? 'a file of the lab'} throws while it loads (${what}). A host or service file holds data: compute nothing that can fail at import time, or fix the value it trips on.`,
    );
  }
}
