import { closingLine, countsByKind, runTwin } from '@homelab/twin';

/** The lab twin from nothing to torn down, timed (target: under 8 minutes on this 2-core machine). Needs root. */
export async function twinLines(): Promise<string[]> {
  if (process.getuid?.() !== 0) return ['twin: not measured: it makes network and mount namespaces, which needs root'];
  const started = Date.now();
  // No image's facts can be verified here (no registry is reachable): the run is marked unverified.
  const report = await runTwin({ unverifiedFacts: true });
  const seconds = (Date.now() - started) / 1000;
  return [
    `twin: whole lab up, deployed, probed and torn down in ${seconds.toFixed(0)} s (target under 480 s)`,
    `twin: probes by kind: ${countsByKind(report)}`,
    `twin: ${report.unverifiedFacts?.length ?? 0} services' stand-ins built from image facts not verified at their pinned digest (an unverified run)`,
    closingLine(report),
  ];
}
