/* msrp-cat.h: what the parts of msrp-cat share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <msrp.h>

G_BEGIN_DECLS

/* Exit statuses, as the --help texts list them. */
#define MSRP_CAT_EXIT_OK      0
#define MSRP_CAT_EXIT_FAILURE 1
#define MSRP_CAT_EXIT_USAGE   2

/* Options every subcommand has. */
typedef struct {
  gboolean verbose;
  gboolean quiet;
  char *relay;
  char *relay_user;
  char *relay_password;
  char *relay_digest_method;
} MsrpCatCommon;

int  msrp_cat_recv (int argc, char **argv);
int  msrp_cat_send (int argc, char **argv);

void msrp_cat_printerr  (const char *format, ...) G_GNUC_PRINTF (1, 2);
void msrp_cat_vprinterr (const char *format, va_list args) G_GNUC_PRINTF (1, 0);

GOptionContext *msrp_cat_option_context_new (const char     *command,
                                             const char     *parameters,
                                             const char     *summary,
                                             const char     *description,
                                             const GOptionEntry *entries,
                                             MsrpCatCommon  *common);
gboolean        msrp_cat_parse_options      (GOptionContext *context,
                                             MsrpCatCommon  *common,
                                             int            *argc,
                                             char         ***argv);
void            msrp_cat_common_clear       (MsrpCatCommon  *common);

MsrpConnector  *msrp_cat_get_connector      (MsrpCatCommon  *common,
                                             gboolean        acceptor);
char           *msrp_cat_describe_error     (const GError   *error);

/* A curl-like progress line on a terminal (msrp-cat-progress.c). */
typedef struct _MsrpCatProgress MsrpCatProgress;

MsrpCatProgress *msrp_cat_progress_start (MsrpCatCommon   *common,
                                          const char      *label,
                                          GObject         *message);
void             msrp_cat_progress_stop  (MsrpCatProgress *progress);

/* Files read and written on the main thread (msrp-cat-file-stream.c). */
#define MSRP_CAT_TYPE_FILE_INPUT (msrp_cat_file_input_get_type ())
G_DECLARE_FINAL_TYPE (MsrpCatFileInput, msrp_cat_file_input, MSRP_CAT, FILE_INPUT, GInputStream)
#define MSRP_CAT_TYPE_FILE_OUTPUT (msrp_cat_file_output_get_type ())
G_DECLARE_FINAL_TYPE (MsrpCatFileOutput, msrp_cat_file_output, MSRP_CAT, FILE_OUTPUT, GOutputStream)

GInputStream    *msrp_cat_file_input_new    (int      fd);
GOutputStream   *msrp_cat_output_stream_new (int      fd,
                                             gboolean close_fd);

G_END_DECLS
