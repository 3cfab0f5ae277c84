#!/usr/bin/env bash
# Installs every Debian 12 package microstore needs to build, test and run locally. Idempotent:
# when everything is installed it only asks dpkg and exits (well under a second). Runs as root
# (as in CI) or through sudo.
set -euo pipefail

packages=(
  # toolchain (clang and its libFuzzer runtime build the fuzz preset: tests/fuzz)
  g++ cmake ninja-build pkg-config ccache mold clang-14 libclang-rt-14-dev
  # libraries (cmake/Dependencies.cmake)
  libboost1.81-dev libboost-url1.81-dev libboost-json1.81-dev
  libpq-dev librabbitmq-dev nlohmann-json3-dev libspdlog-dev prometheus-cpp-dev libsodium-dev
  libcli11-dev libexpected-dev libgtest-dev libgmock-dev
  # servers and their clients (deploy/local/infra.sh; psql comes with postgresql-15)
  postgresql-15 rabbitmq-server amqp-tools
  # scripts, benchmarks and end-to-end tests (node runs the contract checker)
  curl wrk python3 nodejs
)
# Debian ships npm apart from nodejs; other nodejs builds bundle it (and conflict with Debian's).
command -v npm >/dev/null || packages+=(npm)

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# The contract checker's npm packages (contracts/check), installed again when the lock changed.
install_npm_packages() {
  local dir=$root/contracts/check
  [[ $dir/node_modules/.package-lock.json -nt $dir/package-lock.json ]] && return 0
  echo "==> installing the npm packages of contracts/check" >&2
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
}

# One dpkg-query for all (it names unknown packages on stderr and exits 1: both expected).
installed=" $({ dpkg-query -W -f='${Package}=${Status}\n' "${packages[@]}" 2>/dev/null || true; } |
  sed -n 's/=install ok installed$//p' | tr '\n' ' ')"
missing=()
for package in "${packages[@]}"; do
  [[ $installed == *" $package "* ]] || missing+=("$package")
done
if ((${#missing[@]} == 0)); then
  install_npm_packages
  exit 0
fi

sudo=()
if [[ $EUID -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "error: run as root or install sudo" >&2; exit 1; }
  sudo=(sudo)
fi
echo "==> installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
# The packages' own services (Debian's cluster on 5432, a rabbit node on 5672) may start here
# or not (no systemd); either way they do not matter: ours use their own ports and directories.
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "==> installed" >&2
install_npm_packages
