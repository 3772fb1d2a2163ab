#!/bin/sh
# asan-plugin-scanner.sh: GStreamer's plugin scanner for `meson test --setup asan`.
#
# The scanner is not built with ASan, and the plugin of an ASan build cannot
# be loaded into a program without the ASan runtime: the runtime is preloaded
# here. Leak detection stays off: the scanner is GStreamer's program, and
# what the plugin allocates while registering stays for the process's life.
LD_PRELOAD="$MSRP_ASAN_RUNTIME" ASAN_OPTIONS=detect_leaks=0 exec "$MSRP_GST_PLUGIN_SCANNER" "$@"
