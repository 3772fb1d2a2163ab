/* msrp-test-wait.h: bounded waits on the main context, for tests
 *
 * A test starts a guard; every wait gives up (failing the test) once the
 * guard fires. The guard only catches hangs: no test asserts how long
 * anything takes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

static gboolean test_timed_out;
static GSource *test_guard;

static inline gboolean
test_guard_fired (gpointer user_data)
{
  test_timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Starts the guard: @seconds normally, ten times that under valgrind. */
static inline void
test_guard_start (guint seconds)
{
  test_timed_out = FALSE;
  test_guard = g_timeout_source_new_seconds (g_getenv ("MSRP_TEST_VALGRIND") ? 10 * seconds
                                                                              : seconds);
  g_source_set_callback (test_guard, test_guard_fired, NULL, NULL);
  g_source_attach (test_guard, NULL);
}

/* Stops the guard and lets closes and aborts under way finish. */
static inline void
test_guard_stop (void)
{
  g_source_destroy (test_guard);
  g_clear_pointer (&test_guard, g_source_unref);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

#define WAIT_UNTIL(cond)                                           \
  G_STMT_START {                                                   \
    while (!(cond) && !test_timed_out)                             \
      g_main_context_iteration (NULL, TRUE);                       \
    if (test_timed_out)                                            \
      g_error ("timed out waiting for %s", #cond);                 \
  } G_STMT_END

/* A GAsyncReadyCallback that keeps the result in the GAsyncResult *
 * @user_data points to. */
static inline void
keep_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static inline GAsyncResult *
wait_result (GAsyncResult **slot)
{
  WAIT_UNTIL (*slot != NULL);
  return *slot;
}
