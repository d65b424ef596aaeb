# Sourced by the scripts that run the service (bench, bench-ab, the suites, the memory and browser checks): one way to
# build it, start it on a free loopback port, wait until it is ready, and stop it. Beside scripts/engine.sh, which
# makes the database a run uses.
#   service_build                 dotnet build of the Release output that service_dll names
#   service_start [--dll DLL] [--port PORT] [--log FILE] [--prefix] -- SETTINGS...
#                                 starts `dotnet DLL --urls http://127.0.0.1:PORT SETTINGS...` in the background, its
#                                 stdout and stderr appended to FILE (default: $work/service.log, the caller's work
#                                 folder), and waits until /health/ready answers 200 from this process (ss names the
#                                 port's listener; where ss is missing or shows no process, the answer and this
#                                 process running suffice). PORT, unless given, is a free one outside the kernel's
#                                 ephemeral range (below it where there is room, else above it); if another process
#                                 takes it first, another is tried. A given PORT that is taken is an error. Sets
#                                 service_pid, service_port, service_base (http://127.0.0.1:PORT), service_log and
#                                 service_ready_ms (from start to ready). If the process exits, or is not ready within
#                                 service_timeout seconds (120), prints the log's tail and returns 1.
#                                 --prefix: the words of the array service_prefix go before `dotnet` (for example
#                                 `env TMPDIR=... strace -f ...`); service_pid is then the prefix's process, and the
#                                 service is its child.
#   service_stop [--kill] [PID]   stops PID (default: service_pid) with SIGTERM, or SIGKILL with --kill (a started
#                                 prefix passes the signal to its child), waits until it has exited (SIGKILL after 30 s)
#                                 and reaps it. Returns 0 when there is nothing to stop.
#   service_stop_all [--kill]     stops every process service_start started that is still running (for traps).
# Runs from the repository's root, as the scripts do (cd "$(dirname "$0")/..").

service_dll=src/AidTracker.Api/bin/Release/net10.0/AidTracker.Api.dll
service_timeout=120
service_pid=""
service_prefix=()
service_started=() # every pid service_start started, until service_stop
declare -A service_prefixed=()

service_build() {
  dotnet build src/AidTracker.Api -c Release --nologo -v quiet >/dev/null
}

service_port_taken() { (: <"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Whether PID, or a child of it (the service under a prefix), listens on loopback PORT. Yes when this cannot be told:
# without ss, or when ss names no process (no -p, or no permission to see the owner), the caller's check that the
# process runs and answers is all there is (a service that took the port first then goes unnoticed).
service_listens() {
  command -v ss >/dev/null || return 0
  local listeners p
  listeners=$(ss -Hltnp "sport = :$2" 2>/dev/null) || return 0
  [[ $listeners == *"pid="* ]] || return 0
  for p in "$1" $(pgrep -P "$1" 2>/dev/null); do [[ $listeners == *"pid=$p,"* ]] && return 0; done
  return 1
}

# service_free_port [LOW HIGH]: a port nobody listens on, outside the ephemeral range LOW-HIGH (default: the kernel's),
# where wrk's and curl's own connections take theirs. Below LOW when 1000 ports or more lie between 1024 and LOW (from
# 20000 up when LOW allows, away from the ports of common services), else above HIGH.
service_free_port() {
  local low high from to port
  if [ $# = 2 ]; then low=$1 high=$2; else read -r low high </proc/sys/net/ipv4/ip_local_port_range; fi
  if [ "$low" -gt 2024 ]; then from=$((low > 21000 ? 20000 : 1024)) to=$((low - 1))
  elif [ "$high" -lt 64535 ]; then from=$((high + 1)) to=65535
  else echo "${0##*/}: no room outside the ephemeral port range $low-$high" >&2; return 1; fi
  for _ in $(seq 50); do
    port=$((from + (RANDOM * 32768 + RANDOM) % (to - from + 1)))
    service_port_taken "$port" || { echo "$port"; return 0; }
  done
  echo "${0##*/}: no free loopback port found in $from-$to" >&2
  return 1
}

# Whether PID is a process that has not exited (an exited child that is not yet reaped is a zombie: not running).
service_running() {
  [ -r "/proc/$1/stat" ] && [ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)" != Z ]
}

service_start() {
  local dll=$service_dll port="" log="" prefix=() fixed_port=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --dll) dll=$2; shift 2 ;;
      --port) port=$2; fixed_port=1; shift 2 ;;
      --log) log=$2; shift 2 ;;
      --prefix) prefix=("${service_prefix[@]}"); shift ;;
      --) shift; break ;;
      *) echo "service_start: unknown option $1" >&2; return 2 ;;
    esac
  done
  [ -n "$log" ] || log="${work:?service_start needs --log FILE or \$work}/service.log"
  local attempt started offset status
  for attempt in 1 2 3 4 5; do
    if [ "$fixed_port" = 0 ]; then port=$(service_free_port) || return 1
    elif service_port_taken "$port"; then echo "${0##*/}: port $port is taken on 127.0.0.1" >&2; return 1; fi
    service_port=$port
    service_base="http://127.0.0.1:$port"
    service_log=$log
    offset=$(stat -c %s "$log" 2>/dev/null || echo 0)
    started=$(date +%s%N)
    "${prefix[@]}" dotnet "$dll" --urls "$service_base" "$@" >>"$log" 2>&1 &
    service_pid=$!
    service_started+=("$service_pid")
    [ ${#prefix[@]} = 0 ] || service_prefixed[$service_pid]=1
    # Ready: the process runs, /health/ready answers 200, and the listener on the port is this process (else another
    # service answered: one that took the port between the check and the bind).
    until service_running "$service_pid" && curl -sf --max-time 5 -o /dev/null "$service_base/health/ready" &&
      service_listens "$service_pid" "$port"; do
      if ! service_running "$service_pid"; then
        wait "$service_pid" 2>/dev/null && status=0 || status=$?
        service_forget "$service_pid"
        # Another process took the port between the check and the bind: try another one.
        # (grep reads a process substitution, not a pipe: grep -q stops at the first match, and under pipefail tail's
        # SIGPIPE would turn that match into a failure.)
        if [ "$fixed_port" = 0 ] && grep -qi 'address already in use' < <(tail -c +"$((offset + 1))" "$log"); then continue 2; fi
        echo "${0##*/}: the service exited (status $status) before it was ready on $service_base; the end of its log ($log):" >&2
        tail -n 40 "$log" >&2
        return 1
      fi
      if [ $(( ($(date +%s%N) - started) / 1000000000 )) -ge "$service_timeout" ]; then
        echo "${0##*/}: the service was not ready on $service_base within $service_timeout s; the end of its log ($log):" >&2
        tail -n 40 "$log" >&2
        service_stop --kill "$service_pid"
        return 1
      fi
      sleep 0.05
    done
    service_ready_ms=$(( ($(date +%s%N) - started) / 1000000 ))
    return 0
  done
  echo "${0##*/}: every free port tried was taken before the service could bind it; the end of its log ($log):" >&2
  tail -n 40 "$log" >&2
  return 1
}

service_forget() {
  local p kept=()
  for p in "${service_started[@]}"; do [ "$p" = "$1" ] || kept+=("$p"); done
  service_started=("${kept[@]}")
  unset "service_prefixed[$1]"
  [ "$service_pid" != "$1" ] || service_pid=""
}

service_stop() {
  local signal=TERM
  [ "${1:-}" != --kill ] || { signal=KILL; shift; }
  local pid=${1:-$service_pid}
  [ -n "$pid" ] || return 0
  if [ -n "${service_prefixed[$pid]:-}" ]; then pkill -"$signal" -P "$pid" 2>/dev/null || true
  else kill -"$signal" "$pid" 2>/dev/null || true; fi
  local waited=0
  while service_running "$pid"; do
    if [ "$waited" -ge 600 ]; then kill -KILL "$pid" 2>/dev/null || true; pkill -KILL -P "$pid" 2>/dev/null || true; fi
    sleep 0.05; waited=$((waited + 1))
  done
  wait "$pid" || true
  service_forget "$pid"
} 2>/dev/null # bash's own "Killed" or "Terminated" notice of the job: the stop was asked for

service_stop_all() {
  local p
  for p in "${service_started[@]}"; do service_stop "$@" "$p"; done
}
