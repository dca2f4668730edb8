/**
 * The start page's stand-in (the image of the lab's `start-page` service): Homepage's HTTP
 * front on its port, answering as Homepage does from the mounted configuration, and nothing else.
 *
 * What Homepage does (gethomepage/homepage v1.12.3, read 2026-12-08):
 * - src/middleware.js: every `/api/*` request whose Host header is not `localhost:<PORT>`,
 *   `127.0.0.1:<PORT>`, `[::1]:<PORT>` or one of HOMEPAGE_ALLOWED_HOSTS (comma-separated; `*`
 *   allows all) is answered 400 `{"error":"Host validation failed. See logs for more details."}`.
 * - src/pages/api/healthcheck.js: `up`.
 * - src/utils/config/config.js, checkAndCopyConfig: each configuration file a request reads is
 *   copied from the skeleton when missing; when the copy fails (a read-only folder) the server
 *   logs "Failed to initialize required config" and exits 1.
 * - src/utils/logger.js with winston 3.19's File transport: unless LOG_TARGETS is `stdout`, the
 *   first logger made creates <config>/logs and throws when it cannot (mkdirSync, EROFS): an API
 *   route whose module makes a logger answers 500; the page renders with nothing on it.
 * - src/utils/config/api-response.js, servicesResponse: services.yaml with every
 *   `{{HOMEPAGE_FILE_<NAME>}}` replaced by the file HOMEPAGE_FILE_<NAME> names (a file it cannot
 *   read makes the whole file fail: "Failed to load services.yaml", and no service is listed);
 *   each group as `{name, services: [{name, href, description, icon, widget: {type}}]}` (the
 *   widget's other settings stay on the server: cleanServiceGroups).
 * - which files each request reads: `/` (getStaticProps) settings, services, docker, kubernetes,
 *   bookmarks, widgets; `/api/services` settings, services, docker, kubernetes; `/api/validate`
 *   docker, settings, services, bookmarks, kubernetes, proxmox; `/api/hash` docker, settings,
 *   services, bookmarks, widgets, custom.css, custom.js.
 *
 * The reader takes services.yaml in block style as the lab renders it (groups of services, a
 * service's href, description, icon and widget): anything else makes it answer 500 naming the
 * line, rather than guess. The widget's own API call (`/api/services/proxy`) is not served.
 */

const SHEBANG = '#!/standin/busybox sh';

/** services.yaml to `group<TAB>name<TAB>field<TAB>value` lines, or `error<TAB>why`. */
export const SERVICES_AWK = String.raw`
function unq(v) { sub(/^[ \t]+/, "", v); sub(/[ \t]+$/, "", v); if (v ~ /^'.*'$/ || v ~ /^".*"$/) v = substr(v, 2, length(v) - 2); return v }
function bad(why) { print "error\tservices.yaml line " NR ": " why; failed = 1; exit 1 }
/^[ \t]*#/ || /^[ \t]*$/ { next }
/^- [^ :][^:]*:[ \t]*$/ { g = $0; sub(/^- /, "", g); sub(/:[ \t]*$/, "", g); s = ""; w = 0; print g "\t\tgroup\t"; next }
/^    - [^ :][^:]*:[ \t]*$/ { if (g == "") bad("a service outside a group"); s = $0; sub(/^    - /, "", s); sub(/:[ \t]*$/, "", s); w = 0; print g "\t" s "\tservice\t"; next }
/^        (href|description|icon):[ \t]/ { if (s == "") bad("a setting outside a service"); k = $0; sub(/^ +/, "", k); sub(/:.*/, "", k); v = $0; sub(/^[^:]*:/, "", v); w = 0; print g "\t" s "\t" k "\t" unq(v); next }
/^        widget:[ \t]*$/ { if (s == "") bad("a widget outside a service"); w = 1; next }
/^          (type|url|key):[ \t]/ { if (!w) bad("a widget setting outside a widget"); k = $0; sub(/^ +/, "", k); sub(/:.*/, "", k); v = $0; sub(/^[^:]*:/, "", v); print g "\t" s "\twidget." k "\t" unq(v); next }
{ bad("not read by the stand-in: " $0) }
END { if (failed) exit 1 }
`;

/** The front of the start page's port, run per connection by `nc -ll -e`. */
export const HOMEPAGE_FRONT = `${SHEBANG}
BB=/standin/busybox
cr=$(printf '\\r')
CONF=\${HOMEPAGE_CONFIG_DIR:-/app/config}
PORT=\${PORT:-3000}
IFS= read -r line || exit 0
line=\${line%$cr}
path=\${line#* }; path=\${path%% *}; route=\${path%%\\?*}
host=''
while IFS= read -r l; do
  l=\${l%$cr}
  [ -z "$l" ] && break
  case "$l" in [Hh][Oo][Ss][Tt]:*) host=\${l#*:}; host=\${host# } ;; esac
done
log() { echo "standin homepage: $*" > /proc/1/fd/2; }
answer() {
  n=$(printf '%s' "$3" | $BB wc -c)
  printf 'HTTP/1.1 %s\\r\\nContent-Type: %s\\r\\nContent-Length: %s\\r\\nConnection: close\\r\\n\\r\\n%s' "$1" "$2" "$n" "$3"
  exit 0
}
# src/middleware.js: the Host check on /api/*.
case "$route" in /api/*)
  ok=0
  [ "$HOMEPAGE_ALLOWED_HOSTS" = '*' ] && ok=1
  old=$IFS; IFS=,; set -f
  for a in "localhost:$PORT" "127.0.0.1:$PORT" "[::1]:$PORT" $HOMEPAGE_ALLOWED_HOSTS; do [ -n "$host" ] && [ "$a" = "$host" ] && ok=1; done
  IFS=$old; set +f
  if [ "$ok" = 0 ]; then
    log "Host validation failed for: $host. Hint: Set the HOMEPAGE_ALLOWED_HOSTS environment variable to allow requests from this host / port."
    answer '400 Bad Request' application/json '{"error":"Host validation failed. See logs for more details."}'
  fi
  ;;
esac
[ "$route" = /api/healthcheck ] && answer '200 OK' text/plain up
# checkAndCopyConfig: a missing file is copied from the skeleton, or the server exits.
need() {
  for f in "$@"; do
    [ -e "$CONF/$f" ] && continue
    if ! $BB touch "$CONF/$f" 2>/dev/null; then
      log "❌ Failed to initialize required config: $CONF/$f (Hint: Make /app/config writable or manually place the config file.)"
      kill -USR1 1
      exit 0
    fi
  done
}
# logger.js: the file transport makes <config>/logs unless LOG_TARGETS is stdout.
logger_ok() {
  [ "$LOG_TARGETS" = stdout ] && return 0
  [ -d "$CONF/logs" ] && return 0
  $BB mkdir -p "$CONF/logs" 2>/dev/null
}
# servicesResponse: services.yaml with HOMEPAGE_FILE_ substituted, as JSON groups.
services() {
  text=$($BB cat "$CONF/services.yaml") || { log "Failed to load services.yaml"; echo '[]'; return; }
  # Upstream reads every HOMEPAGE_FILE_ file once the text has a {{ at all, used or not.
  for v in $(case "$text" in *'{{'*) $BB env | $BB sed -n 's/^\\(HOMEPAGE_FILE_[A-Za-z0-9_]*\\)=.*/\\1/p' ;; esac); do
    eval "file=\\\${$v}"
    if ! value=$($BB cat "$file" 2>/dev/null); then
      log "Failed to load services.yaml, please check for errors: ENOENT or EACCES reading $file ($v) as $($BB id -u):$($BB id -g)"
      echo '[]'
      return
    fi
    text=$(printf '%s' "$text" | $BB awk -v k="{{$v}}" -v r="$value" '{ while ((i = index($0, k)) > 0) $0 = substr($0, 1, i - 1) r substr($0, i + length(k)); print }')
  done
  rows=$(printf '%s\\n' "$text" | $BB awk -f /standin/services.awk) || { log "$(printf '%s' "$rows" | $BB sed -n 's/^error\\t//p')"; echo 'STANDIN-ERROR'; return; }
  printf '%s\\n' "$rows" | $BB awk -F '\\t' '
    function q(v) { gsub(/\\\\/, "\\\\\\\\", v); gsub(/"/, "\\\\\\"", v); return "\\"" v "\\"" }
    function close_service() { if (open_s) { printf "%s}", (wt != "" ? ",\\"widget\\":{\\"type\\":" q(wt) "}" : ""); open_s = 0 } }
    function close_group() { close_service(); if (open_g) { printf "]}"; open_g = 0 } }
    BEGIN { printf "["; ng = 0 }
    $3 == "group" { close_group(); printf "%s{\\"name\\":%s,\\"services\\":[", (ng++ ? "," : ""), q($1); open_g = 1; ns = 0; next }
    $3 == "service" { close_service(); printf "%s{\\"name\\":%s", (ns++ ? "," : ""), q($2); open_s = 1; wt = ""; next }
    $3 == "widget.type" { wt = $4; next }
    $3 ~ /^widget\\./ { next }
    { printf ",%s:%s", q($3), q($4) }
    END { close_group(); printf "]" }'
}
case "$route" in
  /api/services)
    need settings.yaml services.yaml docker.yaml kubernetes.yaml
    logger_ok || answer '500 Internal Server Error' text/plain "EROFS: read-only file system, mkdir '$CONF/logs'"
    body=$(services)
    [ "$body" = STANDIN-ERROR ] && answer '500 Internal Server Error' text/plain 'standin: services.yaml is not read by the stand-in (see the log)'
    answer '200 OK' application/json "$body"
    ;;
  /api/validate)
    need docker.yaml settings.yaml services.yaml bookmarks.yaml kubernetes.yaml proxmox.yaml
    answer '200 OK' application/json '[]'
    ;;
  /api/hash)
    need docker.yaml settings.yaml services.yaml bookmarks.yaml widgets.yaml custom.css custom.js
    answer '200 OK' application/json "{\\"hash\\":\\"$($BB cat "$CONF/docker.yaml" "$CONF/settings.yaml" "$CONF/services.yaml" "$CONF/bookmarks.yaml" "$CONF/widgets.yaml" "$CONF/custom.css" "$CONF/custom.js" | $BB sha256sum | $BB cut -d ' ' -f 1)\\"}"
    ;;
  /)
    need settings.yaml services.yaml docker.yaml kubernetes.yaml bookmarks.yaml widgets.yaml
    logger_ok || answer '200 OK' text/html '<!doctype html><title>Homepage</title><main></main>'
    answer '200 OK' text/html "<!doctype html><title>Homepage</title><script id=\\"__NEXT_DATA__\\" type=\\"application/json\\">$(services)</script>"
    ;;
  /api/*) answer '404 Not Found' application/json '{"error":"not served by the stand-in"}' ;;
  *) answer '404 Not Found' text/plain 'not found' ;;
esac
`;
