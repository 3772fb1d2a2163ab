/* msrp-test-pollable-stream.h: bases for test streams made of a read or write function
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MSRP_TEST_TYPE_POLLABLE_INPUT (msrp_test_pollable_input_get_type ())

/**
 * MsrpTestPollableInput:
 *
 * A base for test input streams whose subclass gives only `read_fn`, a read
 * that never blocks (a generator, a counter). The base answers async reads
 * at once through a #GTask, without threads, and is a #GPollableInputStream:
 * `read_nonblocking` calls `read_fn`, and a pollable source is ready on the
 * next main-loop iteration.
 *
 * It can poll unless msrp_test_pollable_stream_set_pollable() says not; a
 * subclass can make its next non-blocking read fail with
 * %G_IO_ERROR_WOULD_BLOCK until a source is made, as a busy pipe would
 * (msrp_test_pollable_stream_set_busy()), or hold it until released
 * (msrp_test_pollable_stream_set_held()).
 */
G_DECLARE_DERIVABLE_TYPE (MsrpTestPollableInput, msrp_test_pollable_input,
                          MSRP_TEST, POLLABLE_INPUT, GInputStream)

struct _MsrpTestPollableInputClass
{
  GInputStreamClass parent_class;
};

#define MSRP_TEST_TYPE_POLLABLE_OUTPUT (msrp_test_pollable_output_get_type ())

/**
 * MsrpTestPollableOutput:
 *
 * The output side of [class@MsrpTestPollableInput]: a subclass gives
 * `write_fn`, a write that never blocks; async writes complete at once,
 * `write_nonblocking` calls `write_fn`.
 */
G_DECLARE_DERIVABLE_TYPE (MsrpTestPollableOutput, msrp_test_pollable_output,
                          MSRP_TEST, POLLABLE_OUTPUT, GOutputStream)

struct _MsrpTestPollableOutputClass
{
  GOutputStreamClass parent_class;
};

void msrp_test_pollable_stream_set_pollable (gpointer stream,
                                             gboolean pollable);
void msrp_test_pollable_stream_set_busy     (gpointer stream,
                                             gboolean busy);
void msrp_test_pollable_stream_set_held     (gpointer stream,
                                             gboolean held);

G_END_DECLS
