#!/usr/bin/env bash
# Proves the Quick start on a bare Debian 12: builds a minimal root
# (debootstrap --variant=minbase bookworm), copies a clean clone of this
# repository's HEAD into it, and runs, with chroot and no display,
#   scripts/test.sh   (installs Qt, Node and the rest, builds, runs every test)
#   scripts/run.sh    (records the bundled demo app and says where the CSV went)
# Node there is Debian's own 18.19. Only committed work is checked.
# Needs root (or sudo) and the Debian mirror; takes about 10-15 minutes.
#   scripts/fresh-check.sh [--keep]    (--keep leaves the root in build/fresh-check)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
keep=0
[ "${1:-}" = "--keep" ] && keep=1

if [ "$(id -u)" -ne 0 ]; then
    exec sudo -- "$0" "$@"
fi
if ! command -v debootstrap >/dev/null 2>&1; then
    echo "==> Installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap >/dev/null ||
        { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap; }
fi

mirror=${NODESCOPE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
work="$repo/build/fresh-check"
root="$work/root"
mounts=()

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    # Unmount in reverse order; lazily, so a process still inside cannot keep
    # a mount (and the host's /dev) attached to a folder we then delete.
    for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
        umount -R -l "${mounts[$i]}" 2>/dev/null || true
    done
    if [ $keep -eq 0 ] && [ -d "$root" ]; then
        # Never delete through a mount that failed to come off.
        if ! grep -q " $root" /proc/self/mounts; then
            rm -rf "$root"
        else
            echo "warning: mounts under $root remain; not deleting it" >&2
        fi
    fi
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if grep -q " $root" /proc/self/mounts; then
    echo "error: $root still has mounts from an earlier run; unmount them first (umount -R -l $root/proc ...)" >&2
    exit 1
fi
rm -rf "$root"
mkdir -p "$work"

started=$(date +%s)
echo "==> Building a minimal Debian 12 root in $root"
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log" >&2; exit 1; }
echo "    took $(($(date +%s) - started)) s"
cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb ${mirror%/debian}/debian-security bookworm-security main
EOF
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true

echo "==> Copying a clean clone of HEAD ($(git -C "$repo" rev-parse --short HEAD))"
git clone --quiet --no-local --no-hardlinks "$repo" "$root/root/nodescope"
if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no)" ]; then
    echo "    note: uncommitted changes are not part of the check"
fi

for fs in proc sys dev; do
    mount --rbind "/$fs" "$root/$fs"
    mount --make-rslave "$root/$fs"
    mounts+=("$root/$fs")
done

in_root() {
    chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        NODESCOPE_JOBS="${NODESCOPE_JOBS:-2}" /bin/bash -c "cd /root/nodescope && $1"
}

step=$(date +%s)
echo "==> scripts/test.sh inside the fresh root"
in_root "scripts/test.sh"
echo "    took $(($(date +%s) - step)) s"

step=$(date +%s)
echo "==> scripts/run.sh inside the fresh root, without a display"
in_root "scripts/run.sh" | tee "$work/run.log"
csv="$root/root/nodescope/nodescope-demo.csv"
grep -q "Samples: /root/nodescope/nodescope-demo.csv" "$work/run.log" ||
    { echo "error: scripts/run.sh did not say where the CSV went" >&2; exit 1; }
rows=$(($(wc -l <"$csv") - 1))
[ "$rows" -ge 20 ] || { echo "error: the demo recording has only $rows rows" >&2; exit 1; }
heap_rows=$(awk -F, 'NR > 1 && $5 != "" { n++ } END { print n + 0 }' "$csv")
[ "$heap_rows" -ge 20 ] || { echo "error: only $heap_rows of $rows demo rows have heap figures" >&2; exit 1; }
echo "    took $(($(date +%s) - step)) s; the demo recording has $rows rows, $heap_rows with heap figures"

echo "==> Fresh Debian 12 check passed in $(($(date +%s) - started)) s (node $(in_root 'node --version'))"
