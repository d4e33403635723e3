#!/bin/sh
# Says which lifecycle event runs, for which deployment, from which release.
set -eu
echo "$LIFECYCLE_EVENT: $APPLICATION_NAME to group $DEPLOYMENT_GROUP_NAME, deployment $DEPLOYMENT_ID, release $(basename "$PWD")"
