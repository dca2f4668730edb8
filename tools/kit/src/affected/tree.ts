import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabError } from '../findings.js';

/** The lab's sources at a git revision, unpacked into a temporary folder (no node_modules). */
export function checkoutTree(repo: string, ref: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'homelab-tree-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const archive = spawnSync('git', ['archive', '--format=tar', ref, '--', 'pnpm-workspace.yaml', 'packages', 'tools'], {
    cwd: repo,
    maxBuffer: 512 * 1024 * 1024,
  });
  if (archive.status !== 0) {
    remove();
    throw new LabError('git-ref', ref, `cannot read revision "${ref}": ${archive.stderr.toString().trim()}`);
  }
  const untar = spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout });
  if (untar.status !== 0) {
    remove();
    throw new LabError('git-ref', ref, `cannot unpack revision "${ref}": ${untar.stderr.toString().trim()}`);
  }
  return { dir, remove };
}

/** Files changed between `ref` and the working tree (committed or not). */
export function changedFiles(repo: string, ref: string): string[] {
  const diff = spawnSync('git', ['diff', '--name-only', ref], { cwd: repo, encoding: 'utf8' });
  const untracked = spawnSync('git', ['ls-files', '--others', '--exclude-standard'], { cwd: repo, encoding: 'utf8' });
  if (diff.status !== 0) throw new LabError('git-ref', ref, `cannot diff against "${ref}": ${diff.stderr.trim()}`);
  return [...new Set([...diff.stdout.split('\n'), ...untracked.stdout.split('\n')].filter(Boolean))].sort();
}
