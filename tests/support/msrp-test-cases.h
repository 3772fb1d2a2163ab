/* msrp-test-cases.h: one GTest case per row of a table
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

/* Adds @func once per element of @cases, an array of @n_cases structs of
 * @case_size bytes whose first member is `const char *name`, as the test
 * @prefix/name. */
static inline void
msrp_test_add_cases (const char    *prefix,
                     gconstpointer  cases,
                     gsize          n_cases,
                     gsize          case_size,
                     GTestDataFunc  func)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      gconstpointer row = (const guint8 *) cases + i * case_size;
      g_autofree char *path = g_strdup_printf ("%s/%s", prefix, *(const char * const *) row);

      g_test_add_data_func (path, row, func);
    }
}

#define MSRP_TEST_ADD_CASES(prefix, cases, func) \
  msrp_test_add_cases ((prefix), (cases), G_N_ELEMENTS (cases), sizeof (cases)[0], (func))
