#!/usr/bin/env bash
# Installs, upgrades or removes the CctvEdge node agent or server from this bundle (scripts/package.sh made it) as a
# systemd service. Run as root from the unpacked bundle:
#   sudo ./install.sh [--server URL] [--code CODE] [--node-id ID]    install or upgrade (config and data are kept)
#   sudo ./install.sh --uninstall [--purge]                          remove the program (--purge: also config, data, user)
# --server URL (node): the server's gRPC address, e.g. http://192.168.1.10:5081; --code CODE (node): enrol with a
# one-time code from the server's admin (cctvedge-server enrolment-code). --root DIR stages everything under DIR
# instead of / and runs nothing (no apt, user, systemctl or enrolment): for packagers and the tests.
# --ftp (node): also set up Debian's pure-ftpd for push cameras (JPEG uploads): one FTP user, "camera" (password from
# --ftp-password PW, else generated and printed), no system login, chrooted to the node's inbox folder
# /var/lib/cctvedge-node/inbox, where each camera uploads into its own folder /<camera id>; listens on --ftp-bind ADDR
# (default 0.0.0.0; FTP is clear text: keep port 21 on the LAN, never forward it from the internet).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
program=$(cat "$here/PROGRAM")          # node | server
name="cctvedge-$program"
root="" server="" code="" node_id="" uninstall=0 purge=0 ftp=0 ftp_password="" ftp_bind="0.0.0.0"
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root=$(realpath -m "$2"); shift 2 ;;
    --server) server="$2"; shift 2 ;;
    --code) code="$2"; shift 2 ;;
    --node-id) node_id="$2"; shift 2 ;;
    --uninstall) uninstall=1; shift ;;
    --purge) purge=1; shift ;;
    --ftp) ftp=1; shift ;;
    --ftp-password) ftp_password="$2"; shift 2 ;;
    --ftp-bind) ftp_bind="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
staged() { [ -n "$root" ]; }
if ! staged && [ "$(id -u)" != 0 ]; then echo "install.sh: run as root (sudo ./install.sh ...)" >&2; exit 1; fi

opt="$root/opt/$name" etc="$root/etc/cctvedge" data="$root/var/lib/$name" unit="$root/etc/systemd/system/$name.service"

if [ "$uninstall" = 1 ]; then
  staged || { systemctl disable --now "$name.service" 2>/dev/null || true; }
  rm -rf "$opt" "$unit"
  staged || systemctl daemon-reload
  if [ "$purge" = 1 ]; then
    rm -rf "$data" "$etc/$program.json" "$etc/$program.env"
    rmdir "$etc" 2>/dev/null || true
    if ! staged && [ ! -d "$root/opt/cctvedge-node" ] && [ ! -d "$root/opt/cctvedge-server" ]; then userdel cctvedge 2>/dev/null || true; fi
    echo "$name removed with its configuration and data."
  else
    echo "$name removed; configuration in $etc and data in $data are kept (--purge removes them)."
  fi
  exit 0
fi

if ! staged; then
  # The node's cameras, and the server's timelapses and central detection, decode and encode with ffmpeg.
  command -v ffmpeg >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq ffmpeg; }
  # Detection's opencv-hog backend (the node plugin, the server's central detection): OpenCV's native library (x64
  # only) links against GTK 3.
  if [ "$(uname -m)" = x86_64 ] && ! dpkg -s libgtk-3-0 >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq libgtk-3-0
  fi
  id cctvedge >/dev/null 2>&1 || useradd --system --home-dir "/var/lib/$name" --shell /usr/sbin/nologin cctvedge
fi

# The hardware groups this machine has: cameras (video), sensors (i2c, spi, gpio), serial boards (dialout).
groups=""
for group in video i2c spi gpio dialout; do
  if getent group "$group" >/dev/null 2>&1; then
    groups="$groups $group"
    staged || usermod -a -G "$group" cctvedge
  fi
done

# The program: a fresh copy beside the old one, then swapped, so an upgrade never leaves half a program in place.
mkdir -p "$(dirname "$opt")" "$etc" "$data" "$(dirname "$unit")"
rm -rf "$opt.new"
cp -a "$here/app" "$opt.new"
rm -rf "$opt.old"
[ -d "$opt" ] && mv "$opt" "$opt.old"
mv "$opt.new" "$opt"
rm -rf "$opt.old"

# The node's plugins live with its data (the server can roll out more): the built-in ones are refreshed on each install.
if [ "$program" = node ]; then
  mkdir -p "$data/plugins"
  cp -a "$opt/plugins/." "$data/plugins/"
fi

if [ "$program" = node ] && [ ! -f "$etc/node.json" ]; then
  id=${node_id:-$(hostname | tr 'A-Z' 'a-z' | tr -c 'a-z0-9_\n-' '-' | cut -c1-63)}
  sed -e "s#@NODE_ID@#$id#" -e "s#@SERVER@#${server:-http://127.0.0.1:5081}#" "$here/node.json.example" > "$etc/node.json"
  echo "Wrote $etc/node.json (node id '$id'): add your cameras there, then: systemctl restart $name"
fi

sed -e "s#@GROUPS@#${groups# }#" "$here/$name.service" > "$unit"

# Push cameras: pure-ftpd (the FTP server the tests run) with one virtual user mapped to the node's own user, so the
# node can take and delete what cameras upload; no anonymous access, no system accounts, everyone chrooted.
if [ "$ftp" = 1 ]; then
  [ "$program" = node ] || { echo "install.sh: --ftp is for a node" >&2; exit 2; }
  inbox="$data/inbox" ftpconf="$root/etc/pure-ftpd"
  mkdir -p "$inbox" "$ftpconf/conf" "$ftpconf/auth"
  staged || command -v pure-ftpd >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq pure-ftpd; }
  echo "$ftp_bind,21" > "$ftpconf/conf/Bind"
  echo yes > "$ftpconf/conf/NoAnonymous"
  echo yes > "$ftpconf/conf/ChrootEveryone"
  echo no > "$ftpconf/conf/PAMAuthentication"
  echo no > "$ftpconf/conf/UnixAuthentication"
  echo /etc/pure-ftpd/pureftpd.pdb > "$ftpconf/conf/PureDB"
  ln -sfn ../conf/PureDB "$ftpconf/auth/50puredb"
  # Debian's MinUID (1000) would refuse the virtual user: it works as the node's system user.
  echo 100 > "$ftpconf/conf/MinUID"
  if ! staged; then
    id -u cctvedge > "$ftpconf/conf/MinUID"
    chown cctvedge:cctvedge "$inbox"
    generated=""
    [ -n "$ftp_password" ] || { ftp_password=$(head -c 12 /dev/urandom | base64 | tr -d '/+='); generated=1; }
    pure-pw userdel camera -f /etc/pure-ftpd/pureftpd.passwd >/dev/null 2>&1 || true
    printf '%s\n%s\n' "$ftp_password" "$ftp_password" | pure-pw useradd camera -u cctvedge -g cctvedge -d "$inbox" \
      -f /etc/pure-ftpd/pureftpd.passwd -m >/dev/null
    systemctl enable pure-ftpd >/dev/null 2>&1 || true
    systemctl restart pure-ftpd
    echo "FTP for push cameras: user camera${generated:+, password $ftp_password}, on $ftp_bind:21; each camera uploads into /<camera id>"
  else
    echo "pure-ftpd configuration staged under $ftpconf (the user is added at a real install)"
  fi
fi
if ! staged; then
  chown -R cctvedge:cctvedge "$data"
  if [ -n "$code" ]; then
    [ "$program" = node ] || { echo "install.sh: --code is for a node" >&2; exit 2; }
    runuser -u cctvedge -- "$opt/$name" enrol --server "${server:?--code needs --server}" --code "$code" --config "$etc/node.json"
  fi
  systemctl daemon-reload
  systemctl enable "$name.service" >/dev/null
  systemctl restart "$name.service"
  echo "$name installed and running: systemctl status $name; journalctl -u $name -f"
else
  echo "$name staged under $root"
fi
