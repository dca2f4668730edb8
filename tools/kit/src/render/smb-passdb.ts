import { daemonsOf } from '../model/daemon.js';
import type { SambaDef } from '../model/samba.js';
import { SAMBA_PACKAGE } from '../model/unit-source.js';
import type { Renderer } from './index.js';
import { secretPlaceholder } from './secret-placeholder.js';
import { SMB_PASSDB_PATH } from './smb.js';
import { DAEMON_UNITS } from '../model/daemon.js';

/** No LAN Manager hash (SMB1-era, disabled). */
const NO_LM_HASH = 'X'.repeat(32);
/** U: a normal account; X: its password does not expire (else Samba applies a maximum age). */
const ACCOUNT_FLAGS = '[UX         ]';
/**
 * The "last change time" is fixed, so the file is the same on every build. It must not be 0:
 * Samba reads LCT-00000000 as "must change the password at next logon" and refuses the login.
 */
const LAST_CHANGE = 'LCT-60000000';

/**
 * The smbpasswd passdb: `name:uid:LM:NT:[flags]:LCT-xxxxxxxx:` per login (the format
 * pdb_smbpasswd writes). Each NT hash is a secret placeholder that deploy fills in; the
 * comment-free file is what Samba parses.
 */
export function smbPassdb(smb: SambaDef): string {
  const lines = [...smb.users]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((u) => `${u.name}:${u.uid}:${NO_LM_HASH}:${secretPlaceholder(u.ntHash)}:${ACCOUNT_FLAGS}:${LAST_CHANGE}:`);
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

export const renderSmbPassdb: Renderer = (_lab, host) =>
  daemonsOf(host, 'samba').map((smb) => ({
    path: `${smb.name}/smbpasswd`,
    kind: 'smb-passdb',
    content: smbPassdb(smb),
    install: { path: SMB_PASSDB_PATH, mode: '0600', owner: 'root:root', restart: DAEMON_UNITS.samba.unit, source: SAMBA_PACKAGE, secrets: smb.users.map((u) => u.ntHash.name).sort() },
  }));
