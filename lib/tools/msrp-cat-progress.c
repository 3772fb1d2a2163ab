/* msrp-cat-progress.c: a curl-like progress line for big messages
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "msrp-cat.h"

#include <stdio.h>
#include <unistd.h>

/* Redraw interval, and how long a message must take before it gets a line:
 * a chat line never shows one. */
#define TICK_MS 250
#define SHOW_AFTER_US (G_USEC_PER_SEC / 2)

struct _MsrpCatProgress
{
  GObject *message;
  char *label;
  gint64 start_us;
  guint source;
  gboolean drawn;
};

static void
progress_values (MsrpCatProgress *progress, guint64 *bytes, gint64 *total)
{
  if (MSRP_IS_OUTGOING_MESSAGE (progress->message))
    {
      MsrpOutgoingMessage *message = MSRP_OUTGOING_MESSAGE (progress->message);
      *bytes = msrp_outgoing_message_get_bytes_sent (message);
      *total = msrp_outgoing_message_get_size (message);
    }
  else
    {
      MsrpIncomingMessage *message = MSRP_INCOMING_MESSAGE (progress->message);
      *bytes = msrp_incoming_message_get_bytes_received (message);
      *total = msrp_incoming_message_get_size (message);
    }
}

static char *
format_duration (guint64 seconds)
{
  if (seconds >= 3600)
    return g_strdup_printf ("%" G_GUINT64_FORMAT ":%02u:%02u", seconds / 3600,
                            (guint) (seconds / 60 % 60), (guint) (seconds % 60));
  return g_strdup_printf ("%u:%02u", (guint) (seconds / 60), (guint) (seconds % 60));
}

static void
progress_draw (MsrpCatProgress *progress, gboolean final)
{
  double elapsed = (g_get_monotonic_time () - progress->start_us) / (double) G_USEC_PER_SEC;
  guint64 bytes;
  gint64 total;
  double rate;
  g_autofree char *done = NULL;
  g_autofree char *speed = NULL;
  g_autoptr(GString) line = g_string_new (NULL);

  progress_values (progress, &bytes, &total);
  rate = elapsed > 0 ? bytes / elapsed : 0;
  done = g_format_size (bytes);
  speed = g_format_size ((guint64) rate);
  g_string_append_printf (line, "\r%s %s", progress->label, done);
  if (total > 0)
    {
      g_autofree char *all = g_format_size (total);
      g_string_append_printf (line, " / %s (%u%%)", all, (guint) (bytes * 100 / total));
    }
  g_string_append_printf (line, "  %s/s", speed);
  if (final && elapsed < 60)
    g_string_append_printf (line, "  in %.1f s", elapsed);
  else if (final)
    {
      g_autofree char *took = format_duration ((guint64) elapsed);
      g_string_append_printf (line, "  in %s", took);
    }
  else if (total > 0 && rate > 0 && (guint64) total > bytes)
    {
      g_autofree char *eta = format_duration ((guint64) ((total - bytes) / rate));
      g_string_append_printf (line, "  ETA %s", eta);
    }
  /* Erase what a longer previous line left. */
  g_string_append (line, "\033[K");
  if (final)
    g_string_append_c (line, '\n');
  fputs (line->str, stderr);
  progress->drawn = TRUE;
}

static gboolean
progress_tick (gpointer user_data)
{
  MsrpCatProgress *progress = user_data;

  if (g_get_monotonic_time () - progress->start_us >= SHOW_AFTER_US)
    progress_draw (progress, FALSE);
  return G_SOURCE_CONTINUE;
}

/* Starts a progress line for @message (an MsrpOutgoingMessage or an
 * MsrpIncomingMessage) when stderr is a terminal and -q was not given;
 * returns NULL otherwise. */
MsrpCatProgress *
msrp_cat_progress_start (MsrpCatCommon *common,
                         const char    *label,
                         GObject       *message)
{
  MsrpCatProgress *progress;

  if (common->quiet || !isatty (STDERR_FILENO))
    return NULL;
  progress = g_new0 (MsrpCatProgress, 1);
  progress->message = g_object_ref (message);
  progress->label = g_strdup (label);
  progress->start_us = g_get_monotonic_time ();
  progress->source = g_timeout_add (TICK_MS, progress_tick, progress);
  return progress;
}

/* Ends the line with the final figures if it was shown; frees @progress. */
void
msrp_cat_progress_stop (MsrpCatProgress *progress)
{
  if (progress == NULL)
    return;
  g_source_remove (progress->source);
  if (progress->drawn)
    progress_draw (progress, TRUE);
  g_object_unref (progress->message);
  g_free (progress->label);
  g_free (progress);
}
