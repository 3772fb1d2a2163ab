/* msrp-socket-private.h: socket options for the connections the library makes
 *
 * Not installed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

G_BEGIN_DECLS

/* Turns Nagle's algorithm off on the TCP socket of @connection, as every
 * connection the library opens or accepts gets it: MSRP runs request and
 * response, and a small frame (a 200, a REPORT, a chat line, the end of a
 * chunk) must not wait for the acknowledgement of the previous one, which
 * the peer's delayed ACK holds back for up to 40 ms. Large frames are
 * written in large pieces anyway. A failure is only logged. */
static inline void
msrp_socket_set_no_delay (GSocketConnection *connection)
{
  g_autoptr(GError) error = NULL;

  if (!G_IS_TCP_CONNECTION (connection))
    return;
  if (!g_socket_set_option (g_socket_connection_get_socket (connection), IPPROTO_TCP, TCP_NODELAY,
                            1, &error))
    g_debug ("cannot set TCP_NODELAY: %s", error->message);
}

G_END_DECLS
