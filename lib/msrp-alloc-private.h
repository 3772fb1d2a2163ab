/* msrp-alloc-private.h: zeroed allocations on the per-message paths
 *
 * Not installed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <string.h>
#include <glib.h>

G_BEGIN_DECLS

/* g_new0 (Type, 1) through malloc and memset: glibc's calloc (Debian 12's
 * 2.36) does not use the per-thread cache, so an allocation that is zeroed
 * costs hundreds of instructions more, and its free as many once the cache
 * holds the chunks calloc could not take back. */
#define msrp_new0(Type) ((Type *) memset (g_malloc (sizeof (Type)), 0, sizeof (Type)))

G_END_DECLS
