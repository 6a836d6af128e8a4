#!/usr/bin/env bash
# Starts a real Radicale CalDAV server on 127.0.0.1 for the tests, with one user
# (htpasswd, plain) and storage in FOLDER; prints `ready PORT` when it answers.
#   radicale_server.sh FOLDER USER PASSWORD
set -euo pipefail
folder=$1 user=$2 password=$3
mkdir -p "$folder"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
printf '%s:%s\n' "$user" "$password" > "$folder/users"
cat > "$folder/config" <<CONFIG
[server]
hosts = 127.0.0.1:$port
[auth]
type = htpasswd
htpasswd_filename = $folder/users
htpasswd_encryption = plain
[storage]
filesystem_folder = $folder/collections
[logging]
level = warning
CONFIG
# Close every inherited descriptor but 0–2, so the caller's pipes see end-of-file when this
# script exits although the server goes on.
python3 -c 'import os, sys; os.closerange(3, 4096); os.execvp(sys.argv[1], sys.argv[1:])' \
  python3 -m radicale --config "$folder/config" < /dev/null > "$folder/log" 2>&1 &
echo $! > "$folder/pid"
for _ in $(seq 1 100); do
  if python3 -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1', $port)))"; then
    echo "ready $port"
    exit 0
  fi
  sleep 0.1
done
echo "radicale did not start; see $folder/log" >&2
cat "$folder/log" >&2
exit 1
