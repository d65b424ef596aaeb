# Sourced by the suites and the bench: one fresh database of the engine for a run.
#   engine_setup ENGINE WORK   ENGINE is sqlite or postgres. Sets engine_settings (the service's --Database:... arguments)
#                              and engine_description; db_sql runs SQL from stdin and prints rows, fields split by spaces.
#                              Called again (scripts/bench-ab: one database a build), it makes another database; the
#                              variables then describe the newest one.
#   engine_cleanup             drops the databases, and stops the PostgreSQL server if engine_setup started it.
# PostgreSQL: the server of PG_PORT (from scripts/postgres start) when set, else a server of its own, started and stopped
# here; a new database on it named for the run.
engine_databases=()
engine_setup() {
  engine=$1; local work=$2
  case "$engine" in
    sqlite)
      engine_db="$work/aidtracker.db"
      engine_settings=(--Database:Path="$engine_db")
      engine_description="SQLite file"
      db_sql() { sqlite3 -separator ' ' "$engine_db"; }
      ;;
    postgres)
      engine_own_server=${engine_own_server:-}
      if [ -z "${PG_PORT:-}" ]; then eval "$(scripts/postgres start)"; engine_own_server=$PG_FOLDER; fi
      engine_name="aidtracker_run_$(date +%s)_$RANDOM"
      engine_databases+=("$engine_name")
      psql -X -q "postgresql://aidtracker@127.0.0.1:$PG_PORT/postgres" -c "CREATE DATABASE $engine_name"
      engine_url="postgresql://aidtracker@127.0.0.1:$PG_PORT/$engine_name"
      # psql, the bench's baseline, runs the service's statements with the service's session settings
      # (SessionOptions in src/AidTracker.Api/Storage/Postgres/PostgresDatabase.cs): no JIT.
      export PGOPTIONS="-c jit=off"
      engine_settings=(--Database:Provider=postgres "--Database:ConnectionString=Host=127.0.0.1;Port=$PG_PORT;Username=aidtracker;Database=$engine_name" --Database:Path="$work/aidtracker.db")
      engine_description="PostgreSQL $(psql -X -tA "$engine_url" -c 'SHOW server_version' | cut -d' ' -f1) on 127.0.0.1"
      db_sql() { psql -X -q -t -A -F ' ' -v ON_ERROR_STOP=1 "$engine_url"; }
      ;;
    *) echo "engine: '$engine' is neither sqlite nor postgres" >&2; return 2 ;;
  esac
}

engine_cleanup() {
  if [ "${engine:-}" = postgres ]; then
    local name
    for name in "${engine_databases[@]}"; do
      psql -X -q "postgresql://aidtracker@127.0.0.1:$PG_PORT/postgres" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1 || true
    done
    [ -z "${engine_own_server:-}" ] || scripts/postgres stop "$engine_own_server"
  fi
}
