/** Every wait of the twin is bounded by this many seconds (HOMELAB_TWIN_WAIT_SECONDS), generous for a loaded machine. */
export const WAIT_SECONDS = Number(process.env.HOMELAB_TWIN_WAIT_SECONDS ?? 180);

/**
 * How long a stack may take to be healthy (HOMELAB_TWIN_HEALTH_SECONDS): a twin deploy's health
 * wait, and a rebooted VM's boot units (compose up waits for the health depends_on asks for).
 */
export const HEALTH_SECONDS = Number(process.env.HOMELAB_TWIN_HEALTH_SECONDS ?? 600);

/**
 * How long one `homelab deploy` may take in the twin (HOMELAB_TWIN_DEPLOY_SECONDS): a container's
 * apt-get installs, a VM's image pulls and health wait, on a machine the other tiers load. A deploy
 * is one command, and the general command bound (HOMELAB_TWIN_EXEC_TIMEOUT_MS, 300 s) was seen cut
 * lxc-smb's deploy while it installed samba beside three other twins' work.
 */
export const DEPLOY_SECONDS = Number(process.env.HOMELAB_TWIN_DEPLOY_SECONDS ?? 1800);

/** Polls `ready` until it is true; fails naming `what` after the bound. */
export async function waitUntil(what: string, ready: () => boolean | Promise<boolean>, seconds = WAIT_SECONDS): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    if (await ready()) return;
    if (Date.now() > deadline) throw new Error(`twin: timed out after ${seconds} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
