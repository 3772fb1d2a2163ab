/* gstmsrpsettings.h: the session properties msrpsrc and msrpsink share
 *
 * Not installed. Both elements take an application's MsrpSession, or make
 * their own from the standalone properties (for gst-launch-1.0). The
 * properties, their checks and the link they open are here once.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include "gstmsrplink.h"

G_BEGIN_DECLS

/**
 * GstMsrpSetup:
 * @GST_MSRP_SETUP_AUTO: passive when only local-path is set, active when
 *   remote-path is set
 * @GST_MSRP_SETUP_ACTIVE: connect to the first URI of remote-path
 * @GST_MSRP_SETUP_PASSIVE: listen on local-path until the peer connects
 *
 * Which end makes the connection (SDP `a=setup`, RFC 6135).
 */
typedef enum {
  GST_MSRP_SETUP_AUTO,
  GST_MSRP_SETUP_ACTIVE,
  GST_MSRP_SETUP_PASSIVE,
} GstMsrpSetup;

#define GST_TYPE_MSRP_SETUP (gst_msrp_setup_get_type ())
GType gst_msrp_setup_get_type (void);

/* The properties, in this order, from the element's first id on. */
enum {
  GST_MSRP_PROP_SESSION,
  GST_MSRP_PROP_LOCAL_PATH,
  GST_MSRP_PROP_REMOTE_PATH,
  GST_MSRP_PROP_SETUP,
  GST_MSRP_PROP_TLS,
  GST_MSRP_PROP_FINGERPRINT,
  GST_MSRP_PROP_LOCAL_FINGERPRINT,
  GST_MSRP_PROP_RELAY,
  GST_MSRP_PROP_RELAY_USER,
  GST_MSRP_PROP_RELAY_PASSWORD,
  GST_MSRP_PROP_ACCEPT_TYPES,
  GST_MSRP_PROP_MAX_SIZE,
  GST_MSRP_N_PROPS
};

/* Under the element's object lock. */
typedef struct {
  MsrpSession *session;
  char *local_path;
  char *remote_path;
  GstMsrpSetup setup;
  gboolean tls;
  char *fingerprint;
  char *local_fingerprint;
  char *relay;
  char *relay_user;
  char *relay_password;
  char *accept_types;
  guint64 max_size;
} GstMsrpSettings;

void          gst_msrp_settings_init         (GstMsrpSettings *settings,
                                              const char      *accept_types);
void          gst_msrp_settings_clear        (GstMsrpSettings *settings);
void          gst_msrp_settings_install      (GObjectClass    *klass,
                                              guint            first_id,
                                              const char      *accept_types,
                                              GParamSpec     **pspecs);
void          gst_msrp_settings_set_property (GstMsrpSettings *settings,
                                              GObject         *object,
                                              guint            first_id,
                                              guint            prop_id,
                                              const GValue    *value,
                                              GParamSpec      *pspec);
void          gst_msrp_settings_get_property (GstMsrpSettings *settings,
                                              GObject         *object,
                                              guint            first_id,
                                              guint            prop_id,
                                              GValue          *value,
                                              GParamSpec      *pspec);
gboolean      gst_msrp_settings_start        (GstElement      *element,
                                              GstMsrpSettings *settings,
                                              GParamSpec     **pspecs,
                                              GstMsrpLink    **slot,
                                              guint            max_queued,
                                              gint             chunk_size);

G_END_DECLS
