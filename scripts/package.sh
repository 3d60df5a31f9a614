#!/usr/bin/env bash
# Makes the release bundles of the node agent or the server: self-contained (no .NET needed on the target), one per
# runtime, each with install.sh and its systemd unit (deploy/). Usage:
#   bash scripts/package.sh node|server [RID ...]     RIDs default to linux-arm64 linux-x64
# Output: artifacts/cctvedge-<program>-<version>-<rid>.tar.gz. The runtime packs come from the NuGet registry.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
ensure_dotnet
program=${1:?usage: scripts/package.sh node|server [RID ...]}
shift
case "$program" in
  node) project=node/CctvEdge.Node ;;
  server) project=server/CctvEdge.Server ;;
  *) echo "package.sh: node or server, not '$program'" >&2; exit 2 ;;
esac
rids=("$@")
[ ${#rids[@]} -gt 0 ] || rids=(linux-arm64 linux-x64)
version=$(sed -n 's#.*<Version>\(.*\)</Version>.*#\1#p' Directory.Build.props | head -n 1)
mkdir -p artifacts
for rid in "${rids[@]}"; do
  name="cctvedge-$program-$version-$rid"
  stage=$(mktemp -d)
  trap 'rm -rf "$stage"' EXIT
  bundle="$stage/$name"
  mkdir -p "$bundle"
  # InvariantGlobalization (Directory.Build.props): no ICU needed on a minimal Pi image.
  dotnet publish "$project" -c Release -r "$rid" --self-contained -nologo -v q -o "$bundle/app" > "$stage/publish.log" 2>&1 \
    || { cat "$stage/publish.log"; exit 1; }
  rm -f "$bundle"/app/*.pdb
  # Plugins and processors carry natives for every platform (ONNX Runtime, OpenCV); a bundle keeps its own platform's.
  for folder in "$bundle/app/plugins" "$bundle/app/processors-available"; do
    [ -d "$folder" ] && find "$folder" -mindepth 3 -maxdepth 3 -path '*/runtimes/*' ! -name "$rid" -exec rm -rf {} +
  done
  cp deploy/install.sh "deploy/cctvedge-$program.service" "$bundle/"
  [ "$program" = node ] && cp deploy/node.json.example "$bundle/"
  echo "$program" > "$bundle/PROGRAM"
  tar -C "$stage" -czf "artifacts/$name.tar.gz" "$name"
  rm -rf "$stage"
  trap - EXIT
  echo "artifacts/$name.tar.gz ($(du -h "artifacts/$name.tar.gz" | cut -f1))"
done
