/* msrp-id-table-private.h: entries by transaction id or Message-ID
 *
 * Not installed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A table of entries by an id string, for the transport's transactions and
 * the session's sends: the entries hold their links and their ids, so an
 * entry costs the table no allocation, and taking one out by its link no
 * look-up (a GHashTable took some 230 instructions an insertion and 200 a
 * removal, twice per message on each side). */

typedef struct _MsrpIdLink MsrpIdLink;

/* In the entry, zeroed while it is not in a table. */
struct _MsrpIdLink
{
  MsrpIdLink *next;
  const char *id;
  guint hash;
  gboolean listed;
};

typedef struct {
  MsrpIdLink **buckets;      /* NULL until the first entry */
  guint mask;                /* buckets - 1, a power of two minus one */
  guint size;
} MsrpIdTable;

/* The entry of type @Type whose @member is @link. */
#define MSRP_ID_ENTRY(link, Type, member) \
  ((Type *) (void *) ((char *) (link) - G_STRUCT_OFFSET (Type, member)))

/* A table is zeroed to start. Frees its buckets; its entries are the
 * caller's. */
void        msrp_id_table_clear       (MsrpIdTable *table);
/* Puts in @link, for @id (which must live as long as the entry is in). An
 * entry with the same id already in stays, behind it. */
void        msrp_id_table_add         (MsrpIdTable *table,
                                       MsrpIdLink  *link,
                                       const char  *id);
/* The link of the last entry added for @id, or NULL. */
MsrpIdLink *msrp_id_table_lookup      (MsrpIdTable *table,
                                       const char  *id);
/* Takes @link out; nothing if it is not in. */
void        msrp_id_table_remove      (MsrpIdTable *table,
                                       MsrpIdLink  *link);
/* The entries (@link_offset bytes before their links), in no order. */
GList      *msrp_id_table_get_entries (MsrpIdTable *table,
                                       gsize        link_offset);

G_END_DECLS
