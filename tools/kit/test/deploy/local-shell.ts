import { spawn } from 'node:child_process';
import { shellOver, type RemoteShell } from '../../src/internal.js';

/** The deploy's remote-shell protocol over a local `sh -s`: the scripts run for real, here. */
export function localShell(): RemoteShell & { kill(): void; killed(): Promise<void> } {
  const child = spawn('sh', ['-s'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const shell = shellOver(
    {
      write: (text) => void child.stdin.write(text),
      end: () => void child.stdin.end(),
      onStdout: (l) => void child.stdout.on('data', l),
      onStderr: (l) => void child.stderr.on('data', l),
      onClose: (l) => void child.on('close', l),
    },
    'local sh',
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return Object.assign(shell, {
    kill: () => void child.kill('SIGKILL'),
    /** Kills it (if it still runs) and resolves once it has exited. */
    killed: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  });
}

/** A RemoteShell that runs nothing: it records every script and answers from `reply`. */
export function recordingShell(reply: (script: string) => { code?: number; stdout?: string; stderr?: string } = () => ({})): RemoteShell & { scripts: string[] } {
  const scripts: string[] = [];
  const answer = async (script: string) => {
    scripts.push(script);
    const r = reply(script);
    return { code: r.code ?? 0, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  };
  return {
    scripts,
    closed: false,
    run: answer,
    runInShell: answer,
    async check(what, script) {
      const r = await answer(script);
      if (r.code !== 0) throw new Error(`${what} failed`);
      return r.stdout;
    },
    close: async () => {},
  };
}
