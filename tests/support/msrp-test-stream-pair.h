/* msrp-test-stream-pair.h: two connected in-memory GIOStreams for tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * MSRP_TEST_STREAM_DEFAULT_CAPACITY:
 *
 * How many bytes one direction holds (readable or still delayed) before
 * its writer blocks, when [struct@MsrpTestStreamOptions] leaves `capacity`
 * at 0.
 */
#define MSRP_TEST_STREAM_DEFAULT_CAPACITY (256 * 1024)

/**
 * MsrpTestDirection:
 * @MSRP_TEST_A_TO_B: what stream A writes and stream B reads
 * @MSRP_TEST_B_TO_A: what stream B writes and stream A reads
 *
 * One direction of a [class@MsrpTestStreamPair]. Options, failures and
 * counters belong to a direction, so they affect one writer and one reader.
 */
typedef enum {
  MSRP_TEST_A_TO_B,
  MSRP_TEST_B_TO_A,
} MsrpTestDirection;

/**
 * MsrpTestStreamMode:
 * @MSRP_TEST_STREAM_MERGE: a write takes everything that fits; a read
 *   returns everything readable that fits its buffer, across writes
 * @MSRP_TEST_STREAM_SPLIT: a write takes a random prefix (1 byte or more)
 *   of what fits and a read returns a random number of bytes (1 or more)
 *   of what it could, so every partial-read and partial-write path runs
 *
 * How a direction cuts the bytes it carries.
 */
typedef enum {
  MSRP_TEST_STREAM_MERGE,
  MSRP_TEST_STREAM_SPLIT,
} MsrpTestStreamMode;

/**
 * MsrpTestStreamOptions:
 * @mode: merge (the default) or split
 * @seed: with %MSRP_TEST_STREAM_SPLIT, the seed of the direction's #GRand,
 *   so a test sees the same pieces on every run
 * @max_piece: with %MSRP_TEST_STREAM_SPLIT, the largest piece a write takes
 *   or a read returns; 0 for no bound (1 gives one byte at a time)
 * @capacity: bytes the direction holds before its writer blocks; 0 for
 *   %MSRP_TEST_STREAM_DEFAULT_CAPACITY
 * @delay_ms: bytes written become readable this many milliseconds later,
 *   in order; 0 for at once
 * @async_writes: the writer's output stream cannot poll
 *   (g_pollable_output_stream_can_poll() says %FALSE), so a user such as
 *   MsrpTransport writes with GIO's async calls; these run without threads:
 *   a write takes its bytes at once (waiting for room when the direction is
 *   full) and completes on a later iteration of the context, or once
 *   released when msrp_test_stream_pair_hold_writes() holds it
 *
 * The shape of one direction. A zeroed struct gives the defaults, so tests
 * name only what they change:
 * `&(MsrpTestStreamOptions) { .mode = MSRP_TEST_STREAM_SPLIT, .seed = 7 }`.
 */
typedef struct {
  MsrpTestStreamMode mode;
  guint32 seed;
  gsize max_piece;
  gsize capacity;
  guint delay_ms;
  gboolean async_writes;
} MsrpTestStreamOptions;

#define MSRP_TEST_TYPE_STREAM_PAIR (msrp_test_stream_pair_get_type ())

/**
 * MsrpTestStreamPair:
 *
 * Two connected in-memory #GIOStream, A and B: what one writes, the other
 * reads. Their streams are #GPollableInputStream and #GPollableOutputStream,
 * so pollable sources, `read_nonblocking`, `writev_nonblocking` and GIO's
 * async calls all work without threads.
 *
 * Each direction is bounded (see [struct@MsrpTestStreamOptions]): a writer
 * whose peer does not read gets %G_IO_ERROR_WOULD_BLOCK from non-blocking
 * calls, an async write waits, and a writable source fires once a read
 * made room. Closing a side's output makes the peer read end-of-file after
 * the buffered bytes; closing a side's input (or the whole #GIOStream)
 * makes the peer's writes fail with %G_IO_ERROR_BROKEN_PIPE and wakes
 * operations pending on the closed side with %G_IO_ERROR_CLOSED.
 *
 * Context: everything runs on the #GMainContext that was thread-default
 * when the pair was made (the delay timer is attached there); use the
 * streams only from the thread that owns it. Blocking (sync) reads and
 * writes wait by iterating that context, so they can wait for an async
 * peer or a delayed byte, and they dispatch other sources meanwhile.
 */
G_DECLARE_FINAL_TYPE (MsrpTestStreamPair, msrp_test_stream_pair, MSRP_TEST, STREAM_PAIR, GObject)

MsrpTestStreamPair *msrp_test_stream_pair_new           (const MsrpTestStreamOptions *a_to_b,
                                                         const MsrpTestStreamOptions *b_to_a);
GIOStream          *msrp_test_stream_pair_get_a         (MsrpTestStreamPair *pair);
GIOStream          *msrp_test_stream_pair_get_b         (MsrpTestStreamPair *pair);
void                msrp_test_stream_pair_set_options   (MsrpTestStreamPair          *pair,
                                                         MsrpTestDirection            direction,
                                                         const MsrpTestStreamOptions *options);
void                msrp_test_stream_pair_fail_writes   (MsrpTestStreamPair *pair,
                                                         MsrpTestDirection   direction,
                                                         guint64             after,
                                                         const GError       *error);
void                msrp_test_stream_pair_fail_reads    (MsrpTestStreamPair *pair,
                                                         MsrpTestDirection   direction,
                                                         guint64             after,
                                                         const GError       *error);
void                msrp_test_stream_pair_hold_writes   (MsrpTestStreamPair *pair,
                                                         MsrpTestDirection   direction,
                                                         gboolean            hold);
guint               msrp_test_stream_pair_get_held_writes (MsrpTestStreamPair *pair,
                                                           MsrpTestDirection   direction);
guint64             msrp_test_stream_pair_get_bytes_written (MsrpTestStreamPair *pair,
                                                             MsrpTestDirection   direction);
guint64             msrp_test_stream_pair_get_bytes_read    (MsrpTestStreamPair *pair,
                                                             MsrpTestDirection   direction);
gsize               msrp_test_stream_pair_get_buffered      (MsrpTestStreamPair *pair,
                                                             MsrpTestDirection   direction);

G_END_DECLS
