#!/bin/sh
# "Stops" the running release (this script comes from the previous release).
set -eu
state=../../service.txt
echo "stopped $(basename "$PWD") at $(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$state"
echo "$LIFECYCLE_EVENT: stopped release $(basename "$PWD")"
