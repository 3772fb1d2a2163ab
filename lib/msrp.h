/* msrp.h: the one header applications include
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#define __MSRP_H_INSIDE__

#include "msrp-version.h"
#include "msrp-enums.h"
#include "msrp-error.h"
#include "msrp-relay-auth.h"
#include "msrp-tls.h"
#include "msrp-sdp.h"
#include "msrp-uri.h"
#include "msrp-frame.h"
#include "msrp-parser.h"
#include "msrp-transport.h"
#include "msrp-message.h"
#include "msrp-session.h"
#include "msrp-relay-settings.h"
#include "msrp-connector.h"
#include "msrp-direct-connector.h"
#include "msrp-server.h"

#undef __MSRP_H_INSIDE__
