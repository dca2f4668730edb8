/** Every wait of the twin is bounded by this many seconds (HOMELAB_TWIN_WAIT_SECONDS), generous for a loaded machine. */
export const WAIT_SECONDS = Number(process.env.HOMELAB_TWIN_WAIT_SECONDS ?? 180);

/** Polls `ready` until it is true; fails naming `what` after the bound. */
export async function waitUntil(what: string, ready: () => boolean | Promise<boolean>, seconds = WAIT_SECONDS): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    if (await ready()) return;
    if (Date.now() > deadline) throw new Error(`twin: timed out after ${seconds} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
