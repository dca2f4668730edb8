/** What a running step can say while it works. */
export interface StepControl {
  /** A detail shown under the step while it runs (e.g. which services are still starting). */
  note(text: string): void;
  /** Replaces the step's title (e.g. "upload release x: already on the host"). */
  title(text: string): void;
}

/**
 * How deploy shows its steps. The CLI shows a live step list on a terminal and plain lines
 * otherwise; tests and benches pass their own.
 */
export interface Progress {
  step<T>(title: string, run: (step: StepControl) => Promise<T>): Promise<T>;
  /** A line outside any step (a warning, the outcome). */
  info(text: string): void;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** One line per finished step, `ok`/`FAILED` first; notes as indented lines. For logs and CI. */
export function plainProgress(write: (line: string) => void): Progress {
  return {
    async step(title, run) {
      let current = title;
      const started = performance.now();
      try {
        const value = await run({
          note: (text) => write(`        ${text}`),
          title: (text) => {
            current = text;
          },
        });
        write(`ok      ${current} (${seconds(performance.now() - started)})`);
        return value;
      } catch (e) {
        write(`FAILED  ${current} (${seconds(performance.now() - started)})`);
        throw e;
      }
    },
    info: (text) => write(text),
  };
}

/** Shows nothing. */
export const silentProgress: Progress = {
  step: (_title, run) => run({ note: () => {}, title: () => {} }),
  info: () => {},
};
