# Installs Debian packages the scripts need when they are missing (as root, or through sudo).
# Usage: ensure_packages ffmpeg chromium
ensure_packages() {
  local missing=() package
  for package in "$@"; do
    case "$package" in
      ffmpeg) command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg) ;;
      chromium) [ -x /usr/bin/chromium ] || missing+=(chromium) ;;
      # Any node and npm will do (e.g. NodeSource's nodejs, which bundles npm and conflicts with Debian's npm).
      nodejs) command -v node >/dev/null 2>&1 || missing+=(nodejs) ;;
      npm) command -v npm >/dev/null 2>&1 || missing+=(npm) ;;
      # The server tests' throwaway PostgreSQL (tools/CctvEdge.Harness/PostgresServer.cs) runs these binaries directly.
      postgresql-15) [ -x /usr/lib/postgresql/15/bin/postgres ] || missing+=(postgresql-15) ;;
      *) dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package") ;;
    esac
  done
  [ ${#missing[@]} -eq 0 ] && return 0

  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo=sudo; else
      echo "Please install: ${missing[*]} (apt-get install ${missing[*]})" >&2
      return 1
    fi
  fi
  echo "Installing ${missing[*]} ..." >&2
  $sudo apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
}

ensure_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "The .NET SDK 10 is needed: https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
    return 1
  fi
}

# An arm64 userland to run the linux-arm64 node bundle under qemu-aarch64-static on an x64 machine: Debian's qemu and
# arm64 cross libraries, plus the arm64 OpenSSL that .NET's hashing and random numbers load (the cross packages have
# none), unpacked beside them in a sysroot. Prints the sysroot (give it to qemu-aarch64-static -L).
ensure_arm64_sysroot() {
  local sysroot="${CCTVEDGE_ARM64_SYSROOT:-/var/cache/cctvedge/arm64-sysroot}"
  if [ -f "$sysroot/lib/libssl.so.3" ] && command -v qemu-aarch64-static >/dev/null 2>&1; then
    echo "$sysroot"
    return 0
  fi
  ensure_packages qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross || return 1
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    $sudo dpkg --add-architecture arm64 >&2 && $sudo apt-get update -q >&2 || return 1
  fi
  local work
  work=$(mktemp -d)
  chmod 755 "$work"   # apt downloads as its own user _apt
  (cd "$work" && apt-get download -q libssl3:arm64 >&2) || { rm -rf "$work"; return 1; }
  dpkg-deb -x "$work"/libssl3_*_arm64.deb "$work/deb"
  $sudo mkdir -p "$sysroot"
  $sudo cp -a /usr/aarch64-linux-gnu/. "$sysroot/"
  $sudo cp -a "$work"/deb/usr/lib/aarch64-linux-gnu/. "$sysroot/lib/"
  rm -rf "$work"
  echo "$sysroot"
}
