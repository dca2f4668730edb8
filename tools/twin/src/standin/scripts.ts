/**
 * The stand-in's own programs, as shell scripts run by its busybox (/standin/busybox, outside
 * PATH, so an image gets no command it does not ship). Every shim sources lib.sh.
 */
const SHEBANG = '#!/standin/busybox sh';

export const LIB = `# The stand-in's helpers. BB is its own busybox, outside PATH.
BB=/standin/busybox
# GET http://127.0.0.1:PORT/PATH: 0 when it answers 2xx (redirects followed). No -T: Debian's
# static busybox wget crashes with it; the healthcheck's own timeout bounds every probe.
standin_http() { $BB wget -q -O /dev/null "http://127.0.0.1:$1$2"; }
# Something accepts connections on PORT: every TCP port of a stand-in answers HTTP on /.
standin_tcp() { standin_http "$1" /; }
# A URL with localhost as 127.0.0.1: a static busybox has no resolver for names.
standin_url() { case "$1" in *://localhost*) printf '%s://127.0.0.1%s' "\${1%%://localhost*}" "\${1#*://localhost}" ;; *) printf '%s' "$1" ;; esac; }
`;

/**
 * The main process. Arguments (compose's \`command\`) are accepted and ignored. It reads every
 * file the real service reads at start (its compose secrets, every *_FILE / FILE__* path and
 * file:// value) as the user the real one reads them as, and exits non-zero naming the first it
 * cannot, as the real service fails. Then it serves HTTP on every TCP port and stays up.
 */
export function mainScript(tcp: readonly number[], udp: readonly number[], readAs: string | undefined, outpostPort?: number, startPagePort?: number): string {
  const httpd = tcp.filter((p) => p !== outpostPort && p !== startPagePort);
  return `${SHEBANG}
. /standin/lib.sh
READ_AS='${readAs ?? ''}'
status=0
who() { echo "$($BB id -u):$($BB id -g)"; }
read_file() {
  if [ -n "$READ_AS" ] && [ "$($BB id -u)" = 0 ]; then
    $BB start-stop-daemon -S -p /standin/none.pid -c "$READ_AS" -x $BB -- cat "$1"
  else
    $BB cat "$1"
  fi
}
check() {
  if ! read_file "$1" > /dev/null 2>&1; then
    echo "standin: cannot read $1 ($2) as \${READ_AS:-$(who)}: the real service fails here" >&2
    status=1
  fi
}
for f in /run/secrets/*; do
  [ -e "$f" ] || continue
  check "$f" 'a compose secret'
done
envs=$($BB env)
while IFS= read -r line; do
  key=\${line%%=*}
  value=\${line#*=}
  case "$value" in file:///*) check "\${value#file://}" "$key" ;; esac
  case "$key" in *_FILE | *__FILE | *_SECRETFILE | FILE__*) case "$value" in /*) check "$value" "$key" ;; esac ;; esac
done <<__ENV__
$envs
__ENV__
[ "$status" = 0 ] || exit 1
pids=''
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; exit 0' TERM INT
for port in ${httpd.join(' ')}; do
  $BB httpd -f -p "$port" -h /standin/www -c /standin/httpd.conf &
  pids="$pids $!"
done${
    outpostPort === undefined || !tcp.includes(outpostPort)
      ? ''
      : `
# The embedded outpost's port: every connection through outpost-front (forward auth from the blueprints).
$BB nc -ll -p ${outpostPort} -e /standin/cmd/outpost-front &
pids="$pids $!"`
  }${
    startPagePort === undefined || !tcp.includes(startPagePort)
      ? ''
      : `
# The start page's port: every connection through homepage-front (Homepage from its mounted config).
# A request that finds a config file missing and cannot copy it signals USR1: the server exits 1.
trap 'echo "standin: exiting as Homepage does when it cannot initialise a config file" >&2; for p in $pids; do kill "$p" 2>/dev/null; done; exit 1' USR1
$BB nc -ll -p ${startPagePort} -e /standin/cmd/homepage-front &
pids="$pids $!"`
  }
for port in ${udp.join(' ')}; do
  echo "standin: udp/$port is not bound (busybox has no UDP listener)" >&2
done
echo "standin: up as $(who), HTTP on: ${tcp.join(' ') || 'none'}"
while :; do
  for p in $pids; do
    if [ ! -d "/proc/$p" ] || $BB grep -q '^State:[[:space:]]*Z' "/proc/$p/status" 2>/dev/null; then
      echo "standin: the listener (pid $p) exited: its port is taken or not bindable as $(who)" >&2
      exit 1
    fi
  done
  $BB sleep 2 &
  wait $!
done
`;
}

/** curl as the lab's healthchecks use it: -f exits 22 on an HTTP error (curl's --fail), 7 when nothing answers. */
export const CURL = `${SHEBANG}
. /standin/lib.sh
fail=0; head=0; out=-; url=''
while [ $# -gt 0 ]; do
  case "$1" in
    -f | --fail) fail=1 ;;
    -I | --head) head=1 ;;
    -o | --output) out=$2; shift ;;
    -m | --max-time | -H | --header | -X | --request | -A | --user-agent | --connect-timeout | --retry | -w | --write-out | -u | --user | -d | --data) shift ;;
    --*) ;;
    -*)
      case "$1" in *f*) fail=1 ;; esac
      case "$1" in *I*) head=1 ;; esac
      case "$1" in *o) out=$2; shift ;; esac
      ;;
    *) url=$(standin_url "$1") ;;
  esac
  shift
done
if [ "$head" = 1 ]; then set -- --spider; else set -- -O "$out"; fi
{ err=$($BB wget -q "$@" "$url" 2>&1 >&3 3>&-); rc=$?; } 3>&1
[ "$rc" = 0 ] && exit 0
echo "curl: $err" >&2
case "$err" in *'server returned error'*) [ "$fail" = 1 ] && exit 22; exit 0 ;; esac
exit 7
`;

/** wget: busybox's (Alpine's and the busybox-based images' own), without --tries (GNU only) and -T (it crashes Debian's static busybox). */
export const WGET = `${SHEBANG}
. /standin/lib.sh
n=$#
while [ "$n" -gt 0 ]; do
  a=$1; shift; n=$((n - 1))
  case "$a" in
    --tries=*) ;;
    -t | --tries | -T) shift; n=$((n - 1)) ;;
    --timeout=*) ;;
    --quiet) set -- "$@" -q ;;
    *://*) set -- "$@" "$(standin_url "$a")" ;;
    *) set -- "$@" "$a" ;;
  esac
done
exec $BB wget "$@"
`;

/**
 * pgrep as busybox's: without -f the pattern (an extended regex) is matched against argv[0]
 * only (\`busybox crond\` is "busybox"), with -f against the whole command line; -x anchors it;
 * itself excluded. Debian's busybox-static has no pgrep applet, so this reads /proc.
 */
export const PGREP = `${SHEBANG}
. /standin/lib.sh
full=0; exact=0
while [ $# -gt 1 ]; do
  case "$1" in -f) full=1 ;; -x) exact=1 ;; -fx | -xf) full=1; exact=1 ;; esac
  shift
done
pattern=$1; found=1
for d in /proc/[0-9]*; do
  pid=\${d#/proc/}
  [ "$pid" = "$$" ] && continue
  if [ "$full" = 1 ]; then cmd=$($BB tr '\\0' ' ' < "$d/cmdline" 2>/dev/null); cmd=\${cmd% }
  else cmd=$($BB tr '\\0' '\\n' < "$d/cmdline" 2>/dev/null | $BB head -n 1); fi
  [ -n "$cmd" ] || cmd=$($BB cat "$d/comm" 2>/dev/null)
  [ -n "$cmd" ] || continue
  if [ "$exact" = 1 ]; then printf '%s\\n' "$cmd" | $BB grep -qxE -e "$pattern" || continue
  else printf '%s\\n' "$cmd" | $BB grep -qE -e "$pattern" || continue; fi
  echo "$pid"; found=0
done
exit $found
`;

/** The image's own busybox (Nextcloud ships busybox-static for cron): its applets, with pgrep and wget as above. */
export const BUSYBOX = `${SHEBANG}
case "$1" in
  pgrep) shift; exec /standin/cmd/pgrep "$@" ;;
  wget) shift; exec /standin/cmd/wget "$@" ;;
esac
exec /standin/busybox "$@"
`;

/** bash, for images that ship it: busybox's sh (the lab's checks use nothing bash-only). */
export const BASH = `${SHEBANG}
exec /standin/busybox sh "$@"
`;

/** Nextcloud's cron.sh, with upstream's behaviour: busybox's crond in the foreground, logging to PID 1's output. */
export const CRON_SH = `${SHEBANG}
set -eu
exec busybox crond -f -l 0 -L /proc/1/fd/1
`;

/** Serves the health paths as directories with an index (so /metrics is text/plain for Prometheus). */
export const HTTPD_CONF = `I:index.prom
.prom:text/plain; version=0.0.4
`;

export const METRICS = `# HELP standin_up The lab twin's stand-in for this image is up.
# TYPE standin_up gauge
standin_up 1
`;
