/* msrp-string-private.h: a string helper shared by the library
 *
 * Not installed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Replaces the string in @field by a copy of @value (either may be NULL);
 * TRUE when it changed, for a setter's notify. g_set_str() is GLib 2.76. */
static inline gboolean
msrp_set_str (char **field, const char *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

G_END_DECLS
