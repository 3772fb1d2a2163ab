/* gstmsrpsettings.c: the session properties msrpsrc and msrpsink share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstmsrpsettings.h"

GType
gst_msrp_setup_get_type (void)
{
  static GType type;
  static const GEnumValue values[] = {
    { GST_MSRP_SETUP_AUTO, "Active when remote-path is set, passive otherwise", "auto" },
    { GST_MSRP_SETUP_ACTIVE, "Connect to the first URI of remote-path", "active" },
    { GST_MSRP_SETUP_PASSIVE, "Listen on local-path until the peer connects", "passive" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_enum_register_static ("GstMsrpSetup", values));
  return type;
}

void
gst_msrp_settings_init (GstMsrpSettings *settings,
                        const char      *accept_types)
{
  settings->setup = GST_MSRP_SETUP_AUTO;
  settings->accept_types = g_strdup (accept_types);
}

void
gst_msrp_settings_clear (GstMsrpSettings *settings)
{
  g_clear_object (&settings->session);
  g_clear_pointer (&settings->local_path, g_free);
  g_clear_pointer (&settings->remote_path, g_free);
  g_clear_pointer (&settings->fingerprint, g_free);
  g_clear_pointer (&settings->local_fingerprint, g_free);
  g_clear_pointer (&settings->relay, g_free);
  g_clear_pointer (&settings->relay_user, g_free);
  g_clear_pointer (&settings->relay_password, g_free);
  g_clear_pointer (&settings->accept_types, g_free);
}

#define FLAGS (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY)

/* Installs the properties as ids @first_id + GST_MSRP_PROP_*; @pspecs
 * (GST_MSRP_N_PROPS) receives them, for notifications. */
void
gst_msrp_settings_install (GObjectClass *klass,
                           guint         first_id,
                           const char   *accept_types,
                           GParamSpec  **pspecs)
{
  pspecs[GST_MSRP_PROP_SESSION] =
    g_param_spec_object ("session", "Session",
                         "The MsrpSession to use, made by the application (its main context "
                         "must be running); the standalone properties are then not used",
                         MSRP_TYPE_SESSION, FLAGS);
  pspecs[GST_MSRP_PROP_LOCAL_PATH] =
    g_param_spec_string ("local-path", "Local path",
                         "Standalone: the local MSRP URI to listen on, such as "
                         "msrp://127.0.0.1:7655/bob;tcp (port 0: any free one; no session-id: "
                         "a random one; unset: every address, any port). After start: the full "
                         "local path, with the real port, for the peer (SDP a=path)",
                         NULL, FLAGS);
  pspecs[GST_MSRP_PROP_REMOTE_PATH] =
    g_param_spec_string ("remote-path", "Remote path",
                         "Standalone: the peer's MSRP path (its SDP a=path, URIs separated by "
                         "spaces). Unset: the element listens and takes whoever connects",
                         NULL, FLAGS);
  pspecs[GST_MSRP_PROP_SETUP] =
    g_param_spec_enum ("setup", "Setup",
                       "Standalone: which end connects (SDP a=setup): auto is active when "
                       "remote-path is set, passive otherwise",
                       GST_TYPE_MSRP_SETUP, GST_MSRP_SETUP_AUTO, FLAGS);
  pspecs[GST_MSRP_PROP_TLS] =
    g_param_spec_boolean ("tls", "TLS",
                          "Standalone: MSRP over TLS (msrps:) on the local path, with a "
                          "self-signed certificate (see local-fingerprint); implied by an "
                          "msrps: local-path",
                          FALSE, FLAGS);
  pspecs[GST_MSRP_PROP_FINGERPRINT] =
    g_param_spec_string ("fingerprint", "Fingerprint",
                         "Standalone: the certificate fingerprint expected of the peer over TLS "
                         "(its SDP a=fingerprint, such as \"sha-256 4A:AD:...\")",
                         NULL, FLAGS);
  pspecs[GST_MSRP_PROP_LOCAL_FINGERPRINT] =
    g_param_spec_string ("local-fingerprint", "Local fingerprint",
                         "Standalone, after start with TLS: the fingerprint of this end's "
                         "certificate, for the peer (SDP a=fingerprint)",
                         NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  pspecs[GST_MSRP_PROP_RELAY] =
    g_param_spec_string ("relay", "Relay",
                         "Standalone: the MSRP relay (RFC 4976) this end is behind, such as "
                         "msrps://relay.example.com:2855;tcp (needs relay-user and "
                         "relay-password). The element connects to it and authenticates at "
                         "start; local-path then begins with the relay's URI for this session",
                         NULL, FLAGS);
  pspecs[GST_MSRP_PROP_RELAY_USER] =
    g_param_spec_string ("relay-user", "Relay user", "Standalone: the user name for the relay",
                         NULL, FLAGS);
  pspecs[GST_MSRP_PROP_RELAY_PASSWORD] =
    g_param_spec_string ("relay-password", "Relay password",
                         "Standalone: the password for the relay", NULL, FLAGS);
  pspecs[GST_MSRP_PROP_ACCEPT_TYPES] =
    g_param_spec_string ("accept-types", "Accept types",
                         "Standalone: the content types taken from the peer, separated by "
                         "spaces (SDP a=accept-types; type/* and * allowed); others are "
                         "refused with 415",
                         accept_types, FLAGS);
  pspecs[GST_MSRP_PROP_MAX_SIZE] =
    g_param_spec_uint64 ("max-size", "Max size",
                         "Standalone: the largest message taken from the peer in bytes "
                         "(SDP a=max-size; 0: no limit); larger ones are refused with 413",
                         0, G_MAXINT64, 0, FLAGS);
  for (guint i = 0; i < GST_MSRP_N_PROPS; i++)
    g_object_class_install_property (klass, first_id + i, pspecs[i]);
  gst_type_mark_as_plugin_api (GST_TYPE_MSRP_SETUP, 0);
}

/* The default branch of the element's set_property: @prop_id is one of
 * these when it is @first_id or more, and anything else is invalid. */
void
gst_msrp_settings_set_property (GstMsrpSettings *settings,
                                GObject         *object,
                                guint            first_id,
                                guint            prop_id,
                                const GValue    *value,
                                GParamSpec      *pspec)
{
  char **string = NULL;

  switch (prop_id < first_id ? GST_MSRP_N_PROPS : prop_id - first_id)
    {
    case GST_MSRP_PROP_SESSION:
      g_clear_object (&settings->session);
      settings->session = g_value_dup_object (value);
      return;
    case GST_MSRP_PROP_SETUP:
      settings->setup = g_value_get_enum (value);
      return;
    case GST_MSRP_PROP_TLS:
      settings->tls = g_value_get_boolean (value);
      return;
    case GST_MSRP_PROP_MAX_SIZE:
      settings->max_size = g_value_get_uint64 (value);
      return;
    case GST_MSRP_PROP_LOCAL_PATH:
      string = &settings->local_path;
      break;
    case GST_MSRP_PROP_REMOTE_PATH:
      string = &settings->remote_path;
      break;
    case GST_MSRP_PROP_FINGERPRINT:
      string = &settings->fingerprint;
      break;
    case GST_MSRP_PROP_RELAY:
      string = &settings->relay;
      break;
    case GST_MSRP_PROP_RELAY_USER:
      string = &settings->relay_user;
      break;
    case GST_MSRP_PROP_RELAY_PASSWORD:
      string = &settings->relay_password;
      break;
    case GST_MSRP_PROP_ACCEPT_TYPES:
      string = &settings->accept_types;
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  g_free (*string);
  *string = g_value_dup_string (value);
}

/* The default branch of the element's get_property. */
void
gst_msrp_settings_get_property (GstMsrpSettings *settings,
                                GObject         *object,
                                guint            first_id,
                                guint            prop_id,
                                GValue          *value,
                                GParamSpec      *pspec)
{
  switch (prop_id < first_id ? GST_MSRP_N_PROPS : prop_id - first_id)
    {
    case GST_MSRP_PROP_SESSION:
      g_value_set_object (value, settings->session);
      break;
    case GST_MSRP_PROP_LOCAL_PATH:
      g_value_set_string (value, settings->local_path);
      break;
    case GST_MSRP_PROP_REMOTE_PATH:
      g_value_set_string (value, settings->remote_path);
      break;
    case GST_MSRP_PROP_SETUP:
      g_value_set_enum (value, settings->setup);
      break;
    case GST_MSRP_PROP_TLS:
      g_value_set_boolean (value, settings->tls);
      break;
    case GST_MSRP_PROP_FINGERPRINT:
      g_value_set_string (value, settings->fingerprint);
      break;
    case GST_MSRP_PROP_LOCAL_FINGERPRINT:
      g_value_set_string (value, settings->local_fingerprint);
      break;
    case GST_MSRP_PROP_RELAY:
      g_value_set_string (value, settings->relay);
      break;
    case GST_MSRP_PROP_RELAY_USER:
      g_value_set_string (value, settings->relay_user);
      break;
    case GST_MSRP_PROP_RELAY_PASSWORD:
      g_value_set_string (value, settings->relay_password);
      break;
    case GST_MSRP_PROP_ACCEPT_TYPES:
      g_value_set_string (value, settings->accept_types);
      break;
    case GST_MSRP_PROP_MAX_SIZE:
      g_value_set_uint64 (value, settings->max_size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
    }
}

/* The local URI to listen on: @text, with TLS when asked for. */
static MsrpUri *
local_uri (const char *text, gboolean tls, GError **error)
{
  g_autoptr(MsrpUri) uri = NULL;

  if (text == NULL)
    return tls ? msrp_uri_new (TRUE, "::", 0, NULL, "tcp") : NULL;
  uri = msrp_uri_parse (text, error);
  if (uri == NULL || !tls || msrp_uri_is_secure (uri))
    return g_steal_pointer (&uri);
  return msrp_uri_new (TRUE, msrp_uri_get_host (uri), msrp_uri_get_port (uri),
                       msrp_uri_get_session_id (uri), msrp_uri_get_transport (uri));
}

/* The standalone configuration, or NULL with an element error posted. */
static GstMsrpLinkConfig *
make_config (GstElement *element, GstMsrpSettings *s)
{
  g_autoptr(GstMsrpLinkConfig) config = g_new0 (GstMsrpLinkConfig, 1);
  g_autoptr(GError) error = NULL;

  if (s->local_path != NULL || s->tls)
    {
      config->local_uri = local_uri (s->local_path, s->tls, &error);
      if (config->local_uri == NULL)
        {
          GST_ELEMENT_ERROR (element, RESOURCE, SETTINGS,
                             ("Invalid local-path \"%s\": %s", s->local_path, error->message),
                             (NULL));
          return NULL;
        }
    }
  if (s->remote_path != NULL)
    {
      config->remote_path = msrp_path_parse (s->remote_path, &error);
      if (config->remote_path == NULL)
        {
          GST_ELEMENT_ERROR (element, RESOURCE, SETTINGS,
                             ("Invalid remote-path \"%s\": %s", s->remote_path, error->message),
                             (NULL));
          return NULL;
        }
    }
  config->active = s->setup == GST_MSRP_SETUP_ACTIVE ||
                   (s->setup == GST_MSRP_SETUP_AUTO && config->remote_path != NULL);
  if (config->active && config->remote_path == NULL)
    {
      GST_ELEMENT_ERROR (element, RESOURCE, SETTINGS,
                         ("setup=active needs a remote-path to connect to"), (NULL));
      return NULL;
    }
  if (s->relay != NULL)
    {
      g_autoptr(MsrpUri) relay = msrp_uri_parse (s->relay, &error);

      if (relay == NULL)
        {
          GST_ELEMENT_ERROR (element, RESOURCE, SETTINGS,
                             ("Invalid relay \"%s\": %s", s->relay, error->message), (NULL));
          return NULL;
        }
      if (s->relay_user == NULL || s->relay_password == NULL)
        {
          GST_ELEMENT_ERROR (element, RESOURCE, SETTINGS,
                             ("A relay needs relay-user and relay-password"), (NULL));
          return NULL;
        }
      config->relay = msrp_relay_settings_new (relay, s->relay_user, s->relay_password);
    }
  config->remote_fingerprint = g_strdup (s->fingerprint);
  if (s->accept_types != NULL)
    {
      g_auto(GStrv) parts = g_strsplit_set (s->accept_types, " \t,", -1);
      GPtrArray *types = g_ptr_array_new ();

      for (guint i = 0; parts[i] != NULL; i++)
        if (parts[i][0] != '\0')
          g_ptr_array_add (types, g_strdup (parts[i]));
      g_ptr_array_add (types, NULL);
      config->accept_types = (GStrv) g_ptr_array_free (types, FALSE);
    }
  config->max_size = s->max_size;
  return g_steal_pointer (&config);
}

/* Opens the element's link: to the application's session, or a session
 * of its own. NULL with an element error posted. */
static GstMsrpLink *
open_link (GstElement      *element,
           GstMsrpSettings *settings,
           GParamSpec     **pspecs,
           guint            max_queued,
           gint             chunk_size)
{
  g_autoptr(GError) error = NULL;
  GstMsrpLinkConfig *config = NULL;
  GstMsrpLink *link;
  gboolean standalone;

  GstMsrpSettings copy = { 0 };

  /* A copy: errors cannot be posted under the object lock. */
  GST_OBJECT_LOCK (element);
  copy.session = settings->session ? g_object_ref (settings->session) : NULL;
  copy.local_path = g_strdup (settings->local_path);
  copy.remote_path = g_strdup (settings->remote_path);
  copy.setup = settings->setup;
  copy.tls = settings->tls;
  copy.fingerprint = g_strdup (settings->fingerprint);
  copy.relay = g_strdup (settings->relay);
  copy.relay_user = g_strdup (settings->relay_user);
  copy.relay_password = g_strdup (settings->relay_password);
  copy.accept_types = g_strdup (settings->accept_types);
  copy.max_size = settings->max_size;
  GST_OBJECT_UNLOCK (element);

  standalone = copy.local_path != NULL || copy.remote_path != NULL || copy.relay != NULL ||
               copy.tls;
  if (copy.session != NULL)
    {
      g_autoptr(MsrpSession) session = g_object_ref (copy.session);

      gst_msrp_settings_clear (&copy);
      if (standalone)
        {
          GST_ELEMENT_ERROR (element, RESOURCE, SETTINGS,
                             ("Set either the session property or the standalone ones "
                              "(local-path, remote-path, tls, relay), not both"), (NULL));
          return NULL;
        }
      link = gst_msrp_link_new (element, session, max_queued, chunk_size, &error);
      if (link == NULL)
        GST_ELEMENT_ERROR (element, RESOURCE, OPEN_READ_WRITE, ("%s", error->message), (NULL));
      return link;
    }
  config = make_config (element, &copy);
  gst_msrp_settings_clear (&copy);
  if (config == NULL)
    return NULL;

  link = gst_msrp_link_new_standalone (element, config, max_queued, chunk_size, &error);
  if (link == NULL)
    {
      GST_ELEMENT_ERROR (element, RESOURCE, OPEN_READ_WRITE, ("%s", error->message), (NULL));
      return NULL;
    }
  GST_INFO_OBJECT (element, "local path %s", gst_msrp_link_get_local_path (link));
  GST_OBJECT_LOCK (element);
  g_free (settings->local_path);
  settings->local_path = g_strdup (gst_msrp_link_get_local_path (link));
  g_free (settings->local_fingerprint);
  settings->local_fingerprint = g_strdup (gst_msrp_link_get_local_fingerprint (link));
  GST_OBJECT_UNLOCK (element);
  g_object_notify_by_pspec (G_OBJECT (element), pspecs[GST_MSRP_PROP_LOCAL_PATH]);
  g_object_notify_by_pspec (G_OBJECT (element), pspecs[GST_MSRP_PROP_LOCAL_FINGERPRINT]);
  return link;
}

/* The element's start(): opens its link into @slot (see gstmsrplink.h).
 * FALSE with an element error posted. */
gboolean
gst_msrp_settings_start (GstElement      *element,
                         GstMsrpSettings *settings,
                         GParamSpec     **pspecs,
                         GstMsrpLink    **slot,
                         guint            max_queued,
                         gint             chunk_size)
{
  GstMsrpLink *link = open_link (element, settings, pspecs, max_queued, chunk_size);

  if (link == NULL)
    return FALSE;
  gst_msrp_link_slot_set (element, slot, link);
  return TRUE;
}
