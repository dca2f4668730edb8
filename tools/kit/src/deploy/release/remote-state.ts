import type { RemoteLayout } from './layout.js';
import { parsePending, type PendingSwitch } from '../activate/converge.js';
import type { HistoryEntry } from '../record/record.js';
import type { ReleaseInfo } from './release.js';
import type { RemoteShell } from '../../shell/remote-shell.js';
import { quote } from '../../shell/quote.js';

/** What the host runs now and what it keeps. */
export interface RemoteState {
  /** The release `current` points to. */
  readonly current?: string;
  readonly info?: ReleaseInfo;
  /** Release ids on the host, newest first. */
  readonly releases: readonly string[];
  /** The deploy record, oldest first (the last 50 entries). */
  readonly history: readonly HistoryEntry[];
  /** The marker of a deploy or rollback that switched (or was about to switch) `current` and did not finish. */
  readonly pending?: PendingSwitch;
}

function parseJsonLines<T>(text: string): T[] {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as T];
      } catch {
        return [];
      }
    });
}

/** One round trip: the current link, its release.json, the releases kept, the recent history. */
export async function readRemoteState(shell: RemoteShell, layout: RemoteLayout): Promise<RemoteState> {
  const q = quote;
  const out = await shell.check(
    'reading the current release',
    [
      `cur=$(readlink ${q(layout.current)} 2>/dev/null || true); echo "current \${cur##*/}"`,
      `if [ -d ${q(layout.releases)} ]; then ls -1t ${q(layout.releases)} | sed 's/^/release /'; fi`,
      `echo '--info'; if [ -n "$cur" ]; then cat ${q(`${layout.current}/release.json`)} 2>/dev/null || true; fi`,
      `echo; echo '--history'; tail -n 50 ${q(layout.history)} 2>/dev/null || true`,
      `echo; echo '--pending'; cat ${q(layout.pending)} 2>/dev/null || true`,
    ].join('\n'),
  );
  const [head = '', rest = ''] = out.split('\n--info\n');
  const [infoText = '', afterInfo = ''] = rest.split('\n--history\n');
  const [historyText = '', pendingText = ''] = afterInfo.split('\n--pending\n');
  const pending = parsePending(pendingText.trim());
  const lines = head.split('\n');
  const current = lines.find((l) => l.startsWith('current '))?.slice(8).trim() || undefined;
  const releases = lines.filter((l) => l.startsWith('release ')).map((l) => l.slice(8).trim());
  let info: ReleaseInfo | undefined;
  try {
    info = infoText.trim() ? (JSON.parse(infoText) as ReleaseInfo) : undefined;
  } catch {
    info = undefined;
  }
  return {
    ...(current ? { current } : {}),
    ...(info ? { info } : {}),
    releases,
    history: parseJsonLines<HistoryEntry>(historyText),
    ...(pending ? { pending } : {}),
  };
}

/** The release a rollback returns to: the last good one before `current` that is still on the host. */
export function previousRelease(state: RemoteState): string | undefined {
  const kept = new Set(state.releases);
  for (const entry of [...state.history].reverse()) {
    if (entry.result === 'ok' && entry.release !== state.current && kept.has(entry.release)) return entry.release;
  }
  return undefined;
}

/** The files of a release on the host, read back exactly (base64 on the wire). */
export async function readRemoteFiles(shell: RemoteShell, dir: string, paths: readonly string[]): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  if (paths.length === 0) return files;
  const script = paths.map((p) => `echo '--file ${p}'; if [ -f ${quote(`${dir}/${p}`)} ]; then base64 < ${quote(`${dir}/${p}`)}; fi`).join('\n');
  const out = await shell.check('reading the current release files', script);
  for (const part of out.split('--file ').slice(1)) {
    const nl = part.indexOf('\n');
    const path = part.slice(0, nl);
    const b64 = part.slice(nl + 1).replace(/\s+/g, '');
    if (b64) files.set(path, Buffer.from(b64, 'base64').toString('utf8'));
  }
  return files;
}

/** The release.json of a release kept on the host, or undefined when it is not there or unreadable. */
export async function readReleaseInfo(shell: RemoteShell, layout: RemoteLayout, id: string | undefined): Promise<ReleaseInfo | undefined> {
  if (!id) return undefined;
  const files = await readRemoteFiles(shell, layout.release(id), ['release.json']);
  try {
    return (JSON.parse(files.get('release.json') ?? 'null') as ReleaseInfo | null) ?? undefined;
  } catch {
    return undefined;
  }
}
