#!/usr/bin/env bash
# Runs every test on SQLite and on a throwaway PostgreSQL 15 (loopback only), then prints
# "N passed, N failed" as its last line. Extra arguments go to `dotnet test` (e.g. --filter X).
#   --no-postgres   do not start PostgreSQL (its tests will then fail, loudly)
set -uo pipefail
cd "$(dirname "$0")/.."

start_postgres=1
started_postgres=0
args=()
for a in "$@"; do
  if [[ $a == --no-postgres ]]; then start_postgres=0; else args+=("$a"); fi
done

PGPORT=${ENSEMBLE_TEST_PGPORT:-55432}
PGROOT=${ENSEMBLE_TEST_PGROOT:-/tmp/ensemble-pg}
PGPASSWORD_TEST=ensemble-test   # a throwaway local test cluster, not a secret

find_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

if ((start_postgres)); then
  PGBIN=$(find_pg_bin)
  if [[ -z $PGBIN ]]; then
    if [[ $(id -u) == 0 ]]; then
      echo "Installing PostgreSQL (Debian package)…"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
      PGBIN=$(find_pg_bin)
    fi
    if [[ -z $PGBIN ]]; then
      echo "PostgreSQL is not installed: install the 'postgresql' package (or run as root to let this script do it), or pass --no-postgres." >&2
      exit 2
    fi
  fi

  as_pg=()
  if [[ $(id -u) == 0 ]]; then as_pg=(runuser -u postgres --); fi
  if ! "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$PGROOT/data" status >/dev/null 2>&1; then
    # Not running: start from an empty cluster. Reusing a stopped or crashed one would cost a
    # crash recovery over every database earlier runs left behind, which can outlast the start timeout.
    rm -rf "$PGROOT/data" "$PGROOT/log"
    started_postgres=1
  fi
  mkdir -p "$PGROOT"
  [[ $(id -u) == 0 ]] && chown postgres:postgres "$PGROOT"
  if [[ ! -f $PGROOT/data/PG_VERSION ]]; then
    echo "$PGPASSWORD_TEST" > "$PGROOT/pw"
    [[ $(id -u) == 0 ]] && chown postgres "$PGROOT/pw"
    "${as_pg[@]}" "$PGBIN/initdb" -D "$PGROOT/data" -U postgres --pwfile="$PGROOT/pw" \
      --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null || { echo "initdb failed" >&2; exit 2; }
  fi
  if ((started_postgres)); then
    "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/log" -w -t 120 \
      -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGROOT -c max_connections=300" start >/dev/null \
      || { echo "PostgreSQL did not start; see $PGROOT/log" >&2; exit 2; }
  fi
  # DROP DATABASE waits for a checkpoint; with the browser tests running beside the two-node test on a slow disk
  # that took longer than Npgsql's default 30 s once. Statements get five minutes here; a test still fails on its own.
  export ENSEMBLE_TEST_POSTGRES="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Password=$PGPASSWORD_TEST;Database=postgres;Command Timeout=300"
fi

# Email tests send to a real SMTP server: Debian's aiosmtpd, started by the tests themselves.
if ! /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null; then
  if [[ $(id -u) == 0 ]]; then
    echo "Installing aiosmtpd (Debian package) for the email tests…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-aiosmtpd >/dev/null
  else
    echo "The email tests need Debian's python3-aiosmtpd package; they will fail without it." >&2
  fi
fi

# Browser tests drive Debian's Chromium (or the one ENSEMBLE_CHROMIUM names) headless through Playwright.
if [[ -z ${ENSEMBLE_CHROMIUM:-} && ! -x /usr/lib/chromium/chromium ]]; then
  if [[ $(id -u) == 0 ]]; then
    echo "Installing Chromium (Debian package) for the browser tests…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
  else
    echo "The browser tests need Debian's chromium package (or ENSEMBLE_CHROMIUM naming a Chromium); they will fail without it." >&2
  fi
fi

# SQLite test databases from runs more than a day old (a crashed run cannot clean up after itself).
find "${TMPDIR:-/tmp}/ensemble-tests" -mindepth 1 -mmin +1440 -delete 2>/dev/null

# The CLI tests start the `ensemble` program hundreds of times. Published ahead-of-time compiled (ReadyToRun), as a
# user would install it, each start costs about half the CPU that JIT-compiling EF Core afresh does. Without it (say,
# offline with no crossgen package) the tests run the plain build instead.
# The runtime is named with -r, which (unlike --use-current-runtime) leaves the libraries built as the tests build them.
cli=artifacts/test-cli
rid=$(dotnet --info | awk '/^ *RID:/ { print $2; exit }')
if [[ -n $rid ]] && dotnet publish src/Ensemble.Cli -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true -o "$cli" >"${TMPDIR:-/tmp}/ensemble-cli-publish.log" 2>&1; then
  export ENSEMBLE_TEST_CLI=$PWD/$cli/ensemble.dll
else
  echo "Publishing the CLI ahead-of-time compiled failed (see ${TMPDIR:-/tmp}/ensemble-cli-publish.log); the CLI tests run the plain build." >&2
fi

results=$(mktemp -d /tmp/ensemble-test-results.XXXXXX)
dotnet test Ensemble.slnx -c Release --logger "trx;LogFilePrefix=r" --results-directory "$results" "${args[@]}"
code=$?

passed=0; failed=0; skipped=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  p=$(get passed); f=$(get failed); n=$(get notExecuted); e=$(get error); t=$(get timeout); a=$(get aborted)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0} + ${a:-0})); skipped=$((skipped + ${n:-0}))
done

if ((code != 0 && failed == 0)); then
  # The build or a test host failed before any result was written.
  failed=1
fi

# A cluster this run started is stopped again, so the next run starts from an empty one.
if ((start_postgres && started_postgres)); then
  "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$PGROOT/data" stop -m fast >/dev/null 2>&1
fi

line="$passed passed, $failed failed"
((skipped > 0)) && line+=", $skipped skipped"
echo "$line"
((failed == 0 && code == 0)) && exit 0 || exit 1
