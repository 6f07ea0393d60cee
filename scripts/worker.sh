# The task queue's worker (django-tasks, database backend: imports by URL) beside a server.
# Source this file, then, just before `exec`-ing the server:
#   start_task_workers N     start N `manage.py db_worker` processes in the background
# The server keeps this shell's process id when it is exec'd, so a watchdog stops the
# workers as soon as that process is gone, whether by Ctrl+C (which also reaches the
# workers: they share the terminal's process group) or by any other exit.
start_task_workers() {
  local count=${1:-1} pids=() i
  [ "$count" -gt 0 ] || return 0
  for ((i = 0; i < count; i++)); do
    .venv/bin/python manage.py db_worker --no-reload --interval 1 --verbosity 0 &
    pids+=($!)
  done
  local server=$$
  (
    trap '' INT
    while kill -0 "$server" 2>/dev/null; do sleep 2; done
    kill "${pids[@]}" 2>/dev/null || true
  ) &
  echo "Task worker(s) started: ${pids[*]} (manage.py db_worker)"
}
