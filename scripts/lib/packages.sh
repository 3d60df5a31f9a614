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
