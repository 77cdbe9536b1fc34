#!/bin/sh
# sftp-setup.sh CREDITOR_ID USER [--pubkey FILE] [--drop-dir DIR] [--group GROUP] [--keys-dir DIR]
#
# Opens the SFTP drop door for one creditor (docs/intake.md): a chrooted, SFTP-only OpenSSH
# account whose uploads land where `duegate serve` watches them ([drop] dir).
#   - creates USER when missing (no shell login, locked password: key authentication only);
#   - creates DIR/CREDITOR_ID (the chroot: owned by root, not writable by others, as sshd demands
#     of every component) and in/ done/ failed/ inside it, owned by USER and GROUP (the group
#     duegate runs as), mode 2770: the creditor uploads into in/ and reads done/ and failed/
#     (with NAME.error.txt); duegate moves files between them;
#   - with --pubkey, installs the key as KEYS_DIR/USER (root-owned; sshd reads it before the chroot);
#   - prints the sshd_config `Match User` block to add (then `sshd -t` and reload sshd).
# Defaults: --drop-dir /var/lib/duegate/drop, --group duegate (root when that group does not
# exist), --keys-dir /etc/duegate/sftp-keys. Needs root. Idempotent: running it again changes
# nothing that is already right.
set -eu

usage() { echo "usage: $0 CREDITOR_ID USER [--pubkey FILE] [--drop-dir DIR] [--group GROUP] [--keys-dir DIR]" >&2; exit 2; }
[ $# -ge 2 ] || usage
creditor=$1; user=$2; shift 2
pubkey=; dropdir=/var/lib/duegate/drop; group=; keysdir=/etc/duegate/sftp-keys
while [ $# -gt 0 ]; do
  case $1 in
    --pubkey) [ $# -ge 2 ] || usage; pubkey=$2; shift 2 ;;
    --drop-dir) [ $# -ge 2 ] || usage; dropdir=$2; shift 2 ;;
    --group) [ $# -ge 2 ] || usage; group=$2; shift 2 ;;
    --keys-dir) [ $# -ge 2 ] || usage; keysdir=$2; shift 2 ;;
    *) usage ;;
  esac
done
case $creditor in ''|*[!0-9]*) echo "$0: CREDITOR_ID must be a number, got '$creditor'" >&2; exit 2 ;; esac
case $user in ''|-*|*[!a-z0-9_-]*) echo "$0: USER must be lower-case letters, digits, - or _" >&2; exit 2 ;; esac
[ "$(id -u)" = 0 ] || { echo "$0: needs root (useradd, chown)" >&2; exit 1; }
if [ -z "$group" ]; then
  if getent group duegate >/dev/null; then group=duegate; else group=root; fi
fi
getent group "$group" >/dev/null || { echo "$0: no group '$group'" >&2; exit 2; }

chroot_dir=$dropdir/$creditor
nologin=$(command -v nologin || echo /usr/sbin/nologin)
if ! id "$user" >/dev/null 2>&1; then
  useradd --system --no-create-home --home-dir / --shell "$nologin" --gid "$group" "$user"
fi
usermod -p '*' "$user"   # no password login, but not "locked" (sshd with UsePAM no refuses '!')

# sshd: the chroot and every directory above it root-owned and not group/world-writable.
mkdir -p "$chroot_dir"
d=$chroot_dir
while [ "$d" != / ] && [ -n "$d" ]; do
  owner=$(stat -c %u "$d"); mode=$(stat -c %a "$d")
  if [ "$owner" != 0 ]; then echo "$0: $d must be owned by root for ChrootDirectory" >&2; exit 1; fi
  case $mode in *[2367]?|*[2367]) echo "$0: $d must not be group/world-writable for ChrootDirectory (mode $mode)" >&2; exit 1 ;; esac
  d=$(dirname "$d")
done
chown root:root "$chroot_dir"; chmod 755 "$chroot_dir"
for sub in in done failed; do
  mkdir -p "$chroot_dir/$sub"
  chown "$user:$group" "$chroot_dir/$sub"
  chmod 2770 "$chroot_dir/$sub"
done

keyline=
if [ -n "$pubkey" ]; then
  mkdir -p "$keysdir"; chmod 755 "$keysdir"
  install -m 644 -o root -g root "$pubkey" "$keysdir/$user"
  keyline="    AuthorizedKeysFile $keysdir/%u"
fi

cat <<BLOCK
# duegate SFTP drop for creditor $creditor (scripts/sftp-setup.sh); sshd_config needs
# "Subsystem sftp internal-sftp" once, and this block at the end of the file:
Match User $user
    ChrootDirectory $chroot_dir
    ForceCommand internal-sftp -d /in -u 0007
${keyline:+$keyline
}    PasswordAuthentication no
    AllowTcpForwarding no
    AllowAgentForwarding no
    X11Forwarding no
    PermitTTY no
    PermitTunnel no
BLOCK
