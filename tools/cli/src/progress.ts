import type { Progress } from '@homelab/kit';
import { plainProgress } from '@homelab/kit';

/**
 * Deploy's steps on stderr: a live step list (listr2) on a terminal, plain lines otherwise
 * (CI logs, pipes). Stdout stays for the result (and for --json, the one JSON document).
 */
export async function terminalProgress(stream: NodeJS.WriteStream = process.stderr): Promise<Progress> {
  const plain = plainProgress((line) => stream.write(`${line}\n`));
  if (!stream.isTTY || process.env.CI) return plain;
  const { Listr, ListrLogger, PRESET_TIMER, ProcessOutput } = await import('listr2');
  const logger = new ListrLogger({ processOutput: new ProcessOutput(stream, stream) });
  return {
    async step(title, run) {
      let value: Awaited<ReturnType<typeof run>> | undefined;
      const list = new Listr(
        [
          {
            title,
            task: async (_ctx, task) => {
              value = await run({
                note: (text) => {
                  task.output = text;
                },
                title: (text) => {
                  task.title = text;
                },
              });
            },
          },
        ],
        { renderer: 'default', rendererOptions: { timer: PRESET_TIMER, showErrorMessage: false, logger }, exitOnError: true, registerSignalListeners: false },
      );
      await list.run();
      return value as Awaited<ReturnType<typeof run>>;
    },
    info: (text) => stream.write(`${text}\n`),
  };
}
