/** POSIX sh quoting: a word the shell reads back exactly. */
export function quote(word: string | number): string {
  const s = String(word);
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** An argv as one shell command line. */
export function commandLine(argv: readonly (string | number)[]): string {
  return argv.map(quote).join(' ');
}

/** Base64 of a text, split into lines a heredoc carries safely. */
export function base64Lines(content: string | Uint8Array): string {
  const b64 = Buffer.from(content).toString('base64');
  return b64.replace(/.{1,76}/g, '$&\n');
}

/**
 * A shell fragment that writes `content` to `path` exactly (no quoting or newline surprises).
 * A private file is created under umask 077, so it is never readable by others, not even briefly.
 */
export function writeFileScript(path: string, content: string | Uint8Array, options: { mode?: string; private?: boolean } = {}): string {
  const p = quote(path);
  const write = options.private ? `(umask 077 && base64 -d > ${p})` : `base64 -d > ${p}`;
  const mode = options.mode ?? (options.private ? '0600' : undefined);
  const chmod = mode ? ` && chmod ${quote(mode)} ${p}` : '';
  return `${write} <<'__HL_EOF__'${chmod}\n${base64Lines(content)}__HL_EOF__\n`;
}
