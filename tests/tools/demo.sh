#!/usr/bin/env bash
# make demo: in a venv of the runtime only (.tmp/demo-venv from tests/requirements-demo.txt and
# requirements.txt: ansible-core, requests, the emulator's web stack; not the development toolchain),
# build the collection tarball, install it into .tmp/demo/collections, start the Dynatrace Managed API
# emulator on a free port, run playbooks/demo.yml against it, run it again and fail unless the second
# run changed nothing. The emulator is stopped on every exit path.
set -euo pipefail
cd "$(dirname "$0")/../.."
playbook=playbooks/demo.yml
demo_venv=.tmp/demo-venv
py=$demo_venv/bin/python
demo=.tmp/demo

if [[ ! -f $playbook ]]; then
    echo "demo: $playbook does not exist yet; nothing to run" >&2
    exit 1
fi

VENV_DIR=$demo_venv VENV_REQUIREMENTS="tests/requirements-demo.txt requirements.txt" bash tests/tools/venv.sh
export PATH=$PWD/$demo_venv/bin:$PATH
echo "demo: $(du -sm "$demo_venv" | cut -f1) MB of runtime in $demo_venv"

rm -rf "$demo"
mkdir -p "$demo/collections"
ansible-galaxy collection build --force --output-path "$demo/build" . > /dev/null
tarball=$(ls "$demo"/build/clusterops-dynatrace-*.tar.gz)
# Use the installed collection, not the checkout's symlink tree.
export ANSIBLE_COLLECTIONS_PATH=$PWD/$demo/collections
ansible-galaxy collection install --offline --force -p "$demo/collections" "$tarball"

port=$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
log=$demo/emulator.log
"$py" -m tests.emulator --host 127.0.0.1 --port "$port" --seed-environments 0 > "$log" 2>&1 &
emulator_pid=$!
stop_emulator() {
    if kill -0 "$emulator_pid" 2> /dev/null; then
        kill "$emulator_pid" 2> /dev/null || true
        wait "$emulator_pid" 2> /dev/null || true
    fi
}
trap stop_emulator EXIT

ready=
for _ in $(seq 1 150); do
    if grep -q 'Dynatrace Managed API emulator listening on' "$log"; then
        ready=1
        break
    fi
    if ! kill -0 "$emulator_pid" 2> /dev/null; then
        break
    fi
    sleep 0.2
done
if [[ -z $ready ]]; then
    echo "demo: the emulator did not start; its log ($log):" >&2
    cat "$log" >&2
    exit 1
fi
echo "demo: emulator listening on http://127.0.0.1:$port"

# The venv's Python (with requests) for the implicit localhost.
export ANSIBLE_LOCALHOST_WARNING=false
export ANSIBLE_INVENTORY_UNPARSED_WARNING=false
export DYNATRACE_URL=http://127.0.0.1:$port
DYNATRACE_API_TOKEN=$("$py" -c 'from tests.emulator import DEFAULT_TOKEN; print(DEFAULT_TOKEN)')
export DYNATRACE_API_TOKEN
export DYNATRACE_VALIDATE_CERTS=true

echo "demo: first run of $playbook"
ansible-playbook "$playbook"

echo "demo: second run of $playbook (must report changed=0)"
ansible-playbook "$playbook" | tee "$demo/second-run.log"
recap=$(sed -n '/^PLAY RECAP/,$p' "$demo/second-run.log" | grep -E 'changed=[0-9]+' || true)
if [[ -z $recap ]]; then
    echo "demo: no PLAY RECAP in the second run" >&2
    exit 1
fi
if grep -qE 'changed=[1-9]' <<< "$recap"; then
    echo "demo: the second run changed something, the playbook is not idempotent:" >&2
    echo "$recap" >&2
    exit 1
fi
echo "demo: second run changed nothing"
