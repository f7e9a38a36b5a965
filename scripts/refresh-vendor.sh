#!/usr/bin/env bash
# Refresh the vendored front-end files in static/vendor/ from the npm registry.
# Run by hand when upgrading; the app itself never fetches anything at run time.
set -euo pipefail
cd "$(dirname "$0")/.."

BOOTSTRAP_VERSION="${BOOTSTRAP_VERSION:-5.3.9}"
HTMX_VERSION="${HTMX_VERSION:-2.0.11}"


work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "bootstrap@${BOOTSTRAP_VERSION}" "htmx.org@${HTMX_VERSION}" >/dev/null)
mkdir -p static/vendor/bootstrap static/vendor/htmx
tar -xzf "$work/bootstrap-${BOOTSTRAP_VERSION}.tgz" -C "$work"
cp "$work/package/dist/css/bootstrap.min.css" static/vendor/bootstrap/
cp "$work/package/dist/js/bootstrap.bundle.min.js" static/vendor/bootstrap/
cp "$work/package/LICENSE" static/vendor/bootstrap/LICENSE
rm -rf "$work/package"
tar -xzf "$work/htmx.org-${HTMX_VERSION}.tgz" -C "$work"
cp "$work/package/dist/htmx.min.js" static/vendor/htmx/
cp "$work/package/LICENSE" static/vendor/htmx/LICENSE
# Source-map comments point at files we do not ship; strip them so browsers do not ask.
sed -i '/sourceMappingURL/d' static/vendor/bootstrap/*.min.* static/vendor/htmx/htmx.min.js
printf 'bootstrap %s\nhtmx.org %s\n' "$BOOTSTRAP_VERSION" "$HTMX_VERSION" > static/vendor/VERSIONS
echo "vendored: bootstrap ${BOOTSTRAP_VERSION}, htmx ${HTMX_VERSION}"
