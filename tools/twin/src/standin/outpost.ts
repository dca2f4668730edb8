/**
 * The embedded outpost of the authentik stand-in: the forward-auth endpoint Traefik asks
 * (`/outpost.goauthentik.io/auth/traefik`), answering as authentik's does from the blueprint
 * files mounted into the container, and nothing else.
 *
 * What authentik does (read 2026-12-07 in goauthentik/authentik):
 * - internal/outpost/proxyv2/handlers.go, `Handle`: a request whose host no application of the
 *   outpost serves is logged "no app for hostname" and answered 400.
 * - the outpost serves the proxy providers in its `providers` list that an application uses
 *   (authentik/providers/proxy/api.py, the outpost's provider list: `application__isnull=False`);
 *   `lookupApp` matches `forward_single` providers by the host of `external_host`, and
 *   `forward_domain` ones by the host ending in `cookie_domain`.
 * - internal/outpost/proxyv2/application/mode_forward.go: Traefik's endpoint answers a request
 *   without a session with a redirect to `<external_host>/outpost.goauthentik.io/start?rd=...`.
 * - blueprints are read from every `*.yaml` under /blueprints (AUTHENTIK_BLUEPRINTS_DIR,
 *   authentik/lib/default.yml; custom ones conventionally in /blueprints/custom,
 *   website/docs/customize/blueprints/index.mdx); an entry with `state: absent` is removed.
 *
 * The stand-in's reader takes block-style YAML only (what the lab renders, and authentik's own
 * examples): a file it cannot read entirely (flow mappings, anchors, multi-document) makes it
 * answer 500 naming the file, rather than guess.
 */

/** The path of Traefik's forward-auth endpoint on the outpost (authentik docs: proxy provider, Traefik). */
export const OUTPOST_TRAEFIK_PATH = '/outpost.goauthentik.io/auth/traefik';
/** Where authentik reads blueprints from (AUTHENTIK_BLUEPRINTS_DIR's default). */
export const BLUEPRINTS_DIR = '/blueprints';
/** The embedded outpost's `managed` identifier (authentik/outposts/apps.py, MANAGED_OUTPOST). */
export const EMBEDDED_OUTPOST = 'goauthentik.io/outposts/embedded';

const SHEBANG = '#!/standin/busybox sh';

/**
 * The front of the outpost's port: busybox httpd has no way to run a program for a path outside
 * /cgi-bin, so `nc -ll -e` runs this per connection: it reads the request head, sends Traefik's
 * endpoint to /cgi-bin/outpost-traefik and everything else unchanged to `httpd -i` (the same
 * pages as every other port).
 */
export const OUTPOST_FRONT = `${SHEBANG}
BB=/standin/busybox
cr=$(printf '\\r')
IFS= read -r line || exit 0
case "$line" in
  "GET ${OUTPOST_TRAEFIK_PATH} "* | "GET ${OUTPOST_TRAEFIK_PATH}?"*) line="GET /cgi-bin/outpost-traefik\${line#GET ${OUTPOST_TRAEFIK_PATH}}" ;;
esac
req="$line
"
while IFS= read -r l; do
  req="$req$l
"
  [ "\${l%$cr}" = "" ] && break
done
printf '%s' "$req" | $BB httpd -i -h /standin/www -c /standin/httpd.conf
`;

/**
 * The blueprint reader (busybox awk): prints `host<TAB>external_host` for every host the
 * embedded outpost covers, or `error<TAB>why` for a file it cannot read.
 */
export const BLUEPRINT_AWK = String.raw`
function unq(v) { sub(/^[ \t]+/, "", v); sub(/[ \t]+#.*$/, "", v); sub(/[ \t]+$/, "", v); if (v ~ /^'.*'$/ || v ~ /^".*"$/) v = substr(v, 2, length(v) - 2); return v }
function bad(why) { print "error\t" FILENAME ": " why; failed = 1; exit 1 }
function keyof(v) { v = unq(v); if (v !~ /^!KeyOf[ \t]/) bad("a provider referenced other than by !KeyOf: " v); sub(/^!KeyOf[ \t]+/, "", v); return unq(v) }
function flush() {
  if (model != "" && state != "absent") {
    if (model == "authentik_providers_proxy.proxyprovider" && eid != "") { pmode[eid] = a["mode"]; phost[eid] = a["external_host"]; pcookie[eid] = a["cookie_domain"] }
    if (model == "authentik_core.application" && a["provider"] != "") { used[a["provider"]] = 1; if (eid != "") { appof[a["provider"]] = eid; amode[eid] = (a["policy_engine_mode"] == "" ? "any" : a["policy_engine_mode"]) } }
    if (model == "authentik_core.group" && eid != "") gname[eid] = ident["name"]
    if (model == "authentik_policies.policybinding" && ident["target"] != "") { t = ident["target"]; sub(/^!KeyOf[ \t]+/, "", t); g = ident["group"]; sub(/^!KeyOf[ \t]+/, "", g); nb++; btarget[nb] = t; bgroup[nb] = g }
    if (model == "authentik_outposts.outpost" && ident["managed"] == "${EMBEDDED_OUTPOST}") for (k in plist) served[k] = 1
  }
  model = ""; eid = ""; state = ""; section = ""; listkey = ""
  for (k in a) delete a[k]
  for (k in ident) delete ident[k]
  for (k in plist) delete plist[k]
}
FNR == 1 { flush(); inentries = 0; entind = "" }
/^[ \t]*#/ || /^[ \t]*$/ { next }
/^---/ { if (FNR > 1) bad("more than one document"); next }
/:[ \t]+[&*]/ || /^[ \t]*- [&*]/ || /<<:/ { bad("anchors, aliases and merges are not read") }
/^entries:/ { inentries = 1; next }
/^[^ -]/ { inentries = 0; next }
!inentries { next }
match($0, /^ *- /) && (entind == "" || RLENGTH - 2 == entind) {
  if (entind == "") entind = RLENGTH - 2
  flush(); base = entind + 2
  $0 = sprintf("%" base "s", "") substr($0, RLENGTH + 1)
}
{
  match($0, /^ */); ind = RLENGTH; line = substr($0, ind + 1)
  if (line ~ /^[{[]/ || line ~ /:[ \t]*[{]/) bad("flow mappings are not read")
  if (line ~ /^- /) { if (section == "attrs" && listkey == "providers") plist[keyof(substr(line, 3))] = 1; next }
  k = line; sub(/:.*/, "", k); v = line; sub(/^[^:]*:/, "", v)
  if (ind == base) {
    section = ""; listkey = ""
    if (k == "model") model = unq(v)
    else if (k == "id") eid = unq(v)
    else if (k == "state") state = unq(v)
    else if (k == "identifiers" || k == "attrs") section = k
  } else if (ind == base + 2 && section != "") {
    listkey = ""
    if (section == "identifiers") ident[k] = unq(v)
    else if (k == "provider") a[k] = keyof(v)
    else if (k == "providers" && unq(v) == "") listkey = k
    else a[k] = unq(v)
  }
}
END {
  if (failed) exit 1
  flush()
  for (id in pmode) {
    if (!(id in served) || !(id in used)) continue
    h = phost[id]; sub(/^[a-z]+:\/\//, "", h); sub(/[\/:].*$/, "", h)
    if (pmode[id] == "forward_single") print "host\t" h "\t" phost[id]
    else if (pmode[id] == "forward_domain") print "domain\t" pcookie[id] "\t" phost[id]
    # Who may use it: the groups the application's policy bindings name (none: every user), and
    # whether one or all of them must pass (policy_engine_mode).
    app = appof[id]; n = 0
    for (i = 1; i <= nb; i++) if (btarget[i] == app) { n++; print "allow\t" h "\t" (bgroup[i] in gname ? gname[bgroup[i]] : "?" bgroup[i]) }
    if (n == 0) print "allow\t" h "\t*"
    print "mode\t" h "\t" amode[app]
  }
}
`;

/**
 * The CGI behind Traefik's endpoint: 400 for a host no provider of the embedded outpost covers,
 * else a 302 to the provider's start URL (the stand-in has no sessions: every request is one
 * without a session).
 */
export const OUTPOST_TRAEFIK_CGI = `${SHEBANG}
BB=/standin/busybox
host=\${HTTP_X_FORWARDED_HOST%%:*}
proto=\${HTTP_X_FORWARDED_PROTO:-https}
uri=\${HTTP_X_FORWARDED_URI:-/}
answer() {
  printf 'Status: %s\\r\\n' "$1"
  [ -z "$2" ] || printf 'Location: %s\\r\\n' "$2"
  printf 'Content-Type: text/plain\\r\\n\\r\\n%s\\n' "$3"
  exit 0
}
files=$($BB find ${BLUEPRINTS_DIR} -name '*.yaml' -type f 2>/dev/null | $BB sort)
covered=''
if [ -n "$files" ]; then
  covered=$($BB awk -f /standin/blueprints.awk $files) || answer '500 Internal Server Error' '' "standin: $(printf '%s' "$covered" | $BB sed -n 's/^error\\t//p')"
fi
external=$(printf '%s\\n' "$covered" | $BB awk -F '\\t' -v h="$host" '($1 == "host" && $2 == h) || ($1 == "domain" && $2 != "" && (h == $2 || substr(h, length(h) - length($2)) == "." $2)) { print $3; exit }')
if [ -z "$host" ] || [ -z "$external" ]; then
  echo "standin outpost: no app for hostname $host" >&2
  answer '400 Bad Request' '' "no app for hostname $host"
fi
# The twin's session: a browser that has signed in as a member of the groups the cookie names
# (twin_session=lab-users,other). authentik authorises the application when the session is made
# (its policy bindings: a group binding passes for a member; policy_engine_mode any or all); a
# user it refuses gets "Permission denied" and no session for the application.
session=$(printf '%s' "$HTTP_COOKIE" | $BB tr ';' '\\n' | $BB sed -n 's/^ *twin_session=//p' | $BB head -n 1)
[ -n "$session" ] || answer '302 Found' "\${external%/}/outpost.goauthentik.io/start?rd=$proto://$host$uri" ''
decision=$(printf '%s\\n' "$covered" | $BB awk -F '\\t' -v h="$host" -v mine=",$session," '
  $2 != h { next }
  $1 == "mode" { mode = $3; next }
  $1 == "allow" { n++; if ($3 == "*" || index(mine, "," $3 ",") > 0) ok++ }
  END { if (n == 0) print "deny"; else if (mode == "all" ? ok == n : ok > 0) print "allow"; else print "deny" }')
if [ "$decision" = allow ]; then
  printf 'Status: 200 OK\\r\\nX-authentik-username: twin\\r\\nX-authentik-groups: %s\\r\\nContent-Type: text/plain\\r\\n\\r\\n' "$(printf '%s' "$session" | $BB tr ',' '|')"
  exit 0
fi
echo "standin outpost: permission denied for $session at $host" >&2
answer '403 Forbidden' '' 'Permission denied'
`;
