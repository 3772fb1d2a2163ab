/* msrp-test-socket.h: the TCP socket under a transport, for tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <msrp.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

/* The socket of @transport's connection, under TLS if there is TLS. */
static inline GSocket *
test_transport_socket (MsrpTransport *transport)
{
  GIOStream *stream = msrp_transport_get_stream (transport);

  if (G_IS_TLS_CONNECTION (stream))
    {
      /* The TLS connection keeps it. */
      g_object_get (stream, "base-io-stream", &stream, NULL);
      g_object_unref (stream);
    }
  g_assert_true (G_IS_SOCKET_CONNECTION (stream));
  return g_socket_connection_get_socket (G_SOCKET_CONNECTION (stream));
}

/* Whether Nagle's algorithm is off on @transport's socket. */
static inline gboolean
test_transport_no_delay (MsrpTransport *transport)
{
  g_autoptr(GError) error = NULL;
  gint value = 0;

  g_assert_true (g_socket_get_option (test_transport_socket (transport), IPPROTO_TCP, TCP_NODELAY,
                                      &value, &error));
  g_assert_no_error (error);
  return value != 0;
}
