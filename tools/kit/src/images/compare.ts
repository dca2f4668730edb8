import type { Findings } from '../findings.js';
import { COMMAND_PATH, formatUidGid, type ImageFacts, type UidGid } from '../model/image-facts.js';
import { healthcheckCommands } from '../model/healthcheck.js';
import type { ServiceDef } from '../model/service.js';
import { findCommand, type ImageFiles } from './layers.js';
import type { ImageConfig } from './image.js';

/** The codes `homelab images verify` reports (each has a heading in docs/findings.md). */
export const IMAGE_VERIFY_CODES = ['image-user-differs', 'image-user-unknown', 'image-ships-missing', 'image-command-missing', 'image-facts-unverified', 'image-unreachable'] as const;

/** What the comparison needs of an image: its config and its filesystem. */
export interface ImageContent {
  readonly config: ImageConfig;
  readonly files: ImageFiles;
}

interface Account {
  readonly name: string;
  readonly id: number;
  readonly gid: number;
}

/** The entries of /etc/passwd (`name:x:uid:gid:...`) or /etc/group (`name:x:gid:...`, gid twice). */
export function parseAccounts(text: string | undefined): Account[] {
  if (!text) return [];
  return text
    .split('\n')
    .map((line) => line.split(':'))
    .filter((f) => f.length >= 3 && /^\d+$/.test(f[2]!) && !f[0]!.startsWith('#'))
    .map((f) => ({ name: f[0]!, id: Number(f[2]), gid: /^\d+$/.test(f[3] ?? '') ? Number(f[3]) : Number(f[2]) }));
}

/**
 * A `USER` (or compose `user`) as the runtime resolves it in the image: empty is 0:0; a name is
 * looked up in /etc/passwd, a group name in /etc/group; without a group, the user's own from
 * /etc/passwd, or 0 when /etc/passwd has no such uid (Docker's rule).
 */
export function resolveUser(spec: string | undefined, passwd: readonly Account[], group: readonly Account[]): UidGid | { readonly unknown: string } {
  if (!spec) return { uid: 0, gid: 0 };
  const [user = '', grp] = spec.split(':');
  const entry = /^\d+$/.test(user) ? passwd.find((a) => a.id === Number(user)) : passwd.find((a) => a.name === user);
  if (!entry && !/^\d+$/.test(user)) return { unknown: `user "${user}" is not in the image's /etc/passwd` };
  const uid = entry ? entry.id : Number(user);
  if (grp === undefined || grp === '') return { uid, gid: entry ? entry.gid : 0 };
  if (/^\d+$/.test(grp)) return { uid, gid: Number(grp) };
  const g = group.find((a) => a.name === grp);
  return g ? { uid, gid: g.id } : { unknown: `group "${grp}" is not in the image's /etc/group` };
}

/** The directories a bare command is looked up in: the image's PATH, or the usual one when it sets none. */
export function imagePath(config: ImageConfig): readonly string[] {
  const env = config.Env?.find((e) => e.startsWith('PATH='));
  return env ? env.slice(5).split(':').filter(Boolean) : COMMAND_PATH;
}

/** The commands the service itself makes the image run: its healthcheck's, and its own entrypoint's program. */
export function calledCommands(service: ServiceDef): { readonly field: string; readonly command: string }[] {
  const called: { field: string; command: string }[] = [];
  for (const command of new Set(service.healthcheck ? healthcheckCommands(service.healthcheck.test) : [])) called.push({ field: 'healthcheck.test', command });
  if (service.entrypoint !== undefined) {
    const program = typeof service.entrypoint === 'string' ? service.entrypoint.trim().split(/\s+/)[0] : service.entrypoint[0];
    if (program) called.push({ field: 'entrypoint', command: program });
  }
  return called;
}

function text(content: ImageContent, path: string): string | undefined {
  return content.files.get(path)?.data?.toString('utf8');
}

/** The facts as the image has them: its user, and of the commands the facts claim or the service calls, those it ships. */
export function factsFromImage(service: ServiceDef, content: ImageContent): { user?: string; ships: string[] } {
  const passwd = parseAccounts(text(content, 'etc/passwd'));
  const group = parseAccounts(text(content, 'etc/group'));
  const user = resolveUser(content.config.User, passwd, group);
  const path = imagePath(content.config);
  const wanted = [...(service.imageFacts?.ships ?? []), ...calledCommands(service).map((c) => c.command)];
  const ships = [...new Set(wanted)].filter((c) => findCommand(content.files, c === 'sh' ? '/bin/sh' : c, path) !== undefined);
  return { ...('uid' in user ? { user: formatUidGid(user) } : {}), ships };
}

/**
 * Compares a service's facts, and what it makes the image do (its `user`, healthcheck,
 * entrypoint), with the image itself. `at` is `host/service`: every finding's path starts there.
 */
export function compareWithImage(at: string, service: ServiceDef, image: string, content: ImageContent, findings: Findings): void {
  const facts: ImageFacts | undefined = service.imageFacts;
  const passwd = parseAccounts(text(content, 'etc/passwd'));
  const group = parseAccounts(text(content, 'etc/group'));
  const user = resolveUser(content.config.User, passwd, group);
  const userText = content.config.User ? `USER ${content.config.User}` : 'no USER (root)';
  if ('unknown' in user) {
    findings.error('image-user-unknown', `${at}/imageFacts.user`, `${image} has ${userText}, but its ${user.unknown}: the container cannot start as that user. Pin another image, or run it with a numeric \`user\`.`);
  } else if (facts && facts.user !== formatUidGid(user)) {
    const resolved = content.config.User && content.config.User !== formatUidGid(user) ? ` (${formatUidGid(user)} by its /etc/passwd)` : '';
    findings.error('image-user-differs', `${at}/imageFacts.user`, `imageFacts.user says ${facts.user}, but ${image} has ${userText}${resolved}: write user: '${formatUidGid(user)}' (homelab images verify --update), and check who then owns its files and secrets.`);
  }
  if (service.user !== undefined) {
    const own = resolveUser(service.user, passwd, group);
    if ('unknown' in own) findings.error('image-user-unknown', `${at}/user`, `${service.name} runs as \`user: ${service.user}\`, but ${own.unknown} in ${image}: the container cannot start. Write the user as numeric uid:gid.`);
  }
  const path = imagePath(content.config);
  const has = (command: string) => findCommand(content.files, command === 'sh' ? '/bin/sh' : command, path) !== undefined;
  for (const command of facts?.ships ?? []) {
    if (has(command)) continue;
    findings.error('image-ships-missing', `${at}/imageFacts.ships`, `imageFacts.ships lists ${command}, but ${image} has no executable ${command.includes('/') ? command : `${command} on its PATH (${path.join(':')})`}: drop it from ships (homelab images verify --update) and stop calling it.`);
  }
  for (const { field, command } of calledCommands(service)) {
    if (has(command)) continue;
    const what = command === 'sh' ? '/bin/sh (CMD-SHELL runs its line in it)' : command;
    findings.error('image-command-missing', `${at}/${field}`, `${service.name}'s ${field === 'entrypoint' ? 'entrypoint' : 'healthcheck'} calls ${what}, which ${image} does not have${field === 'entrypoint' ? ': the container cannot start' : ': the check can never pass and every deploy rolls back'}. Call a program the image ships.`);
  }
}
