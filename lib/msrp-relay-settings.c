/* msrp-relay-settings.c: how to reach and authenticate to an RFC 4976 relay
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "msrp-relay-settings.h"
#include "msrp-relay-auth.h"
#include "msrp-string-private.h"

/**
 * MsrpRelaySettings:
 *
 * The relay an endpoint uses (RFC 4976): its URI and the digest
 * credentials to AUTH with. Give it to msrp_get_connector() or
 * msrp_get_acceptor().
 *
 * They give a [class@Msrp.RelayConnector] or [class@Msrp.RelayAcceptor];
 * its [class@Msrp.RelayClient], made with these settings and reading them
 * at each AUTH, holds the finer ones (more relays to try, Expires, TLS
 * checks).
 */
struct _MsrpRelaySettings
{
  GObject parent_instance;

  MsrpUri *uri;
  char *username;
  char *password;
  char *digest_method;
};

G_DEFINE_FINAL_TYPE (MsrpRelaySettings, msrp_relay_settings, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_URI,
  PROP_USERNAME,
  PROP_PASSWORD,
  PROP_DIGEST_METHOD,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
msrp_relay_settings_init (MsrpRelaySettings *self)
{
  self->digest_method = g_strdup (MSRP_DIGEST_METHOD_AUTH);
}

static void
msrp_relay_settings_finalize (GObject *object)
{
  MsrpRelaySettings *self = MSRP_RELAY_SETTINGS (object);

  g_clear_pointer (&self->uri, msrp_uri_unref);
  g_free (self->username);
  g_free (self->password);
  g_free (self->digest_method);
  G_OBJECT_CLASS (msrp_relay_settings_parent_class)->finalize (object);
}

static void
msrp_relay_settings_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  MsrpRelaySettings *self = MSRP_RELAY_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_URI:
      g_value_set_boxed (value, self->uri);
      break;
    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;
    case PROP_PASSWORD:
      g_value_set_string (value, self->password);
      break;
    case PROP_DIGEST_METHOD:
      g_value_set_string (value, self->digest_method);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msrp_relay_settings_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  MsrpRelaySettings *self = MSRP_RELAY_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_URI:
      self->uri = g_value_dup_boxed (value);
      break;
    case PROP_USERNAME:
      self->username = g_value_dup_string (value);
      break;
    case PROP_PASSWORD:
      self->password = g_value_dup_string (value);
      break;
    case PROP_DIGEST_METHOD:
      msrp_relay_settings_set_digest_method (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msrp_relay_settings_class_init (MsrpRelaySettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = msrp_relay_settings_finalize;
  object_class->get_property = msrp_relay_settings_get_property;
  object_class->set_property = msrp_relay_settings_set_property;

  /**
   * MsrpRelaySettings:uri:
   *
   * The relay's URI (`msrps://relay.example.com;tcp`, no session-id).
   */
  props[PROP_URI] =
    g_param_spec_boxed ("uri", NULL, NULL, MSRP_TYPE_URI,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpRelaySettings:username:
   *
   * The digest user name.
   */
  props[PROP_USERNAME] =
    g_param_spec_string ("username", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpRelaySettings:password:
   *
   * The digest password.
   */
  props[PROP_PASSWORD] =
    g_param_spec_string ("password", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpRelaySettings:digest-method:
   *
   * The method put into the digest: %MSRP_DIGEST_METHOD_AUTH (RFC 4976,
   * the default) or %MSRP_DIGEST_METHOD_MSRP for Kamailio relays configured
   * without `$msrp(method)`.
   */
  props[PROP_DIGEST_METHOD] =
    g_param_spec_string ("digest-method", NULL, NULL, MSRP_DIGEST_METHOD_AUTH,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

/**
 * msrp_relay_settings_new:
 * @uri: the relay's URI
 * @username: the digest user name
 * @password: the digest password
 *
 * Makes relay settings with the default digest method.
 *
 * Returns: (transfer full): new settings
 */
MsrpRelaySettings *
msrp_relay_settings_new (MsrpUri    *uri,
                         const char *username,
                         const char *password)
{
  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (username != NULL, NULL);
  g_return_val_if_fail (password != NULL, NULL);

  return g_object_new (MSRP_TYPE_RELAY_SETTINGS,
                       "uri", uri,
                       "username", username,
                       "password", password,
                       NULL);
}

/**
 * msrp_relay_settings_get_uri:
 * @settings: a #MsrpRelaySettings
 *
 * Gets the relay's URI.
 *
 * Returns: (transfer none) (nullable): [property@Msrp.RelaySettings:uri];
 *   %NULL only for settings made with g_object_new() without one
 */
MsrpUri *
msrp_relay_settings_get_uri (MsrpRelaySettings *settings)
{
  g_return_val_if_fail (MSRP_IS_RELAY_SETTINGS (settings), NULL);
  return settings->uri;
}

/**
 * msrp_relay_settings_get_username:
 * @settings: a #MsrpRelaySettings
 *
 * Gets the digest user name.
 *
 * Returns: (nullable): [property@Msrp.RelaySettings:username]; %NULL only
 *   for settings made with g_object_new() without one
 */
const char *
msrp_relay_settings_get_username (MsrpRelaySettings *settings)
{
  g_return_val_if_fail (MSRP_IS_RELAY_SETTINGS (settings), NULL);
  return settings->username;
}

/**
 * msrp_relay_settings_get_password:
 * @settings: a #MsrpRelaySettings
 *
 * Gets the digest password.
 *
 * Returns: (nullable): [property@Msrp.RelaySettings:password]; %NULL only
 *   for settings made with g_object_new() without one
 */
const char *
msrp_relay_settings_get_password (MsrpRelaySettings *settings)
{
  g_return_val_if_fail (MSRP_IS_RELAY_SETTINGS (settings), NULL);
  return settings->password;
}

/**
 * msrp_relay_settings_get_digest_method:
 * @settings: a #MsrpRelaySettings
 *
 * Gets the method put into the digest.
 *
 * Returns: [property@Msrp.RelaySettings:digest-method]
 */
const char *
msrp_relay_settings_get_digest_method (MsrpRelaySettings *settings)
{
  g_return_val_if_fail (MSRP_IS_RELAY_SETTINGS (settings), NULL);
  return settings->digest_method;
}

/**
 * msrp_relay_settings_set_digest_method:
 * @settings: a #MsrpRelaySettings
 * @method: (nullable): %MSRP_DIGEST_METHOD_AUTH or
 *   %MSRP_DIGEST_METHOD_MSRP; %NULL for %MSRP_DIGEST_METHOD_AUTH
 *
 * Sets [property@Msrp.RelaySettings:digest-method]. A relay client
 * made with @settings uses it from its next AUTH on.
 */
void
msrp_relay_settings_set_digest_method (MsrpRelaySettings *settings,
                                       const char        *method)
{
  g_return_if_fail (MSRP_IS_RELAY_SETTINGS (settings));

  if (method == NULL)
    method = MSRP_DIGEST_METHOD_AUTH;
  if (msrp_set_str (&settings->digest_method, method))
    g_object_notify_by_pspec (G_OBJECT (settings), props[PROP_DIGEST_METHOD]);
}
