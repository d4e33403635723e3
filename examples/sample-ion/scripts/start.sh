#!/bin/sh
# "Starts" the service: records which release runs in <group>/service.txt
# (the release folder is <group>/releases/<name>).
set -eu
release=$(basename "$PWD")
state=../../service.txt
echo "running $release since $(date -u +%Y-%m-%dT%H:%M:%SZ) (deployment $DEPLOYMENT_ID)" > "$state"
echo "$LIFECYCLE_EVENT: started $APPLICATION_NAME release $release"
