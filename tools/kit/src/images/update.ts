import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { globSync } from 'tinyglobby';
import type { ImageFacts } from '../model/image-facts.js';
import type { ServiceVerification } from './verify.js';

/** What `--update` did for one service: rewrote its facts (with the diff), or why it could not. */
export type FactsUpdate =
  | { readonly at: string; readonly status: 'rewritten'; readonly file: string; readonly diff: string }
  | { readonly at: string; readonly status: 'unchanged'; readonly file: string }
  | { readonly at: string; readonly status: 'not-in-place'; readonly reason: string; readonly facts?: ImageFacts };

const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The facts as a one-line object literal, in the order the model declares them. */
export function factsLiteral(facts: ImageFacts): string {
  const parts = [`user: ${quote(facts.user)}`];
  if (facts.secretsReadAs !== undefined) parts.push(`secretsReadAs: ${quote(facts.secretsReadAs)}`);
  parts.push(`ships: [${facts.ships.map(quote).join(', ')}]`, `source: ${quote(facts.source)}`);
  if (facts.verified) parts.push(`verified: { digest: ${quote(facts.verified.digest)}, at: ${quote(facts.verified.at)} }`);
  return `{ ${parts.join(', ')} }`;
}

/** The span of the object literal starting at `open` (a `{`), braces inside strings ignored; undefined when unbalanced. */
export function literalEnd(source: string, open: number): number | undefined {
  let depth = 0;
  let inString: string | undefined;
  for (let i = open; i < source.length; i++) {
    const c = source[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === inString) inString = undefined;
    } else if (c === "'" || c === '"' || c === '`') inString = c;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  return undefined;
}

/** The facts the image says, with the evidence: its user, the claimed or called commands it ships, the digest and day. */
export function updatedFacts(v: ServiceVerification, today: string): ImageFacts | undefined {
  const old = v.service.imageFacts;
  if (!old || !v.read || !v.fromImage?.user) return undefined;
  return { user: v.fromImage.user, ...(old.secretsReadAs !== undefined ? { secretsReadAs: old.secretsReadAs } : {}), ships: v.fromImage.ships, source: old.source, verified: { digest: v.read.digest, at: today } };
}

/** The workspace file that declares the service (`name: '<service>'` and its imageFacts): the host's own package first, then the others. */
function sourceFile(root: string, hostDir: string | undefined, service: string): string[] {
  const declares = new RegExp(`\\bname:\\s*['"]${service.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]`);
  const search = (pattern: string, cwd: string) => globSync(pattern, { cwd, absolute: true, ignore: ['**/node_modules/**', '**/test/**'] }).filter((f) => declares.test(readFileSync(f, 'utf8')));
  const own = hostDir ? search('src/**/*.ts', hostDir) : [];
  return own.length > 0 ? own : search('packages/*/src/**/*.ts', root);
}

/**
 * Rewrites a service's facts in its source file when they are written there inline
 * (`imageFacts: { ... }`). Facts that come from elsewhere (a shared helper such as
 * linuxserverFacts, another service's facts) cannot be rewritten in place: the reason says where
 * they come from, and the facts the image says are returned to be written by hand.
 */
export function rewriteFacts(root: string, hostDir: string | undefined, v: ServiceVerification, today: string): FactsUpdate {
  const facts = updatedFacts(v, today);
  if (!facts) return { at: v.at, status: 'not-in-place', reason: v.error ?? `${v.image} was not read or its user cannot be resolved: nothing to write` };
  const files = sourceFile(root, hostDir, v.service.name);
  if (files.length !== 1) {
    return { at: v.at, status: 'not-in-place', reason: files.length === 0 ? `no source file declares name: '${v.service.name}'` : `several files declare ${v.service.name}: ${files.map((f) => relative(root, f)).join(', ')}`, facts };
  }
  const file = files[0]!;
  const before = readFileSync(file, 'utf8');
  const key = [...before.matchAll(/\bimageFacts:\s*/g)];
  if (key.length !== 1) return { at: v.at, status: 'not-in-place', reason: `${relative(root, file)} has ${key.length} imageFacts: keys`, facts };
  const start = key[0]!.index + key[0]![0].length;
  if (before[start] !== '{') {
    const expression = /^[^,\n]*/.exec(before.slice(start))![0].trim();
    return { at: v.at, status: 'not-in-place', reason: `its facts come from \`${expression}\` (${relative(root, file)}), shared or derived, not written inline: change them there, or write them inline`, facts };
  }
  const end = literalEnd(before, start);
  if (end === undefined) return { at: v.at, status: 'not-in-place', reason: `the imageFacts literal in ${relative(root, file)} does not close`, facts };
  const after = before.slice(0, start) + factsLiteral(facts) + before.slice(end);
  const name = relative(root, file);
  if (after === before) return { at: v.at, status: 'unchanged', file: name };
  writeFileSync(file, after);
  return { at: v.at, status: 'rewritten', file: name, diff: createTwoFilesPatch(`a/${name}`, `b/${name}`, before, after, '', '', { context: 0 }) };
}

