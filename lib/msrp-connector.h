/* msrp-connector.h: making the connection of an MSRP session
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MSRP_H_INSIDE__) && !defined(MSRP_COMPILATION)
#error "Only <msrp/msrp.h> can be included directly."
#endif

#include <gio/gio.h>
#include "msrp-version.h"
#include "msrp-uri.h"
#include "msrp-sdp.h"
#include "msrp-tls.h"
#include "msrp-session.h"
#include "msrp-relay-settings.h"

G_BEGIN_DECLS

#define MSRP_TYPE_CONNECTOR (msrp_connector_get_type ())
MSRP_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (MsrpConnector, msrp_connector, MSRP, CONNECTOR, GObject)

/**
 * MsrpConnectorClass:
 * @parent_class: the parent class
 * @prepare_async: binds or reserves what the local path needs (see
 *   msrp_connector_prepare_async()); @local_uri is never %NULL here, and
 *   its session-id is set
 * @prepare_finish: returns the full local path
 * @complete_async: makes the connection to @remote_path and the session
 *   on it (see msrp_connector_complete_async())
 * @complete_finish: returns the connected session
 * @reconnect_async: moves @session, made by this connector, to a new
 *   connection for its new remote path (called by
 *   msrp_session_update_remote_path_async() when the first hop changed)
 * @reconnect_finish: returns whether @session runs on the new connection
 *
 * The virtual functions of a connector. Subclasses implement all of them.
 */
/**
 * MsrpConnectorClass::prepare_finish:
 * @connector: the connector
 * @result: the #GAsyncResult given to the callback of prepare_async
 * @error: return location for a #GError
 *
 * Finishes prepare_async. The connector keeps references of its own to
 * the URIs, so an implementation may hand over a container of borrowed
 * ones.
 *
 * Returns: (transfer container) (element-type MsrpUri) (nullable): the
 *   full local path, or %NULL with @error set
 */
/**
 * MsrpConnectorClass::reconnect_async:
 * @connector: the connector that made @session
 * @session: the session to move
 * @remote_path: (element-type MsrpUri): the session's new remote path
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when @session runs on the new
 *   connection or could not be moved
 * @user_data: data for @callback
 *
 * Moves @session to a new connection for @remote_path, whose first hop
 * changed. It has no public caller: msrp_session_update_remote_path_async()
 * calls it.
 */
struct _MsrpConnectorClass
{
  GObjectClass parent_class;

  void           (*prepare_async)    (MsrpConnector        *connector,
                                      MsrpUri              *local_uri,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
  GPtrArray     *(*prepare_finish)   (MsrpConnector        *connector,
                                      GAsyncResult         *result,
                                      GError              **error);
  void           (*complete_async)   (MsrpConnector        *connector,
                                      GPtrArray            *remote_path,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
  MsrpSession   *(*complete_finish)  (MsrpConnector        *connector,
                                      GAsyncResult         *result,
                                      GError              **error);
  void           (*reconnect_async)  (MsrpConnector        *connector,
                                      MsrpSession          *session,
                                      GPtrArray            *remote_path,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
  gboolean       (*reconnect_finish) (MsrpConnector        *connector,
                                      GAsyncResult         *result,
                                      GError              **error);

  /*< private >*/
  gpointer padding[8];
};

MSRP_AVAILABLE_IN_ALL
void                msrp_connector_prepare_async          (MsrpConnector        *connector,
                                                           MsrpUri              *local_uri,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
MSRP_AVAILABLE_IN_ALL
GPtrArray          *msrp_connector_prepare_finish         (MsrpConnector        *connector,
                                                           GAsyncResult         *result,
                                                           GError              **error);
MSRP_AVAILABLE_IN_ALL
void                msrp_connector_complete_async         (MsrpConnector        *connector,
                                                           GPtrArray            *remote_path,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
MSRP_AVAILABLE_IN_ALL
MsrpSession        *msrp_connector_complete_finish        (MsrpConnector        *connector,
                                                           GAsyncResult         *result,
                                                           GError              **error);
MSRP_AVAILABLE_IN_ALL
void                msrp_connector_complete_string_async  (MsrpConnector        *connector,
                                                           const char           *remote_path,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
MSRP_AVAILABLE_IN_ALL
MsrpSession        *msrp_connector_complete_string_finish (MsrpConnector        *connector,
                                                           GAsyncResult         *result,
                                                           GError              **error);

MSRP_AVAILABLE_IN_ALL
gboolean            msrp_connector_is_active              (MsrpConnector        *connector);
MSRP_AVAILABLE_IN_ALL
GPtrArray          *msrp_connector_get_local_path         (MsrpConnector        *connector);
MSRP_AVAILABLE_IN_ALL
const char         *msrp_connector_get_advertised_host    (MsrpConnector        *connector);
MSRP_AVAILABLE_IN_ALL
void                msrp_connector_set_advertised_host    (MsrpConnector        *connector,
                                                           const char           *host);
MSRP_AVAILABLE_IN_ALL
MsrpTlsCredentials *msrp_connector_get_credentials        (MsrpConnector        *connector);
MSRP_AVAILABLE_IN_ALL
void                msrp_connector_set_credentials        (MsrpConnector        *connector,
                                                           MsrpTlsCredentials   *credentials);
MSRP_AVAILABLE_IN_ALL
const char         *msrp_connector_get_fingerprint        (MsrpConnector        *connector);
MSRP_AVAILABLE_IN_ALL
const char         *msrp_connector_get_remote_fingerprint (MsrpConnector        *connector);
MSRP_AVAILABLE_IN_ALL
void                msrp_connector_set_remote_fingerprint (MsrpConnector        *connector,
                                                           const char           *fingerprint);
MSRP_AVAILABLE_IN_ALL
MsrpSessionMatching msrp_connector_get_matching           (MsrpConnector        *connector);
MSRP_AVAILABLE_IN_ALL
void                msrp_connector_set_matching           (MsrpConnector        *connector,
                                                           MsrpSessionMatching   matching);

MSRP_AVAILABLE_IN_ALL
MsrpConnector      *msrp_get_connector                    (MsrpRelaySettings    *relay,
                                                           GError              **error);
MSRP_AVAILABLE_IN_ALL
MsrpConnector      *msrp_get_acceptor                     (MsrpRelaySettings    *relay,
                                                           GError              **error);
MSRP_AVAILABLE_IN_ALL
MsrpConnector      *msrp_get_connector_for_sdp            (MsrpSdpMedia         *local,
                                                           MsrpSdpMedia         *remote,
                                                           gboolean              local_is_offerer,
                                                           MsrpRelaySettings    *relay,
                                                           GError              **error);
MSRP_AVAILABLE_IN_ALL
MsrpConnector      *msrp_connector_negotiate              (MsrpConnector        *connector,
                                                           MsrpSdpMedia         *local,
                                                           MsrpSdpMedia         *remote,
                                                           gboolean              local_is_offerer,
                                                           GError              **error);

G_END_DECLS
