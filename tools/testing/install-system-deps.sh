#!/usr/bin/env bash
# Installs the Debian packages the system test tier (pnpm test:system) and the lab twin
# (pnpm test:twin) run for real.
# Idempotent; needs root (CI runs as root). A tool missing later fails the tier: it never skips.
set -euo pipefail
packages=(
  docker.io          # dockerd: deploy scenarios run against a real engine
  docker-compose     # compose v1: `config -q` on every compose artifact, and the deploy fixture's compose command
  busybox-static     # the fixture image is `docker import`ed from it (no registry is reachable)
  openssh-server     # sshd on 127.0.0.1 for the deploy scenarios
  prometheus         # promtool check config
  samba-common-bin   # testparm -s
  nfs-kernel-server  # exportfs, inside unshare -m
  sanoid             # sanoid --readonly reads the rendered sanoid.conf; syncoid's options
  systemd            # systemd-sysusers --root on the sysusers.d files; systemd-analyze verify on the syncoid units
  cloud-init         # cloud-init schema reads every VM's rendered vendor data
  iproute2
  nftables           # nft -c -f on every machine's firewall ruleset (the twin applies them too)
  util-linux         # unshare
  # The lab twin's Proxmox layer (tools/twin, the twin tier):
  zfs-fuse           # pool tank and the offsite pool: real ZFS in user space
  samba              # smbd runs lxc-smb's rendered smb.conf
  smbclient          # the LAN client lists, reads and writes the shares
  zstd               # the container template (.tar.zst) pct create extracts
  openssh-client     # ssh: syncoid to the offsite node
  jq                 # the twin's runc wrapper drops capabilities a sandbox withholds from privileged containers
  procps             # pgrep, ps in the twin's checks
  chromium           # headless: renders the topology diagrams of docs/lab.md with mermaid (tools/kit/test/lab-diagram.system.test.ts)
  fonts-dejavu-core  # a font for chromium to measure the diagrams' text with
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system test packages: all present"
  exit 0
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "system test packages: installed"
