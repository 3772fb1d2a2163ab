#!/usr/bin/env bash
# check-installed.sh: install the build into a temporary DESTDIR and check the
# installed tree as an application sees it. Prints TAP, one line per check.
#
# Usage: check-installed.sh MESON BUILD_DIR SOURCE_DIR PREFIX LIBDIR INCLUDEDIR
#          DATADIR INTROSPECTION DOCS PYTHON GST CC...
# LIBDIR, INCLUDEDIR and DATADIR are meson's options (relative to PREFIX or
# absolute); INTROSPECTION, DOCS and GST (the plugin was built) are
# true/false; PYTHON is a python3 with gi, or "" when there is none; CC... is
# the C compiler command.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u

meson=$1 build=$2 src=$3 prefix=$4
libdir=$5 includedir=$6 datadir=$7 introspection=$8 docs=$9 python=${10} gst=${11}
shift 11
cc=("$@")

under_prefix() { case $1 in /*) echo "$1" ;; *) echo "$prefix/$1" ;; esac; }
libdir=$(under_prefix "$libdir")
includedir=$(under_prefix "$includedir")
datadir=$(under_prefix "$datadir")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dest=$tmp/dest
n=0

# check DESCRIPTION COMMAND...: one TAP line; the command's output becomes
# TAP comments when it fails.
check() {
  local desc=$1
  shift
  n=$((n + 1))
  if "$@" >"$tmp/out" 2>&1; then
    echo "ok $n - $desc"
  else
    echo "not ok $n - $desc"
    sed 's/^/# /' "$tmp/out"
  fi
}

skip() {
  n=$((n + 1))
  echo "ok $n - $1 # SKIP $2"
}

headers_only_in_msrp_dir() {
  local stray
  [ -f "$dest$includedir/msrp-1.0/msrp/msrp.h" ] || { echo "no msrp-1.0/msrp/msrp.h"; return 1; }
  stray=$(cd "$dest$includedir" && find . ! -type d ! -path './msrp-1.0/msrp/*' \
            ! -path './msrp-1.0/gst-msrp/*')
  [ -z "$stray" ] || { echo "outside msrp-1.0/msrp/ and msrp-1.0/gst-msrp/: $stray"; return 1; }
}

no_private_headers() {
  local private
  private=$(cd "$dest$includedir" && find . -name '*-private.h' -o -name 'config.h')
  [ -z "$private" ] || { echo "installed: $private"; return 1; }
}

# The installed .pc names its install prefix; point it at the DESTDIR copy.
# (PKG_CONFIG_SYSROOT_DIR and --define-prefix would also move GLib's flags.)
relocated_pkg_config() {
  mkdir -p "$tmp/pkgconfig"
  sed "s|^prefix=.*|prefix=$dest$prefix|" "$dest$libdir/pkgconfig/msrp-1.0.pc" \
    >"$tmp/pkgconfig/msrp-1.0.pc"
  PKG_CONFIG_PATH=$tmp/pkgconfig pkg-config "$@" msrp-1.0
}

flags_point_into_destdir() {
  local flags
  flags=$(relocated_pkg_config --cflags --libs) || return 1
  echo "$flags"
  [[ " $flags " == *" -I$dest$includedir/msrp-1.0 "* ]] &&
    [[ " $flags " == *" -L$dest$libdir "* ]]
}

build_tiny() {
  local flags
  flags=$(relocated_pkg_config --cflags --libs) || return 1
  # shellcheck disable=SC2086 # pkg-config output is a list of flags
  "${cc[@]}" -std=c11 -Wall -Wextra -Werror -o "$tmp/tiny" "$src/tests/install/tiny.c" \
    $flags -Wl,-rpath,"$dest$libdir"
}

tiny_uses_destdir_library() {
  ldd "$tmp/tiny" | tee /dev/stderr | grep -q "libmsrp-1.0.so.0 => $dest$libdir/"
}

tiny_output() {
  local got want
  want="msrp://Bob.Example.com:8888/9di4ea;tcp host=Bob.Example.com port=8888 session-id=9di4ea
msrp-error-quark invalid-uri
version $(relocated_pkg_config --modversion) checks"
  got=$(LD_LIBRARY_PATH=$dest$libdir "$tmp/tiny" 'MSRP://Bob.Example.com:8888/9di4ea;TCP') || return 1
  [ "$got" = "$want" ] || { printf 'got:\n%s\nwant:\n%s\n' "$got" "$want"; return 1; }
}

soname_and_links() {
  readelf -d "$dest$libdir/libmsrp-1.0.so" | grep -q 'SONAME.*\[libmsrp-1.0.so.0\]' &&
    [ -L "$dest$libdir/libmsrp-1.0.so" ] && [ -e "$dest$libdir/libmsrp-1.0.so.0" ]
}

exported_symbols() {
  nm -D --defined-only "$dest$libdir/libmsrp-1.0.so" | awk '{ print $3 }'
}

only_msrp_symbols_exported() {
  local symbols others
  symbols=$(exported_symbols) || return 1
  [ -n "$symbols" ] || { echo "no symbols"; return 1; }
  others=$(grep -v '^msrp_' <<<"$symbols")
  [ -z "$others" ] || { echo "exported: $others"; return 1; }
}

exports_declared_in_headers() {
  local sym missing=""
  for sym in $(exported_symbols); do
    grep -qw "$sym" "$dest$includedir"/msrp-1.0/msrp/*.h || missing+=" $sym"
  done
  [ -z "$missing" ] || { echo "not in any installed header:$missing"; return 1; }
}

plugin_inspects() {
  GST_REGISTRY_1_0=$tmp/registry.bin GST_PLUGIN_PATH=$dest$libdir/gstreamer-1.0 \
    LD_LIBRARY_PATH=$dest$libdir gst-inspect-1.0 msrp | tee "$tmp/inspect" &&
    grep -q 'msrpsrc' "$tmp/inspect" && grep -q 'msrpsink' "$tmp/inspect" &&
    grep -q "Filename.*$dest$libdir/gstreamer-1.0/libgstmsrp.so" "$tmp/inspect"
}

only_gst_msrp_symbols_exported() {
  local symbols others sym missing=""
  symbols=$(nm -D --defined-only "$dest$libdir/libgstmsrp-1.0.so" | awk '{ print $3 }') || return 1
  others=$(grep -v -e '^gst_msrp_' -e '^gst_buffer_add_msrp_' -e '^gst_buffer_get_msrp_' <<<"$symbols")
  [ -z "$others" ] || { echo "exported: $others"; return 1; }
  for sym in $symbols; do
    grep -qw "$sym" "$dest$includedir"/msrp-1.0/gst-msrp/*.h || missing+=" $sym"
  done
  [ -z "$missing" ] || { echo "not in any installed header:$missing"; return 1; }
}

plugin_exports_only_its_descriptor() {
  local symbols
  symbols=$(nm -D --defined-only "$dest$libdir/gstreamer-1.0/libgstmsrp.so" | awk '{ print $3 }')
  [ "$symbols" = "$(printf 'gst_plugin_msrp_get_desc\ngst_plugin_msrp_register')" ] ||
    { echo "exported: $symbols"; return 1; }
}

# Prints the typelib gi loaded, then each libmsrp file mapped in the process.
typelib_loads() {
  local got want
  got=$(GI_TYPELIB_PATH=$dest$libdir/girepository-1.0 LD_LIBRARY_PATH=$dest$libdir "$python" -c '
import gi
gi.require_version("Msrp", "1.0")
from gi.repository import Msrp
uri = Msrp.Uri.parse("msrps://h.example:1/s;tcp")
assert uri.is_secure() and uri.get_port() == 1, uri.to_string()
print(Msrp.__path__[0])
with open("/proc/self/maps") as maps:
    print("\n".join(sorted({l.split()[-1] for l in maps if "libmsrp-1.0.so" in l})))
') || return 1
  want=$(printf '%s\n' "$dest$libdir/girepository-1.0/Msrp-1.0.typelib" \
           "$dest$libdir/libmsrp-1.0.so.0.0.0")
  [ "$got" = "$want" ] || { printf 'got:\n%s\nwant:\n%s\n' "$got" "$want"; return 1; }
}

check "meson install --destdir" "$meson" install -C "$build" --destdir "$dest" --no-rebuild --quiet
check "headers only under include/msrp-1.0/msrp/" headers_only_in_msrp_dir
check "no private headers installed" no_private_headers
check "msrp-1.0.pc installed" test -f "$dest$libdir/pkgconfig/msrp-1.0.pc"
check "pkg-config flags point into the installed tree" flags_point_into_destdir
check "tiny.c builds with pkg-config msrp-1.0 and -Werror" build_tiny
check "tiny links the installed libmsrp" tiny_uses_destdir_library
check "tiny parses a URI and matches MSRP_ERROR" tiny_output
check "SONAME libmsrp-1.0.so.0 and the development symlink" soname_and_links
check "only msrp_* symbols exported" only_msrp_symbols_exported
check "every exported symbol is declared in an installed header" exports_declared_in_headers

if [ "$introspection" = true ]; then
  check "Msrp-1.0.gir installed" test -f "$dest$datadir/gir-1.0/Msrp-1.0.gir"
  check "Msrp-1.0.typelib installed" test -f "$dest$libdir/girepository-1.0/Msrp-1.0.typelib"
  if [ -n "$python" ]; then
    check "installed typelib loads the installed library from Python" typelib_loads
  else
    skip "installed typelib loads the installed library from Python" "no python3 with gi"
  fi
else
  for what in "Msrp-1.0.gir installed" "Msrp-1.0.typelib installed" \
              "installed typelib loads the installed library from Python"; do
    skip "$what" "introspection disabled"
  done
fi

if [ "$gst" = true ]; then
  check "the msrp plugin is installed and gst-inspect-1.0 lists msrpsrc and msrpsink" plugin_inspects
  check "gstreamer-msrp-1.0.pc installed" test -f "$dest$libdir/pkgconfig/gstreamer-msrp-1.0.pc"
  check "libgstmsrp-1.0 exports only its API, declared in installed headers" \
    only_gst_msrp_symbols_exported
  check "the plugin exports only its descriptor" plugin_exports_only_its_descriptor
else
  for what in "the msrp plugin is installed" "gstreamer-msrp-1.0.pc installed" \
              "libgstmsrp-1.0 exports only its API" "the plugin exports only its descriptor"; do
    skip "$what" "plugin not built"
  done
fi

if [ "$gst" = true ] && [ "$introspection" = true ]; then
  check "GstMsrp-1.0.gir installed" test -f "$dest$datadir/gir-1.0/GstMsrp-1.0.gir"
  check "GstMsrp-1.0.typelib installed" test -f "$dest$libdir/girepository-1.0/GstMsrp-1.0.typelib"
else
  for what in "GstMsrp-1.0.gir installed" "GstMsrp-1.0.typelib installed"; do
    skip "$what" "plugin or introspection not built"
  done
fi

if [ "$docs" = true ]; then
  check "API reference installed" test -f "$dest$datadir/doc/msrp-1.0/index.html"
else
  skip "API reference installed" "docs disabled"
fi

echo "1..$n"
