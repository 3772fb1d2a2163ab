/* msrp-relay-settings.h: how to reach and authenticate to an RFC 4976 relay
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MSRP_H_INSIDE__) && !defined(MSRP_COMPILATION)
#error "Only <msrp/msrp.h> can be included directly."
#endif

#include <glib-object.h>
#include "msrp-version.h"
#include "msrp-uri.h"

G_BEGIN_DECLS

#define MSRP_TYPE_RELAY_SETTINGS (msrp_relay_settings_get_type ())
MSRP_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MsrpRelaySettings, msrp_relay_settings, MSRP, RELAY_SETTINGS, GObject)

MSRP_AVAILABLE_IN_ALL
MsrpRelaySettings *msrp_relay_settings_new               (MsrpUri           *uri,
                                                          const char        *username,
                                                          const char        *password);
MSRP_AVAILABLE_IN_ALL
MsrpUri           *msrp_relay_settings_get_uri           (MsrpRelaySettings *settings);
MSRP_AVAILABLE_IN_ALL
const char        *msrp_relay_settings_get_username      (MsrpRelaySettings *settings);
MSRP_AVAILABLE_IN_ALL
const char        *msrp_relay_settings_get_password      (MsrpRelaySettings *settings);
MSRP_AVAILABLE_IN_ALL
const char        *msrp_relay_settings_get_digest_method (MsrpRelaySettings *settings);
MSRP_AVAILABLE_IN_ALL
void               msrp_relay_settings_set_digest_method (MsrpRelaySettings *settings,
                                                          const char        *method);

G_END_DECLS
