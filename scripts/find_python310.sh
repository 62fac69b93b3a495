#!/usr/bin/env bash
# Print the path of a working Python 3.10 (Rasa 3.6.21 needs it): PATH first, then pyenv.
set -u
for c in "${PYTHON310:-}" python3.10 "$HOME"/.pyenv/versions/3.10*/bin/python3.10 /usr/bin/python3.10; do
  [ -n "$c" ] || continue
  p=$(command -v "$c" 2>/dev/null) || continue
  if "$p" -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1; then
    echo "$p"; exit 0
  fi
done
echo "Python 3.10 not found: install it (e.g. pyenv install 3.10) or set PYTHON310" >&2
exit 1
