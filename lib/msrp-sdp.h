/* msrp-sdp.h: the SDP m=message media section of an MSRP session
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MSRP_H_INSIDE__) && !defined(MSRP_COMPILATION)
#error "Only <msrp/msrp.h> can be included directly."
#endif

#include <glib-object.h>
#include "msrp-version.h"

G_BEGIN_DECLS

/**
 * MsrpSdpSetup:
 * @MSRP_SDP_SETUP_NONE: no `a=setup` attribute; RFC 4975 rules apply (the
 *   offerer connects)
 * @MSRP_SDP_SETUP_ACTIVE: `a=setup:active`, this endpoint connects
 * @MSRP_SDP_SETUP_PASSIVE: `a=setup:passive`, this endpoint accepts
 * @MSRP_SDP_SETUP_ACTPASS: `a=setup:actpass`, either (offers only)
 * @MSRP_SDP_SETUP_HOLDCONN: `a=setup:holdconn`, no connection for now
 *
 * The connection role of an endpoint (RFC 4145 §4, used for MSRP by
 * RFC 6135).
 */
typedef enum {
  MSRP_SDP_SETUP_NONE,
  MSRP_SDP_SETUP_ACTIVE,
  MSRP_SDP_SETUP_PASSIVE,
  MSRP_SDP_SETUP_ACTPASS,
  MSRP_SDP_SETUP_HOLDCONN,
} MsrpSdpSetup;

/**
 * MsrpSdpDirection:
 * @MSRP_SDP_DIRECTION_SENDRECV: `a=sendrecv` (also when no direction is given)
 * @MSRP_SDP_DIRECTION_SENDONLY: `a=sendonly`
 * @MSRP_SDP_DIRECTION_RECVONLY: `a=recvonly`
 * @MSRP_SDP_DIRECTION_INACTIVE: `a=inactive`
 *
 * The direction attribute of a media section (RFC 4566 §6). RFC 5547 file
 * transfers use sendonly (offering a file) and recvonly (asking for one).
 */
typedef enum {
  MSRP_SDP_DIRECTION_SENDRECV,
  MSRP_SDP_DIRECTION_SENDONLY,
  MSRP_SDP_DIRECTION_RECVONLY,
  MSRP_SDP_DIRECTION_INACTIVE,
} MsrpSdpDirection;

/**
 * MSRP_SDP_PROTOCOL_TCP:
 *
 * The `m=` protocol of MSRP over TCP (RFC 4975).
 */
#define MSRP_SDP_PROTOCOL_TCP "TCP/MSRP"
/**
 * MSRP_SDP_PROTOCOL_TLS:
 *
 * The `m=` protocol of MSRP over TLS (RFC 4975).
 */
#define MSRP_SDP_PROTOCOL_TLS "TCP/TLS/MSRP"
/**
 * MSRP_SDP_PROTOCOL_WS:
 *
 * The `m=` protocol of MSRP over WebSocket (RFC 7977).
 */
#define MSRP_SDP_PROTOCOL_WS "TCP/WS/MSRP"
/**
 * MSRP_SDP_PROTOCOL_WSS:
 *
 * The `m=` protocol of MSRP over secure WebSocket (RFC 7977).
 */
#define MSRP_SDP_PROTOCOL_WSS "TCP/WSS/MSRP"

#define MSRP_TYPE_FILE_SELECTOR (msrp_file_selector_get_type ())

/**
 * MsrpFileSelector:
 *
 * An immutable, reference-counted RFC 5547 `a=file-selector`: the name,
 * media type, size and hash that identify a file being transferred. Every
 * part is optional.
 *
 * The parts are one value because they only mean something together: an
 * answer accepts a file by repeating the offer's whole selector (RFC 5547
 * §8), and file-transfer code takes the file's identity as one thing.
 */
typedef struct _MsrpFileSelector MsrpFileSelector;

MSRP_AVAILABLE_IN_ALL
GType              msrp_file_selector_get_type     (void) G_GNUC_CONST;
MSRP_AVAILABLE_IN_ALL
MsrpFileSelector  *msrp_file_selector_new          (const char  *name,
                                                    const char  *type,
                                                    gint64       size,
                                                    const char  *hash);
MSRP_AVAILABLE_IN_ALL
MsrpFileSelector  *msrp_file_selector_parse        (const char  *text,
                                                    GError     **error);
MSRP_AVAILABLE_IN_ALL
MsrpFileSelector  *msrp_file_selector_ref          (MsrpFileSelector *selector);
MSRP_AVAILABLE_IN_ALL
void               msrp_file_selector_unref        (MsrpFileSelector *selector);
MSRP_AVAILABLE_IN_ALL
const char        *msrp_file_selector_get_name     (const MsrpFileSelector *selector);
MSRP_AVAILABLE_IN_ALL
const char        *msrp_file_selector_get_media_type (const MsrpFileSelector *selector);
MSRP_AVAILABLE_IN_ALL
gint64             msrp_file_selector_get_size     (const MsrpFileSelector *selector);
MSRP_AVAILABLE_IN_ALL
const char        *msrp_file_selector_get_hash     (const MsrpFileSelector *selector);
MSRP_AVAILABLE_IN_ALL
char              *msrp_file_selector_to_string    (const MsrpFileSelector *selector);
MSRP_AVAILABLE_IN_ALL
gboolean           msrp_file_selector_equal        (const MsrpFileSelector *a,
                                                    const MsrpFileSelector *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsrpFileSelector, msrp_file_selector_unref)

#define MSRP_TYPE_SDP_MEDIA (msrp_sdp_media_get_type ())

MSRP_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MsrpSdpMedia, msrp_sdp_media, MSRP, SDP_MEDIA, GObject)

MSRP_AVAILABLE_IN_ALL
MsrpSdpMedia      *msrp_sdp_media_new              (void);
MSRP_AVAILABLE_IN_ALL
MsrpSdpMedia      *msrp_sdp_media_parse            (const char  *sdp,
                                                    GError     **error);
MSRP_AVAILABLE_IN_ALL
GPtrArray         *msrp_sdp_parse_all              (const char  *sdp,
                                                    GError     **error);
MSRP_AVAILABLE_IN_ALL
char              *msrp_sdp_media_to_string        (MsrpSdpMedia *media);
MSRP_AVAILABLE_IN_ALL
char              *msrp_sdp_media_to_session_string (MsrpSdpMedia *media,
                                                     const char   *origin_address,
                                                     const char   *session_name);
MSRP_AVAILABLE_IN_ALL
gboolean           msrp_sdp_media_equal            (MsrpSdpMedia *a,
                                                    MsrpSdpMedia *b);

MSRP_AVAILABLE_IN_ALL
guint              msrp_sdp_media_get_port         (MsrpSdpMedia *media);
MSRP_AVAILABLE_IN_ALL
void               msrp_sdp_media_set_port         (MsrpSdpMedia *media,
                                                    guint         port);
MSRP_AVAILABLE_IN_ALL
const char        *msrp_sdp_media_get_protocol     (MsrpSdpMedia *media);
MSRP_AVAILABLE_IN_ALL
void               msrp_sdp_media_set_protocol     (MsrpSdpMedia *media,
                                                    const char   *protocol);
MSRP_AVAILABLE_IN_ALL
gboolean           msrp_sdp_media_get_secure       (MsrpSdpMedia *media);
MSRP_AVAILABLE_IN_ALL
void               msrp_sdp_media_set_secure       (MsrpSdpMedia *media,
                                                    gboolean      secure);
MSRP_AVAILABLE_IN_ALL
GPtrArray         *msrp_sdp_media_get_path         (MsrpSdpMedia *media);
MSRP_AVAILABLE_IN_ALL
void               msrp_sdp_media_set_path         (MsrpSdpMedia *media,
                                                    GPtrArray    *path);
MSRP_AVAILABLE_IN_ALL
gboolean           msrp_sdp_media_set_path_string  (MsrpSdpMedia *media,
                                                    const char   *text,
                                                    GError      **error);
MSRP_AVAILABLE_IN_ALL
const char * const *msrp_sdp_media_get_accept_types (MsrpSdpMedia *media);
MSRP_AVAILABLE_IN_ALL
void               msrp_sdp_media_set_accept_types (MsrpSdpMedia       *media,
                                                    const char * const *types);
MSRP_AVAILABLE_IN_ALL
const char * const *msrp_sdp_media_get_accept_wrapped_types (MsrpSdpMedia *media);
MSRP_AVAILABLE_IN_ALL
void               msrp_sdp_media_set_accept_wrapped_types (MsrpSdpMedia       *media,
                                                            const char * const *types);
MSRP_AVAILABLE_IN_ALL
const char * const *msrp_sdp_media_get_languages   (MsrpSdpMedia *media);
MSRP_AVAILABLE_IN_ALL
void               msrp_sdp_media_set_languages    (MsrpSdpMedia       *media,
                                                    const char * const *languages);
MSRP_AVAILABLE_IN_ALL
gint64             msrp_sdp_media_get_max_size     (MsrpSdpMedia *media);
MSRP_AVAILABLE_IN_ALL
void               msrp_sdp_media_set_max_size     (MsrpSdpMedia *media,
                                                    gint64        max_size);
MSRP_AVAILABLE_IN_ALL
MsrpSdpSetup       msrp_sdp_media_get_setup        (MsrpSdpMedia *media);
MSRP_AVAILABLE_IN_ALL
void               msrp_sdp_media_set_setup        (MsrpSdpMedia *media,
                                                    MsrpSdpSetup  setup);
MSRP_AVAILABLE_IN_ALL
const char        *msrp_sdp_media_get_fingerprint  (MsrpSdpMedia *media);
MSRP_AVAILABLE_IN_ALL
void               msrp_sdp_media_set_fingerprint  (MsrpSdpMedia *media,
                                                    const char   *fingerprint);
MSRP_AVAILABLE_IN_ALL
gboolean           msrp_sdp_media_get_cema         (MsrpSdpMedia *media);
MSRP_AVAILABLE_IN_ALL
void               msrp_sdp_media_set_cema         (MsrpSdpMedia *media,
                                                    gboolean      cema);
MSRP_AVAILABLE_IN_ALL
MsrpSdpDirection   msrp_sdp_media_get_direction    (MsrpSdpMedia *media);
MSRP_AVAILABLE_IN_ALL
void               msrp_sdp_media_set_direction    (MsrpSdpMedia     *media,
                                                    MsrpSdpDirection  direction);
MSRP_AVAILABLE_IN_ALL
MsrpFileSelector  *msrp_sdp_media_get_file_selector (MsrpSdpMedia *media);
MSRP_AVAILABLE_IN_ALL
void               msrp_sdp_media_set_file_selector (MsrpSdpMedia     *media,
                                                     MsrpFileSelector *selector);
MSRP_AVAILABLE_IN_ALL
const char        *msrp_sdp_media_get_file_transfer_id (MsrpSdpMedia *media);
MSRP_AVAILABLE_IN_ALL
void               msrp_sdp_media_set_file_transfer_id (MsrpSdpMedia *media,
                                                        const char   *id);
MSRP_AVAILABLE_IN_ALL
const char        *msrp_sdp_media_get_file_disposition (MsrpSdpMedia *media);
MSRP_AVAILABLE_IN_ALL
void               msrp_sdp_media_set_file_disposition (MsrpSdpMedia *media,
                                                        const char   *disposition);
MSRP_AVAILABLE_IN_ALL
const char        *msrp_sdp_media_get_file_creation_date (MsrpSdpMedia *media);
MSRP_AVAILABLE_IN_ALL
void               msrp_sdp_media_set_file_creation_date (MsrpSdpMedia *media,
                                                          const char   *date);
MSRP_AVAILABLE_IN_ALL
const char        *msrp_sdp_media_get_file_modification_date (MsrpSdpMedia *media);
MSRP_AVAILABLE_IN_ALL
void               msrp_sdp_media_set_file_modification_date (MsrpSdpMedia *media,
                                                              const char   *date);
MSRP_AVAILABLE_IN_ALL
const char        *msrp_sdp_media_get_file_read_date (MsrpSdpMedia *media);
MSRP_AVAILABLE_IN_ALL
void               msrp_sdp_media_set_file_read_date (MsrpSdpMedia *media,
                                                      const char   *date);
MSRP_AVAILABLE_IN_ALL
const char        *msrp_sdp_media_get_file_icon    (MsrpSdpMedia *media);
MSRP_AVAILABLE_IN_ALL
void               msrp_sdp_media_set_file_icon    (MsrpSdpMedia *media,
                                                    const char   *icon);
MSRP_AVAILABLE_IN_ALL
gint64             msrp_sdp_media_get_file_range_start (MsrpSdpMedia *media);
MSRP_AVAILABLE_IN_ALL
gint64             msrp_sdp_media_get_file_range_stop (MsrpSdpMedia *media);
MSRP_AVAILABLE_IN_ALL
void               msrp_sdp_media_set_file_range   (MsrpSdpMedia *media,
                                                    gint64        start,
                                                    gint64        stop);
MSRP_AVAILABLE_IN_ALL
const char * const *msrp_sdp_media_get_extra_attributes (MsrpSdpMedia *media);
MSRP_AVAILABLE_IN_ALL
void               msrp_sdp_media_set_extra_attributes (MsrpSdpMedia       *media,
                                                        const char * const *attributes);
MSRP_AVAILABLE_IN_ALL
void               msrp_sdp_media_add_extra_attribute (MsrpSdpMedia *media,
                                                       const char   *name,
                                                       const char   *value);
MSRP_AVAILABLE_IN_ALL
const char        *msrp_sdp_media_lookup_extra_attribute (MsrpSdpMedia *media,
                                                          const char   *name);

MSRP_AVAILABLE_IN_ALL
MsrpSdpSetup       msrp_sdp_setup_answer           (MsrpSdpSetup offered);
MSRP_AVAILABLE_IN_ALL
gboolean           msrp_sdp_media_is_active        (MsrpSdpMedia *local,
                                                    MsrpSdpMedia *remote,
                                                    gboolean      local_is_offerer);
MSRP_AVAILABLE_IN_ALL
gboolean           msrp_sdp_media_use_session_matching (MsrpSdpMedia *local,
                                                        MsrpSdpMedia *remote);

G_END_DECLS
