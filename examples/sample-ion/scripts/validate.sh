#!/bin/sh
# Checks that the service runs this release, as a health check would.
set -eu
release=$(basename "$PWD")
state=../../service.txt
if grep -q "^running $release " "$state"; then
  echo "$LIFECYCLE_EVENT: ok, $release is running"
else
  echo "$LIFECYCLE_EVENT: expected $release to be running, found: $(cat "$state" 2>/dev/null || echo nothing)" >&2
  exit 1
fi
