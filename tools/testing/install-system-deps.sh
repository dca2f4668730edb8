#!/usr/bin/env bash
# Installs the Debian packages the system test tier (pnpm test:system) and the lab twin
# (pnpm test:twin) run for real: `install-system-deps.sh system` only the system tier's,
# `install-system-deps.sh` (or `twin`) both. `--list [system|twin]` prints the names and installs
# nothing; `--download [system|twin]` fetches them into apt's cache and installs nothing (.ci/run
# does that while the unit tier runs, which must run before anything is installed). The unit tier (pnpm test) needs none of them: a minimal Debian 12 plus Node, pnpm and
# git (tools/testing/src/unit-tier refuses anything else in a unit test).
# This script is the one list of each tier's packages; README.md points here.
# Idempotent; needs root (CI runs as root). A tool missing later fails the tier: it never skips.
set -euo pipefail
# The system tier (pnpm test:system):
system=(
  docker.io          # dockerd: deploy scenarios run against a real engine
  docker-compose     # compose v1: `config -q` on every compose artifact, and the deploy fixture's compose command
  busybox-static     # the fixture image is `docker import`ed from it (no registry is reachable)
  openssh-server     # sshd on 127.0.0.1 for the deploy scenarios
  prometheus         # promtool check config
  prometheus-alertmanager  # amtool check-config on the rendered alertmanager.yml (Debian 12: 0.25.0)
  samba-common-bin   # testparm -s
  nfs-kernel-server  # exportfs, inside unshare -m
  sanoid             # sanoid --readonly reads the rendered sanoid.conf; syncoid's options
  systemd            # systemd-sysusers --root on the sysusers.d files; systemd-analyze verify on the syncoid units
  cloud-init         # cloud-init schema reads every VM's rendered vendor data
  iproute2
  nftables           # nft -c -f on every machine's firewall ruleset (the twin applies them too)
  util-linux         # unshare
  chromium           # headless: renders the topology diagrams of docs/lab.md with mermaid (tools/kit/test/lab-diagram.system.test.ts)
  fonts-dejavu-core  # a font for chromium to measure the diagrams' text with
)
# The twin tier (pnpm test:twin) needs the system tier's and these (the lab twin's Proxmox layer, tools/twin):
twin=(
  zfs-fuse           # pool tank and the offsite pool: real ZFS in user space
  samba              # smbd for the system tier's share checks (the twin's lxc-smb installs its own from Debian's archive)
  mmdebstrap         # the twin's container template: a Debian 12 root made with Debian's tools (tools/twin/src/lxc/template.ts)
  smbclient          # the LAN client lists, reads and writes the shares
  zstd               # the container template (.tar.zst) pct create extracts
  openssh-client     # ssh: syncoid to the offsite node
  jq                 # the twin's runc wrapper drops capabilities a sandbox withholds from privileged containers
  procps             # pgrep, ps in the twin's checks
)
mode=install
case "${1:-}" in
  --list) mode=list; shift ;;
  --download) mode=download; shift ;;
esac
case "${1:-twin}" in
  system) packages=("${system[@]}") ;;
  twin) packages=("${system[@]}" "${twin[@]}") ;;
  *) echo "usage: $0 [--list|--download] [system|twin]" >&2; exit 2 ;;
esac
if [ "$mode" = list ]; then
  printf '%s\n' "${packages[@]}"
  exit 0
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The twin's containers install from a copy of Debian's archive made with this machine's apt lists (tools/twin/src/debian/archive.ts).
if ! ls /var/lib/apt/lists/*_Packages* >/dev/null 2>&1; then apt-get update -qq; fi
if [ ${#missing[@]} -eq 0 ]; then
  echo "system test packages: all present"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
get() { apt-get install -y -qq --no-install-recommends "$@" "${missing[@]}" >/dev/null; }
if [ "$mode" = download ]; then
  echo "downloading: ${missing[*]}"
  apt-get update -qq
  get --download-only
  echo "system test packages: downloaded"
  exit 0
fi
echo "installing: ${missing[*]}"
# Package lists fresh from a --download earlier in the run are used as they are; missing or stale
# ones (a package not found, a file gone from the mirror) are updated once, then installed.
if ! get 2>/dev/null; then
  apt-get update -qq
  get
fi
echo "system test packages: installed"
