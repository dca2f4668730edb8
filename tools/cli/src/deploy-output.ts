import type { DeployPlan } from '@homelab/kit';
import { formatRecord, formatZfsPlan, isDeployError } from '@homelab/kit';

function list(names: readonly string[]): string {
  return names.length ? names.join(', ') : '-';
}

/** The plan for a person: what runs now, what changes, the diffs, the last deploys. */
export function formatPlan(plan: DeployPlan): string {
  const out: string[] = [];
  out.push(`${plan.host} (${plan.target})`);
  out.push(
    plan.current
      ? `  runs release ${plan.current}${plan.record ? ` (deployed by ${formatRecord(plan.record)})` : ''}`
      : '  runs no release yet (first deploy)',
  );
  if (plan.drift?.length) out.push(`  dist/ makes the same release, but the host does not run it as recorded: a deploy would apply it again`, ...plan.drift.map((d) => `    ${d}`));
  else out.push(plan.changed ? `  dist/ makes release ${plan.release}: a deploy would change the host` : `  dist/ makes the same release: a deploy would change nothing`);
  if (plan.composeMissing) out.push(`  ${plan.composeMissing}`);
  const changed = plan.files.filter((f) => f.status !== 'unchanged');
  out.push('', `files (${changed.length} of ${plan.files.length} differ):`);
  for (const f of plan.files) out.push(`  ${f.status.padEnd(9)} ${f.path} (${f.kind})${f.holdsSecrets ? ' [holds secrets: no diff shown]' : ''}`);
  const s = plan.services;
  out.push('', 'services:', `  create    ${list(s.create)}`, `  recreate  ${list(s.recreate)}`, `  remove    ${list(s.remove)}`, `  unchanged ${list(s.unchanged)}`);
  if (plan.secrets.length > 0) {
    out.push('', 'secrets (values never shown):');
    for (const x of plan.secrets) out.push(`  ${x.status.padEnd(9)} ${x.name}`);
  }
  if (plan.installs?.length) {
    out.push('', 'installs in the container (each only when absent, before the files that need it):');
    for (const i of plan.installs) out.push(`  ${i}`);
  }
  if (plan.guest) {
    if ('error' in plan.guest) out.push('', `guest definition: could not be read from the Proxmox node: ${plan.guest.error}`);
    else {
      const g = plan.guest;
      out.push('', `guest definition (${g.kind} ${g.vmid} on node ${g.node}, ${g.exists ? 'exists' : 'does not exist yet'}):`);
      if (g.migration) out.push(`  migrate from node ${g.migration.from} to ${g.migration.to} (${g.migration.mode === 'live' ? 'live' : 'stopped, moved, started'})`);
      if (g.steps.length === 0 && g.skipped.length === 0) out.push('  in sync: nothing to run');
      for (const step of g.steps) out.push(...step.split('\n').map((l, i) => `  ${i === 0 ? '$' : ' '} ${l}`));
      for (const s of g.skipped) out.push(`  left alone: ${s}`);
    }
  }
  if (plan.zfs) {
    out.push('', 'zfs datasets:');
    out.push(...('error' in plan.zfs ? [`could not be read: ${plan.zfs.error}`] : formatZfsPlan(plan.zfs.plan).trimEnd().split('\n')).map((l) => `  ${l}`));
  }
  if (plan.node) {
    out.push('', 'node readiness:');
    if ('error' in plan.node) out.push(`  could not be read: ${plan.node.error}`);
    else for (const n of plan.node.needs) out.push(n.ready ? `  ready     ${n.what}` : `  missing   ${n.what}`, ...(n.todo ? [`    $ ${n.todo}`] : []));
  }
  if (plan.certificate) {
    out.push('', 'TLS certificate (internal CA):');
    if ('error' in plan.certificate) out.push(`  could not be read: ${plan.certificate.error}`);
    else if (plan.certificate.findings.length === 0) out.push('  valid, signed by the lab\'s CA, and names every route');
    else for (const f of plan.certificate.findings) out.push(`  ${f.severity.padEnd(8)} [${f.code}] ${f.message}`);
  }
  for (const f of changed) if (f.diff) out.push('', f.diff.trimEnd());
  if (plan.history.length > 0) {
    out.push('', 'last deploys:');
    for (const h of plan.history) out.push(`  ${h.at}  ${h.action.padEnd(8)} ${h.release}  ${h.result.padEnd(11)} by ${h.by}, commit ${h.commit}${h.error ? ` (${h.error.split('\n')[0]})` : ''}`);
  }
  return `${out.join('\n')}\n`;
}

/** Runs a deploy command: a DeployError is the user's to read (exit 1), not a stack trace. */
export async function reportDeployErrors(json: boolean, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (e) {
    if (!isDeployError(e)) throw e;
    if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: { code: e.code, message: e.message } }, null, 2)}\n`);
    else process.stderr.write(`error [${e.code}]: ${e.message}\n`);
    return 1;
  }
}
