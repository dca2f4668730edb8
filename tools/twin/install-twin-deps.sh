#!/usr/bin/env bash
# Installs the Debian packages the lab twin (pnpm test:twin) runs for real, beyond the system tier's.
# Idempotent; needs root (the twin makes network and mount namespaces). A missing tool fails the twin.
set -euo pipefail
here=$(dirname "$0")
"$here/../testing/install-system-deps.sh"
packages=(
  samba          # smbd serves the rendered smb.conf in lxc-smb's namespace
  smbclient      # the LAN client lists the shares, reads and writes
  nftables       # the lab's firewall policy in the namespaces
  zfs-fuse       # the pool tank on a file, in the Proxmox node's namespace
  openssh-client # ssh for syncoid to the offsite node
  jq             # the runc wrapper that drops capabilities a sandbox withholds
  iproute2       # ip netns, veth, bridge
  util-linux     # unshare, nsenter
  procps         # pgrep in the checks
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "twin packages: all present"
  exit 0
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "twin packages: installed"
