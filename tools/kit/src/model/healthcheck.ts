import type { HealthcheckSpec } from './service.js';

const SHELLS = new Set(['sh', 'ash', 'bash', '/bin/sh', '/bin/ash', '/bin/bash', '/usr/bin/bash']);
/** Shell built-ins: a CMD-SHELL line calls them without the image shipping anything. */
const BUILTINS = new Set(['exit', 'test', '[', '[[', 'echo', 'printf', 'true', 'false', 'cd', 'set', 'export', ':', 'read', 'kill']);
/** A URL the healthcheck asks inside the container's own network namespace. */
const LOCAL_URL = /\b(https?):\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?::(\d+))?(\/[^?#\s'"]*)?/g;

/** The first word of each command of a shell line (`a && b | c; d`), without leading VAR=value. */
function shellCommands(line: string): string[] {
  return line
    .split(/&&|\|\||[;|]/)
    .map((part) => part.trim().split(/\s+/).find((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) ?? '')
    .filter((w) => w !== '' && !BUILTINS.has(w));
}

/** The commands a healthcheck calls: CMD's program (and a shell's script), or CMD-SHELL's shell and the commands of its line. */
export function healthcheckCommands(test: readonly string[]): string[] {
  const [kind, ...rest] = test;
  if (kind === 'CMD-SHELL') return ['sh', ...shellCommands(rest.join(' '))];
  if (kind !== 'CMD' || rest.length === 0) return [];
  const [program, first, second] = rest as [string, string?, string?];
  if (!SHELLS.has(program)) return [program];
  if (first === '-c' && second !== undefined) return [program, ...shellCommands(second)];
  return first !== undefined && !first.startsWith('-') ? [program, first] : [program];
}

/** The URLs a healthcheck asks inside the container's namespace: port (80 or 443 when the URL names none) and path. */
export function healthcheckUrls(spec: HealthcheckSpec): { readonly port: number; readonly path: string }[] {
  const urls: { port: number; path: string }[] = [];
  for (const arg of spec.test.slice(1)) {
    for (const m of arg.matchAll(LOCAL_URL)) urls.push({ port: m[2] ? Number(m[2]) : m[1] === 'https' ? 443 : 80, path: m[3] || '/' });
  }
  return urls;
}
