import { deployHost, isDeployError, loadLab, silentProgress, type Progress } from '@homelab/kit/internal';
import type { FixtureLab } from '@homelab/testing';

/**
 * Runs one deploy of the fixture host in this process, calling `onStep` as each step starts (a
 * test uses it to act at an exact moment, e.g. cut the connection once the upload begins).
 * Returns the deploy's error message, or undefined when it succeeded.
 */
export async function deployInProcess(lab: FixtureLab, env: NodeJS.ProcessEnv, onStep: (title: string) => void): Promise<string | undefined> {
  const loaded = await loadLab(lab.root);
  const host = loaded.lab.hosts.find((h) => h.name === lab.host)!;
  const progress: Progress = {
    step(title, run) {
      onStep(title);
      return silentProgress.step(title, run);
    },
    info: () => {},
  };
  try {
    await deployHost({ root: lab.root, lab: loaded.lab, host, hostDir: loaded.hostDirs.get(lab.host)!, env, progress });
    return undefined;
  } catch (e) {
    if (isDeployError(e)) return e.message;
    throw e;
  }
}
