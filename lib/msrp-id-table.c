/* msrp-id-table.c: entries by transaction id or Message-ID
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "msrp-id-table-private.h"

#include <string.h>

#include "msrp-frame-private.h"

/* Buckets for a table's first entry; they double when there are more
 * entries than buckets. */
#define INITIAL_BUCKETS 16

void
msrp_id_table_clear (MsrpIdTable *table)
{
  g_clear_pointer (&table->buckets, g_free);
  table->mask = 0;
  table->size = 0;
}

static void
grow (MsrpIdTable *table)
{
  guint n_old = table->buckets != NULL ? table->mask + 1 : 0;
  guint n_new = n_old > 0 ? n_old * 2 : INITIAL_BUCKETS;
  MsrpIdLink **buckets = g_new0 (MsrpIdLink *, n_new);

  for (guint i = 0; i < n_old; i++)
    {
      MsrpIdLink *link = table->buckets[i];

      /* Each to the end of its new bucket: entries with the same id keep
       * their order. */
      while (link != NULL)
        {
          MsrpIdLink *next = link->next;
          MsrpIdLink **slot = &buckets[link->hash & (n_new - 1)];

          while (*slot != NULL)
            slot = &(*slot)->next;
          link->next = NULL;
          *slot = link;
          link = next;
        }
    }
  g_free (table->buckets);
  table->buckets = buckets;
  table->mask = n_new - 1;
}

void
msrp_id_table_add (MsrpIdTable *table, MsrpIdLink *link, const char *id)
{
  MsrpIdLink **bucket;

  g_return_if_fail (!link->listed);

  if (table->buckets == NULL || table->size > table->mask)
    grow (table);
  link->id = id;
  link->hash = msrp_id_hash (id);
  link->listed = TRUE;
  bucket = &table->buckets[link->hash & table->mask];
  link->next = *bucket;
  *bucket = link;
  table->size++;
}

MsrpIdLink *
msrp_id_table_lookup (MsrpIdTable *table, const char *id)
{
  guint hash;

  if (table->size == 0)
    return NULL;
  hash = msrp_id_hash (id);
  for (MsrpIdLink *link = table->buckets[hash & table->mask]; link != NULL; link = link->next)
    if (link->hash == hash && strcmp (link->id, id) == 0)
      return link;
  return NULL;
}

void
msrp_id_table_remove (MsrpIdTable *table, MsrpIdLink *link)
{
  MsrpIdLink **slot;

  if (!link->listed)
    return;
  for (slot = &table->buckets[link->hash & table->mask]; *slot != link; slot = &(*slot)->next)
    ;
  *slot = link->next;
  link->next = NULL;
  link->listed = FALSE;
  table->size--;
}

GList *
msrp_id_table_get_entries (MsrpIdTable *table, gsize link_offset)
{
  GList *entries = NULL;

  for (guint i = 0; table->buckets != NULL && i <= table->mask; i++)
    for (MsrpIdLink *link = table->buckets[i]; link != NULL; link = link->next)
      entries = g_list_prepend (entries, (char *) link - link_offset);
  return entries;
}
