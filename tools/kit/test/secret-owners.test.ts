import { describe, expect, it } from 'vitest';
import { secretFileOwners, type HostDef } from '../src/internal.js';
import { realLab } from './fixtures.js';

const host = (name: string) => realLab.hosts.find((h) => h.name === name) as HostDef;
const owners = (name: string) => Object.fromEntries(secretFileOwners(host(name).services));

// Who owns each compose secret file of the real lab: its reader, from the services' image facts.
describe('secret file owners of the real lab', () => {
  it('gives non-root readers their own files, 0400 (the first-deploy failures of issue 11)', () => {
    expect(owners('vm-infra')).toMatchObject({
      // authentik runs as 1000; its database reads the password as root (postgres' entrypoint), and root reads any file.
      authentik_db_password: { uid: 1000, gid: 1000, mode: '0400' },
      authentik_secret_key: { uid: 1000, gid: 1000, mode: '0400' },
      grafana_admin_password: { uid: 1000, gid: 1000, mode: '0400' },
    });
    expect(owners('vm-apps')).toMatchObject({
      vaultwarden_admin_token: { uid: 1000, gid: 1000, mode: '0400' },
      // Nextcloud's PHP reads it as www-data; postgres' entrypoint as root.
      nextcloud_db_password: { uid: 33, gid: 33, mode: '0400' },
      nextcloud_admin_password: { uid: 33, gid: 33, mode: '0400' },
      immich_db_password: { uid: 0, gid: 0, mode: '0400' },
    });
  });

  it('leaves secrets read only as root root\'s', () => {
    expect(owners('vm-media')).toEqual({
      gluetun_wireguard_addresses: { uid: 0, gid: 0, mode: '0400' },
      gluetun_wireguard_private_key: { uid: 0, gid: 0, mode: '0400' },
      // The *arr apps' API keys, read by the linuxserver init as root (FILE__*).
      prowlarr_api_key: { uid: 0, gid: 0, mode: '0400' },
      radarr_api_key: { uid: 0, gid: 0, mode: '0400' },
      sonarr_api_key: { uid: 0, gid: 0, mode: '0400' },
    });
    // The same keys on the start page's host, read by Homepage as the lab's app user.
    expect(owners('vm-infra')).toMatchObject({ sonarr_api_key: { uid: 1000, gid: 1000, mode: '0400' } });
    expect(owners('vm-dev')).toMatchObject({ code_server_password: { uid: 0, gid: 0, mode: '0400' } });
  });
});
