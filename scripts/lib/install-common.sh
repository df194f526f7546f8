# Shared functions of scripts/install-agent and scripts/install-collector (sourced, not executed).
# Every step is idempotent: re-running converges to the same state and never overwrites an
# operator's configuration file unless --config is given (the old one is kept as *.bak).

ROOT=""            # --root DIR: stage into DIR (tests/packaging); no useradd, no systemctl
DO_START=1
UNINSTALL=0
PURGE=0

log() { printf '%s: %s\n' "$PROG" "$*"; }
die() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 1; }

staged() { [ -n "$ROOT" ]; }

# install_file SRC DEST MODE [OWNER:GROUP] — copies only when the content differs.
install_file() {
  local src=$1 dest=$ROOT$2 mode=$3 owner=${4:-root:root}
  mkdir -p "$(dirname "$dest")"
  if [ -f "$dest" ] && cmp -s "$src" "$dest"; then
    chmod "$mode" "$dest"
  else
    install -m "$mode" "$src" "$dest"
    log "installed $2"
  fi
  staged || chown "$owner" "$dest"
}

ensure_user() {
  local user=$1 home=$2
  staged && return 0
  if ! getent group "$user" >/dev/null; then groupadd --system "$user"; log "created group $user"; fi
  if ! id -u "$user" >/dev/null 2>&1; then
    useradd --system --gid "$user" --home-dir "$home" --no-create-home --shell /usr/sbin/nologin \
      --comment "FleetPulse ${user#fleetpulse-}" "$user"
    log "created system user $user"
  fi
}

ensure_dir() {
  local dir=$ROOT$1 mode=$2 owner=$3
  mkdir -p "$dir"
  chmod "$mode" "$dir"
  staged || chown "$owner" "$dir"
}

systemctl_maybe() {
  if staged; then return 0; fi
  if ! command -v systemctl >/dev/null || [ ! -d /run/systemd/system ]; then
    log "systemd is not running here: skipped 'systemctl $*'"
    return 0
  fi
  systemctl "$@"
}

verify_unit() {
  local unit=$1
  if command -v systemd-analyze >/dev/null; then
    local out
    out=$(systemd-analyze verify "$unit" 2>&1 | grep -v 'is not executable\|Failed to prepare filename' || true)
    [ -z "$out" ] || log "systemd-analyze verify $unit: $out"
  fi
}

remove_path() {
  local p=$ROOT$1
  if [ -e "$p" ] || [ -L "$p" ]; then rm -rf "$p"; log "removed $1"; fi
}

parse_common_arg() {
  case "$1" in
    --root) ROOT=${2%/}; return 2 ;;
    --no-start) DO_START=0; return 1 ;;
    --uninstall) UNINSTALL=1; return 1 ;;
    --purge) UNINSTALL=1; PURGE=1; return 1 ;;
  esac
  return 0
}

require_root() {
  staged && return 0
  [ "$(id -u)" = 0 ] || die "run as root (or use --root DIR to stage files)"
}
