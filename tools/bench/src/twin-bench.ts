import { closingLine, countsByKind, runTwin } from '@homelab/twin';

/** The lab twin from nothing to torn down, timed (target: under 8 minutes on this 2-core machine). Needs root. */
export async function twinLines(): Promise<string[]> {
  if (process.getuid?.() !== 0) return ['twin: not measured: it makes network and mount namespaces, which needs root'];
  const started = Date.now();
  const report = await runTwin();
  const seconds = (Date.now() - started) / 1000;
  return [
    `twin: whole lab up, deployed, probed and torn down in ${seconds.toFixed(0)} s (target under 480 s)`,
    `twin: probes by kind: ${countsByKind(report)}`,
    closingLine(report),
  ];
}
