#!/usr/bin/env bash
# Refresh the vendored front-end files in static/vendor/ from the npm registry.
# Run by hand when upgrading; the app itself never fetches anything at run time.
set -euo pipefail
cd "$(dirname "$0")/.."

BOOTSTRAP_VERSION="${BOOTSTRAP_VERSION:-5.3.9}"
HTMX_VERSION="${HTMX_VERSION:-2.0.11}"
WORKBOX_VERSION="${WORKBOX_VERSION:-7.4.1}"
# The Workbox modules the service worker (templates/core/sw.js) loads through
# workbox-sw; add a name here when the worker starts using another module.
WORKBOX_MODULES="core routing strategies cacheable-response expiration"


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
rm -rf "$work/package"
# Workbox: the loader (workbox-sw) and the production build of each module it loads.
(cd "$work" && npm pack --silent "workbox-sw@${WORKBOX_VERSION}" >/dev/null)
for module in $WORKBOX_MODULES; do
  (cd "$work" && npm pack --silent "workbox-${module}@${WORKBOX_VERSION}" >/dev/null)
done
rm -rf static/vendor/workbox && mkdir -p static/vendor/workbox
tar -xzf "$work/workbox-sw-${WORKBOX_VERSION}.tgz" -C "$work"
cp "$work/package/build/workbox-sw.js" static/vendor/workbox/
cp "$work/package/LICENSE" static/vendor/workbox/LICENSE
for module in $WORKBOX_MODULES; do
  rm -rf "$work/package"
  tar -xzf "$work/workbox-${module}-${WORKBOX_VERSION}.tgz" -C "$work"
  cp "$work/package/build/workbox-${module}.prod.js" static/vendor/workbox/
done
# Source-map comments point at files we do not ship; strip them so browsers do not ask.
sed -i '/sourceMappingURL/d' static/vendor/bootstrap/*.min.* static/vendor/htmx/htmx.min.js \
  static/vendor/workbox/*.js
printf 'bootstrap %s\nhtmx.org %s\nworkbox %s (%s)\n' "$BOOTSTRAP_VERSION" "$HTMX_VERSION" \
  "$WORKBOX_VERSION" "sw $WORKBOX_MODULES" > static/vendor/VERSIONS
echo "vendored: bootstrap ${BOOTSTRAP_VERSION}, htmx ${HTMX_VERSION}, workbox ${WORKBOX_VERSION}"
