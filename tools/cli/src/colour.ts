import { styleText } from 'node:util';

type Style = Parameters<typeof styleText>[0];

/**
 * Colour only for a person at a terminal: NO_COLOR (any non-empty value) always wins, then
 * FORCE_COLOR (not "0"), then whether the stream is a TTY (and TERM is not "dumb").
 */
export function colourOn(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0';
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** A painter for one stream: styles text when colour is on, returns it as is otherwise. */
export function painter(stream: { isTTY?: boolean } = process.stdout): (style: Style, text: string) => string {
  const on = colourOn(stream);
  return (style, text) => (on ? styleText(style, text, { validateStream: false }) : text);
}
