import { base64Lines, commandLine, quote, writeFileScript } from '../shell/quote.js';

/**
 * One thing done on the Proxmox node: a command (argv), a file written (optionally keeping the
 * lines of some keys the file already has), a short script, or a command given a secret's value
 * as a file (`qm set <vmid> --sshkeys <file>`): the value goes into a 0600 temporary file, which
 * is removed when the step ends, whether the command succeeded or not.
 */
export type GuestStep =
  | { readonly kind: 'run'; readonly argv: readonly string[]; readonly why: string }
  | { readonly kind: 'write'; readonly path: string; readonly content: string; readonly mode?: string; readonly keep?: readonly string[]; readonly why: string }
  | { readonly kind: 'script'; readonly text: string; readonly why: string }
  | { readonly kind: 'secret-file'; readonly argv: readonly string[]; readonly secret: string; readonly why: string };

export const runStep = (why: string, ...argv: string[]): GuestStep => ({ kind: 'run', argv, why });

/** Secret values by name, decrypted in memory: what `secret-file` steps need to be sent. */
export type SecretValues = ReadonlyMap<string, Uint8Array | string>;

/** The file rewritten with `content`, then the existing lines of the `keep` keys (Proxmox's own). */
function keepingScript(path: string, content: string, keep: readonly string[]): string {
  const f = quote(path);
  return [
    `t=${f}.tmp.$$`,
    `{ base64 -d <<'__HL_EOF__'`,
    `${base64Lines(content)}__HL_EOF__`,
    `grep -E '^(${keep.join('|')}):' ${f} || true; } > "$t"`,
    `mv "$t" ${f}`,
  ].join('\n');
}

/** The value in a private temporary file for the command's last argument, removed on exit (the step runs in a subshell). */
function secretFileScript(argv: readonly string[], value: Uint8Array | string): string {
  return [
    `f=$(umask 077 && mktemp /tmp/homelab-secret.XXXXXXXX)`,
    `trap 'rm -f "$f"' EXIT`,
    `base64 -d > "$f" <<'__HL_EOF__'`,
    `${base64Lines(value)}__HL_EOF__`,
    `${commandLine(argv)} "$f"`,
  ].join('\n');
}

/** The shell text a step runs as (what deploy sends); `secret-file` steps need their secret's value. */
export function stepScript(step: GuestStep, secrets: SecretValues = new Map()): string {
  switch (step.kind) {
    case 'run':
      return commandLine(step.argv);
    case 'write':
      if (step.keep?.length) return keepingScript(step.path, step.content, step.keep);
      // /etc/pve is Proxmox's cluster file system: its folders exist, and it keeps no mode.
      if (step.path.startsWith('/etc/pve/')) return writeFileScript(step.path, step.content).trimEnd();
      return `mkdir -p ${quote(step.path.slice(0, step.path.lastIndexOf('/')) || '/')}\n${writeFileScript(step.path, step.content, { ...(step.mode ? { mode: step.mode } : {}), private: step.mode === '0600' }).trimEnd()}`;
    case 'script':
      return step.text;
    case 'secret-file': {
      const value = secrets.get(step.secret);
      if (value === undefined) throw new Error(`no value for secret ${step.secret} (${step.why})`);
      return secretFileScript(step.argv, value);
    }
  }
}

/** One line per step for a person: the command, or what is written where; never a secret's value. */
export function describeStep(step: GuestStep): string {
  switch (step.kind) {
    case 'write':
      return `write ${step.path}${step.mode ? ` (${step.mode})` : ''}${step.keep?.length ? ` (keeping its ${step.keep.join(', ')})` : ''}`;
    case 'secret-file':
      return `${commandLine(step.argv)} <0600 temporary file of secret ${step.secret}>`;
    default:
      return stepScript(step);
  }
}
