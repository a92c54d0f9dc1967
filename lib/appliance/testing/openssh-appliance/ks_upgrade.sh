#!/bin/sh
# Stand-in for the vendor's /opt/keysecure/ks_upgrade.sh: gpg --verify against the test vendor
# key, a disk check, the version staged for the next boot, the vendor's lines and exit codes.
set -u
S="$APPLIANCE_STATE"
usage() { echo "Usage: ks_upgrade.sh -f <FILE> [-o]" >&2; }
file=""
while [ $# -gt 0 ]; do
  case "$1" in
    -f) file="${2:-}"; shift 2 || shift ;;
    -o) shift ;;
    *) usage; exit 2 ;;
  esac
done
[ -n "$file" ] || { usage; exit 2; }
# Every run is counted, before anything can refuse: the console must run this once per hop.
echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $file" >> "$S/ks_upgrade.runs"
[ -r "$file" ] || { echo "ERROR: file $file not found or not readable" >&2; exit 1; }
echo "WARNING: Do not restart or power-cycle the instance while the upgrade runs."
echo "Recording log file ks_upgrade_$(date -u +%Y-%m-%d-%H%M%S).log"
status=$(gpg --homedir "$S/gnupg" --batch --status-fd 1 --verify "$file" 2>/dev/null)
if ! printf '%s\n' "$status" | grep -q '^\[GNUPG:\] VALIDSIG '; then
  echo "ERROR: signature verification of $file failed: not signed by a trusted vendor key" >&2
  exit 1
fi
# The version named inside the signed message wins over the name on disk.
version=$(gpg --homedir "$S/gnupg" --batch --list-packets "$file" 2>/dev/null | sed -n 's/.*name="ks_upgrade_\(.*\)\.tar\.gz".*/\1/p' | head -n 1)
[ -n "$version" ] || { echo "ERROR: $file is not an upgrade archive" >&2; exit 1; }
size=$(stat -c %s "$file")
free=$(df -P -B1 / | awk 'NR==2 {print $4}')
if [ "$free" -lt $((size * 5)) ]; then
  echo "ERROR: not enough free space on /: $free bytes free, $((size * 5)) needed" >&2
  exit 1
fi
echo "status: error"
echo "status: starting"
printf '%s\n' "$version" > "$S/staged"
echo "Upgrade to $version succeeded"
echo "Reboot the instance to finish the upgrade"
exit 0
