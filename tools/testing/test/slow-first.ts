import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Puts the files named in `first` (paths from the workspace root) at the head of their project's
 * run, in the order given, the rest after them in vitest's own order. On a fresh clone vitest has
 * no durations cached and runs the largest files first; the slowest system tests are small files
 * (converge-cut: one test), so they started last and ran alone at the end of a two-worker tier.
 */
export function rankFirst<T>(sorted: readonly T[], path: (t: T) => string, project: (t: T) => string, first: readonly string[]): T[] {
  const projects = [...new Set(sorted.map(project))];
  const rank = (t: T) => {
    const i = first.indexOf(path(t));
    return i < 0 ? first.length : i;
  };
  const at = new Map(sorted.map((t, i) => [t, i]));
  return [...sorted].sort((a, b) => projects.indexOf(project(a)) - projects.indexOf(project(b)) || rank(a) - rank(b) || at.get(a)! - at.get(b)!);
}

/** A vitest sequencer (test.sequence.sequencer) that starts `first` before every other file of its project. */
export function slowFirst(root: string, first: readonly string[]): typeof BaseSequencer {
  return class SlowFirstSequencer extends BaseSequencer {
    override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
      return rankFirst(await super.sort(files), (s) => relative(root, s.moduleId), (s) => s.project.name, first);
    }
  };
}
