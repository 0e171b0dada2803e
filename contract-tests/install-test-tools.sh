#!/usr/bin/env bash
# Installs (from Debian's packages) or checks what the test suite needs beyond Java and Maven.
# Runs as root in CI; as another user it only checks and says what to install.
set -euo pipefail
need_pkgs=()
command -v curl >/dev/null || need_pkgs+=(curl)
command -v psql >/dev/null || need_pkgs+=(postgresql-client)
command -v ss >/dev/null || need_pkgs+=(iproute2)
# peers the science tests compare against (PeerToolsTest): fitsverify and Debian's astropy and healpy
command -v fitsverify >/dev/null || need_pkgs+=(fitsverify)
/usr/bin/python3 -c "import astropy" 2>/dev/null || need_pkgs+=(python3-astropy)
# healpy: the HEALPix reference the butler's sky pixelization is checked against (HealpixPeerTest)
/usr/bin/python3 -c "import healpy" 2>/dev/null || need_pkgs+=(python3-healpy)
# SExtractor: the peer the calexp's sources are compared with (CalibrateTruthTest)
command -v source-extractor >/dev/null || need_pkgs+=(source-extractor)
# fpack/funpack: the reference Rice tile compression the compressed raws are checked against (FpackPeerToolsTest)
{ command -v funpack >/dev/null && command -v fpack >/dev/null; } || need_pkgs+=(libcfitsio-bin)
# headless Chromium: renders the registry's HTML status page from its JSON endpoints (StatusPageTest)
{ command -v chromium >/dev/null || command -v chromium-browser >/dev/null; } || need_pkgs+=(chromium)
if ((${#need_pkgs[@]})); then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "[test-tools] installing ${need_pkgs[*]} from Debian's packages"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
  else
    echo "[test-tools] ERROR: missing ${need_pkgs[*]}; install them (apt-get install -y ${need_pkgs[*]})" >&2
    exit 1
  fi
fi
if ! command -v kubectl >/dev/null; then
  echo "[test-tools] WARNING: kubectl is not installed: DeploymentManifestsTest will fail and say so." >&2
  echo "[test-tools]          Install kubectl (client only) to render k8s/ with 'kubectl kustomize'." >&2
fi
echo "[test-tools] ok: java $(java -version 2>&1 | head -1 | cut -d'"' -f2), kubectl $(kubectl version --client 2>/dev/null | head -1 | awk '{print $3}' || echo none)"
