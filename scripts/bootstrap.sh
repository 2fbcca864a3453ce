# shellcheck shell=bash
# Bootstrap for scripts/run and scripts/test. SOURCE it, then call:
#
#     xinyong_bootstrap runtime   # Chinese fonts + .venv
#     xinyong_bootstrap test      # the above + chromium, postgresql, poppler-utils
#
# Idempotent and fast when everything is already there:
#   * Debian packages are checked with dpkg; `apt-get update` runs (once) only when something is missing.
#   * .venv is created when missing; `pip install -r requirements.lock` runs only when requirements.lock
#     or pyproject.toml changed since the last successful install (sha256 stamp inside .venv).
# On return: cwd is the repo root, XINYONG_ROOT is set, .venv/bin is first on PATH, PYTHON points at it.

XINYONG_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export XINYONG_ROOT
cd "$XINYONG_ROOT" || exit 1

XINYONG_RUNTIME_PACKAGES=(fonts-noto-cjk fonts-wqy-microhei)
XINYONG_TEST_PACKAGES=(chromium postgresql poppler-utils)

_xy_say() { printf '[bootstrap] %s\n' "$*"; }
_xy_die() {
    printf '\n[bootstrap] ERROR: %s\n' "$*" >&2
    exit 1
}

_xy_dpkg_installed() {
    [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

# Is Debian package $1 (as this project needs it) already there?
_xy_package_present() {
    case "$1" in
        chromium)
            [[ -x /usr/bin/chromium ]] && _xy_dpkg_installed chromium
            ;;
        postgresql)
            # Any installed server counts (e.g. postgresql-15 without the metapackage) as long as the tools
            # and a cluster are there.
            _xy_dpkg_installed postgresql && return 0
            command -v psql >/dev/null 2>&1 && command -v pg_ctlcluster >/dev/null 2>&1 &&
                compgen -G '/etc/postgresql/*/main' >/dev/null
            ;;
        *)
            _xy_dpkg_installed "$1"
            ;;
    esac
}

_xy_install_packages() {
    local missing=() pkg
    for pkg in "$@"; do
        _xy_package_present "$pkg" || missing+=("$pkg")
    done
    ((${#missing[@]} == 0)) && return 0

    if [[ "$(id -u)" != "0" ]]; then
        _xy_die "missing Debian packages: ${missing[*]}
    Install them as root, then run this command again:
        sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}"
    fi
    _xy_say "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if [[ -z "${_XY_APT_UPDATED:-}" ]]; then
        apt-get update -q || _xy_die "apt-get update failed"
        _XY_APT_UPDATED=1
    fi
    apt-get install -y -q --no-install-recommends "${missing[@]}" ||
        _xy_die "apt-get install ${missing[*]} failed"
    for pkg in "${missing[@]}"; do
        _xy_package_present "$pkg" || _xy_die "package $pkg still missing after apt-get install"
    done
}

_xy_requirements_hash() {
    cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1
}

_xy_venv() {
    local stamp=.venv/.xinyong-requirements.sha256 want have=""
    if [[ -e .venv ]] && ! .venv/bin/python -c 'import sys' >/dev/null 2>&1; then
        _xy_say ".venv is broken; recreating it"
        rm -rf .venv
    fi
    if [[ ! -x .venv/bin/python ]]; then
        local py
        py="$(command -v python3.11 || command -v python3 || true)"
        [[ -n "$py" ]] || _xy_die "python3.11 (or python3) not found"
        _xy_say "creating .venv with $py ($("$py" --version 2>&1))"
        "$py" -m venv .venv || _xy_die "python -m venv failed"
    fi
    want="$(_xy_requirements_hash)"
    [[ -f "$stamp" ]] && have="$(cat "$stamp")"
    if [[ "$want" != "$have" ]]; then
        _xy_say "installing requirements.lock into .venv (it changed since the last install)"
        .venv/bin/python -m pip install --disable-pip-version-check -q -r requirements.lock ||
            _xy_die "pip install -r requirements.lock failed"
        printf '%s\n' "$want" >"$stamp"
    fi
}

xinyong_bootstrap() {
    local profile="${1:-runtime}"
    case "$profile" in
        runtime) _xy_install_packages "${XINYONG_RUNTIME_PACKAGES[@]}" ;;
        test) _xy_install_packages "${XINYONG_RUNTIME_PACKAGES[@]}" "${XINYONG_TEST_PACKAGES[@]}" ;;
        *) _xy_die "xinyong_bootstrap: unknown profile '$profile' (runtime|test)" ;;
    esac
    _xy_venv
    export VIRTUAL_ENV="$XINYONG_ROOT/.venv"
    export PATH="$VIRTUAL_ENV/bin:$PATH"
    PYTHON="$VIRTUAL_ENV/bin/python"
    export PYTHON
    export PYTHONUNBUFFERED=1
}
