#!/usr/bin/env bash
# Runs a job worker (manage.py db_worker) beside the given command, for `make run` and
# `make dev`: one command serves the pages and runs the background jobs (imports, email).
# The worker stops when the command does (Ctrl-C stops both).
set -uo pipefail
python="${PYTHON_BIN:-.venv/bin/python}"
"$python" manage.py db_worker --queue-name '*' --no-reload &
worker=$!
trap 'kill "$worker" 2>/dev/null; wait "$worker" 2>/dev/null' EXIT
"$@"
