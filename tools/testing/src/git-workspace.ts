import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { repoRoot } from './workspace.js';

export interface GitWorkspace {
  readonly root: string;
  edit(relPath: string, from: string | RegExp, to: string): void;
  write(relPath: string, content: string): void;
  commit(message: string): void;
  remove(): void;
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });

/**
 * A throwaway git repository holding the lab's sources as they are in this workspace
 * (pnpm-workspace.yaml, README, docs, every package's src and package.json, the kit's sources),
 * committed once: a scenario edits, commits, and asks what changed.
 */
export function makeGitWorkspace(): GitWorkspace {
  const root = mkdtempSync(join(tmpdir(), 'homelab-git-'));
  for (const file of ['pnpm-workspace.yaml', 'package.json', 'README.md']) cpSync(join(repoRoot, file), join(root, file));
  cpSync(join(repoRoot, 'docs'), join(root, 'docs'), { recursive: true });
  for (const group of ['packages', 'tools']) {
    for (const name of readdirSync(join(repoRoot, group))) {
      const from = join(repoRoot, group, name);
      if (!existsSync(join(from, 'package.json'))) continue;
      cpSync(join(from, 'package.json'), join(root, group, name, 'package.json'));
      if (existsSync(join(from, 'src'))) cpSync(join(from, 'src'), join(root, group, name, 'src'), { recursive: true });
    }
  }
  return commitWorkspace(root);
}

/** Makes `root` a git repository with everything in it committed once, and the workspace to edit it. */
export function commitWorkspace(root: string): GitWorkspace {
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'the lab');
  return {
    root,
    edit(relPath, from, to) {
      const path = join(root, relPath);
      const before = readFileSync(path, 'utf8');
      const after = before.replace(from, to);
      if (after === before) throw new Error(`makeGitWorkspace.edit: ${String(from)} not found in ${relPath}`);
      writeFileSync(path, after);
    },
    write(relPath, content) {
      writeFileSync(join(root, relPath), content);
    },
    commit(message) {
      git(root, 'add', '-A');
      git(root, 'commit', '-q', '-m', message);
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
