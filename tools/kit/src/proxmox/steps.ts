import { commandLine, quote, writeFileScript } from '../deploy/shell.js';

/** One thing done on the Proxmox node: a command (argv), a file written, or a short script. */
export type GuestStep =
  | { readonly kind: 'run'; readonly argv: readonly string[]; readonly why: string }
  | { readonly kind: 'write'; readonly path: string; readonly content: string; readonly mode?: string; readonly why: string }
  | { readonly kind: 'script'; readonly text: string; readonly why: string };

export const runStep = (why: string, ...argv: string[]): GuestStep => ({ kind: 'run', argv, why });

/** The shell text a step runs as (what plan prints and deploy sends). */
export function stepScript(step: GuestStep): string {
  switch (step.kind) {
    case 'run':
      return commandLine(step.argv);
    case 'write':
      // /etc/pve is Proxmox's cluster file system: its folders exist, and it keeps no mode.
      if (step.path.startsWith('/etc/pve/')) return writeFileScript(step.path, step.content).trimEnd();
      return `mkdir -p ${quote(step.path.slice(0, step.path.lastIndexOf('/')) || '/')}\n${writeFileScript(step.path, step.content, { ...(step.mode ? { mode: step.mode } : {}), private: step.mode === '0600' }).trimEnd()}`;
    case 'script':
      return step.text;
  }
}

/** One line per step for a person: the command, or what is written where. */
export function describeStep(step: GuestStep): string {
  return step.kind === 'write' ? `write ${step.path}${step.mode ? ` (${step.mode})` : ''}` : stepScript(step);
}
