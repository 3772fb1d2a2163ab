/* test-id-table.c: MsrpIdTable, the entries by id of transactions and sends
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <glib.h>
#include "msrp-id-table-private.h"

typedef struct {
  char id[24];
  MsrpIdLink link;
} Entry;

static Entry *
entry_for (MsrpIdLink *link)
{
  return link != NULL ? MSRP_ID_ENTRY (link, Entry, link) : NULL;
}

static void
test_empty (void)
{
  MsrpIdTable table = { 0 };
  Entry unlisted = { "never" };
  g_autoptr(GList) entries = msrp_id_table_get_entries (&table, G_STRUCT_OFFSET (Entry, link));

  g_assert_null (msrp_id_table_lookup (&table, "anything"));
  g_assert_null (entries);
  /* Removing an entry that is not in is nothing. */
  msrp_id_table_remove (&table, &unlisted.link);
  g_assert_cmpuint (table.size, ==, 0);
  msrp_id_table_clear (&table);
}

/* Enough entries to grow the table several times; each is found, the
 * removed ones no more, and the others still after the removals. */
static void
test_many (void)
{
  MsrpIdTable table = { 0 };
  const guint n = 1000;
  Entry *entries = g_new0 (Entry, n);
  g_autoptr(GList) listed = NULL;
  guint count = 0;

  for (guint i = 0; i < n; i++)
    {
      g_snprintf (entries[i].id, sizeof entries[i].id, "tid%08u", i * 7919);
      msrp_id_table_add (&table, &entries[i].link, entries[i].id);
    }
  g_assert_cmpuint (table.size, ==, n);
  for (guint i = 0; i < n; i++)
    {
      char id[24];

      g_snprintf (id, sizeof id, "tid%08u", i * 7919);
      g_assert_true (entry_for (msrp_id_table_lookup (&table, id)) == &entries[i]);
    }
  g_assert_null (msrp_id_table_lookup (&table, "tid"));
  g_assert_null (msrp_id_table_lookup (&table, "tid000000001"));

  for (guint i = 0; i < n; i += 2)
    msrp_id_table_remove (&table, &entries[i].link);
  g_assert_cmpuint (table.size, ==, n / 2);
  for (guint i = 0; i < n; i++)
    {
      Entry *found = entry_for (msrp_id_table_lookup (&table, entries[i].id));

      g_assert_true (found == (i % 2 == 0 ? NULL : &entries[i]));
    }

  listed = msrp_id_table_get_entries (&table, G_STRUCT_OFFSET (Entry, link));
  for (GList *l = listed; l != NULL; l = l->next)
    {
      Entry *entry = l->data;

      g_assert_cmpuint ((guint) (entry - entries) % 2, ==, 1);
      count++;
    }
  g_assert_cmpuint (count, ==, n / 2);

  /* A removed entry may go in again. */
  msrp_id_table_add (&table, &entries[0].link, entries[0].id);
  g_assert_true (entry_for (msrp_id_table_lookup (&table, entries[0].id)) == &entries[0]);
  msrp_id_table_clear (&table);
  g_free (entries);
}

/* Entries with the same id: the last added is found, the others stay in
 * their order behind it, also across growth. */
static void
test_same_id (void)
{
  MsrpIdTable table = { 0 };
  Entry first = { "same" }, second = { "same" };
  Entry others[40];

  msrp_id_table_add (&table, &first.link, first.id);
  msrp_id_table_add (&table, &second.link, second.id);
  g_assert_true (entry_for (msrp_id_table_lookup (&table, "same")) == &second);
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      memset (&others[i], 0, sizeof others[i]);
      g_snprintf (others[i].id, sizeof others[i].id, "other%u", i);
      msrp_id_table_add (&table, &others[i].link, others[i].id);
    }
  g_assert_true (entry_for (msrp_id_table_lookup (&table, "same")) == &second);
  msrp_id_table_remove (&table, &second.link);
  g_assert_true (entry_for (msrp_id_table_lookup (&table, "same")) == &first);
  msrp_id_table_remove (&table, &first.link);
  g_assert_null (msrp_id_table_lookup (&table, "same"));
  g_assert_cmpuint (table.size, ==, G_N_ELEMENTS (others));
  msrp_id_table_clear (&table);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/id-table/empty", test_empty);
  g_test_add_func ("/id-table/many", test_many);
  g_test_add_func ("/id-table/same-id", test_same_id);
  return g_test_run ();
}
