/**
 * The entrypoints of the real-daemon images (real.ts): our own small scripts that start Debian's
 * daemon the way the official image's docker-entrypoint.sh does, as far as the lab relies on it.
 * Behaviour learnt from (read 2026-12-07):
 * - redis: redis/docker-library-redis alpine/docker-entrypoint.sh and alpine/Dockerfile;
 * - postgres: docker-library/postgres docker-entrypoint.sh (file_env, docker_setup_env,
 *   docker_create_db_directories, the re-exec as postgres, docker_init_database_dir,
 *   pg_setup_hba_conf, docker_setup_db, docker_process_init_files with the temporary server on the
 *   Unix socket alone) and its Dockerfile (listen_addresses = '*').
 */

/**
 * redis-server / valkey-server. As upstream's: options or a .conf file as the first argument run
 * the server with them; as root it gives the working directory (/data) to the daemon's user and
 * re-executes itself as that user (su-exec there, setpriv here); umask 0077 when it is the
 * default. The official image builds redis with protected mode off ("unnecessary in context of
 * Docker"); Debian's is on, so the server is given `--protected-mode no` first (compose's
 * arguments come after it and win).
 */
export function redisEntrypoint(uid: number, gid: number): string {
  return `#!/bin/sh
set -e
case "$1" in -* | *.conf) set -- redis-server "$@" ;; esac
case "$1" in
  redis-server | valkey-server)
    if [ "$(id -u)" = 0 ]; then
      find . \\! -user ${uid} -exec chown ${uid}:${gid} '{}' +
      exec setpriv --reuid=${uid} --regid=${gid} --clear-groups "$0" "$@"
    fi
    [ "$(umask)" = 0022 ] && umask 0077
    server=$1; shift
    set -- "$server" --protected-mode no "$@"
    ;;
esac
exec "$@"
`;
}

/**
 * postgres. As upstream's: the first argument an option runs postgres with it; `*_FILE` settings
 * are read (both a value and its file is an error) BEFORE the drop to the postgres user, so as
 * the user the container starts as (root unless compose's \`user\`); as root it makes PGDATA
 * (0700) and /var/run/postgresql (3777) the postgres user's and re-executes itself as that user.
 * An empty PGDATA is initialised: initdb with POSTGRES_USER as superuser and the password from
 * POSTGRES_PASSWORD (no password is an error), POSTGRES_INITDB_ARGS, `host all all all
 * scram-sha-256` in pg_hba.conf, then a socket-only temporary server creates POSTGRES_DB (when it
 * is not `postgres`) and stops. Then postgres runs in the foreground.
 */
export const POSTGRES_ENTRYPOINT = `#!/bin/bash
set -Eeo pipefail
file_env() {
  local var=$1 file="$1_FILE" def=\${2:-}
  if [ -n "\${!var:-}" ] && [ -n "\${!file:-}" ]; then
    echo >&2 "error: both $var and $file are set (but are exclusive)"
    exit 1
  fi
  local val=$def
  if [ -n "\${!var:-}" ]; then val=\${!var}; elif [ -n "\${!file:-}" ]; then val=$(< "\${!file}"); fi
  export "$var"="$val"
  unset "$file"
}
case "$1" in -*) set -- postgres "$@" ;; esac
[ "$1" = postgres ] || exec "$@"
export PGDATA=\${PGDATA:-/var/lib/postgresql/data}
file_env POSTGRES_PASSWORD
file_env POSTGRES_USER postgres
file_env POSTGRES_DB "$POSTGRES_USER"
file_env POSTGRES_INITDB_ARGS
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA"
  chmod 00700 "$PGDATA" || :
  find "$PGDATA" \\! -user postgres -exec chown postgres '{}' +
  mkdir -p /var/run/postgresql
  chown postgres /var/run/postgresql
  chmod 3777 /var/run/postgresql
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$BASH_SOURCE" "$@"
fi
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "$POSTGRES_PASSWORD" ]; then
    echo >&2 'Error: Database is uninitialized and superuser password is not specified.'
    exit 1
  fi
  mkdir -p "$PGDATA"
  chmod 00700 "$PGDATA"
  # shellcheck disable=SC2086
  initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\\n' "$POSTGRES_PASSWORD") $POSTGRES_INITDB_ARGS
  printf '\\nhost all all all scram-sha-256\\n' >> "$PGDATA/pg_hba.conf"
  # pg_ctl waits 60 s for the temporary server by default (PGCTLTIMEOUT); the official entrypoint
  # keeps that default. The twin runs beside its other tiers on two cores: a generous bound here,
  # or a slow initdb is killed midway and the server starts in crash recovery (seen in .ci/run).
  export PGCTLTIMEOUT="\${PGCTLTIMEOUT:-600}"
  PGUSER=$POSTGRES_USER PGPASSWORD=$POSTGRES_PASSWORD pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w start
  if [ "$POSTGRES_DB" != postgres ]; then
    PGPASSWORD=$POSTGRES_PASSWORD psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --dbname postgres --set db="$POSTGRES_DB" <<< 'CREATE DATABASE :"db";'
  fi
  # docker_process_init_files: each file of /docker-entrypoint-initdb.d in order, while the
  # temporary server (the Unix socket alone) runs: a .sh executed (sourced when not executable),
  # a .sql read by psql into POSTGRES_DB.
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh) if [ -x "$f" ]; then echo "running $f"; "$f"; else echo "sourcing $f"; . "$f"; fi ;;
      *.sql) echo "running $f"; PGPASSWORD=$POSTGRES_PASSWORD psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --dbname "$POSTGRES_DB" -f "$f" ;;
      *) if [ -e "$f" ]; then echo "ignoring $f"; fi ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop
  echo 'PostgreSQL init process complete; ready for start up.'
fi
exec "$@"
`;

/**
 * /bin/alertmanager of the real-daemon image: Debian's prometheus-alertmanager is 0.25.0, and a
 * file the lab renders for its newer image may use `<field>_file` settings 0.25 rejects
 * ("field url_file not found"). `inlined` lists them (the kit's RECEIVER_FORMS newer than 0.25.0).
 * This wrapper feeds 0.25 the rendered file with each such `<field>_file: PATH` line written as
 * `<field>: <the file's content>` (read as the container's user). The newer Alertmanager reads
 * such a file only when it notifies, so a file it cannot read, or a `*url_file` that holds no
 * http(s) URL (which 0.25 would reject at load), becomes an unroutable URL and a warning: the
 * container starts as the newer one does, and its notifications fail as the newer one's would.
 * in /tmp, and runs Debian's binary on it with every other argument as given. Nothing else of
 * the file changes.
 */
export function alertmanager025(inlined: readonly string[]): string {
  return `#!/bin/sh
set -e
config=/etc/alertmanager/alertmanager.yml
for a in "$@"; do case "$a" in --config.file=*) config=\${a#*=} ;; esac; done
fed=/tmp/alertmanager-0.25.yml
: > "$fed"
while IFS= read -r line; do
  case "$line" in
${inlined.map((f) => `    *'${f}: '*)
      path=\${line#*${f}: }
      if value=$(cat "$path" 2>/dev/null); then :; else
        echo "twin: cannot read $path as $(id -u):$(id -g) (${f}): Alertmanager fails each notification to it" >&2
        value=http://127.0.0.1:1/unreadable-secret
      fi${f.endsWith('url_file') ? `
      case "$value" in http://* | https://*) ;; *)
        echo "twin: $path is not a URL (${f}): Alertmanager fails each notification to it" >&2
        value=http://127.0.0.1:1/not-a-url ;;
      esac` : ''}
      printf '%s%s: %s\\n' "\${line%%${f}: *}" "${f.replace(/_file$/, '')}" "'$(printf '%s' "$value" | sed "s/'/''/g")'" >> "$fed"
      echo "twin: alertmanager 0.25 reads ${f.replace(/_file$/, '')} inline from $path (${f} is newer than 0.25)" >&2
      ;;`).join('\n')}
    *) printf '%s\\n' "$line" >> "$fed" ;;
  esac
done < "$config"
given=0
for a in "$@"; do
  case "$a" in --config.file=*) a=--config.file=$fed; given=1 ;; esac
  set -- "$@" "$a"
  shift
done
[ "$given" = 1 ] || set -- "$@" "--config.file=$fed"
exec /usr/bin/prometheus-alertmanager "$@"
`;
}
