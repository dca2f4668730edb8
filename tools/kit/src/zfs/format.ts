import { formatFinding } from '../findings.js';
import type { ZfsAction, ZfsPlan } from './plan.js';

const PLAIN = /^[A-Za-z0-9_.,:/=@%+-]+$/;

/** A command line for a person to read or paste: words that need it are single-quoted. */
export function printableCommand(argv: readonly string[]): string {
  return argv.map((a) => (PLAIN.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

function describe(action: ZfsAction): string {
  switch (action.kind) {
    case 'create': {
      const props = Object.entries(action.properties).map(([p, v]) => `${p}=${v}`);
      return `+ create  ${action.dataset}${props.length ? ` (${props.join(', ')})` : ''}`;
    }
    case 'set':
      return `~ set     ${action.dataset} ${action.property}: ${action.from} -> ${action.to}`;
    case 'inherit':
      return `~ inherit ${action.dataset} ${action.property}: local ${action.from} -> ${action.to}`;
  }
}

/** The plan as a person reads it: each change with its command, then findings and what is left alone. */
export function formatZfsPlan(plan: ZfsPlan): string {
  const out: string[] = [];
  if (plan.actions.length === 0) out.push(`pool ${plan.pool}: no changes`);
  for (const action of plan.actions) out.push(describe(action), `    ${printableCommand(action.argv)}`);
  for (const f of plan.findings) out.push(formatFinding(f));
  if (plan.unmanaged.length > 0) out.push(`left alone (not in the layout): ${plan.unmanaged.join(', ')}`);
  return `${out.join('\n')}\n`;
}
