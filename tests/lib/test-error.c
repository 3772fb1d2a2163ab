/* test-error.c: the MSRP_ERROR domain and status mapping */
#include <msrp.h>

static void
test_quark (void)
{
  g_assert_cmpstr (g_quark_to_string (MSRP_ERROR), ==, "msrp-error-quark");
}

static void
test_known_status (void)
{
  g_autoptr(GError) error = msrp_error_new_from_status (413, NULL);

  g_assert_error (error, MSRP_ERROR, MSRP_ERROR_STOP_SENDING);
  g_assert_nonnull (strstr (error->message, "413"));
  g_assert_nonnull (strstr (error->message, "Stop Sending Message"));
}

static void
test_unknown_status (void)
{
  g_autoptr(GError) error = msrp_error_new_from_status (425, "Nickname reserved");

  g_assert_error (error, MSRP_ERROR, MSRP_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "425 Nickname reserved"));
}

static void
test_enum_registered (void)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (MSRP_TYPE_ERROR);
  GEnumValue *v = g_enum_get_value (klass, 481);

  g_assert_nonnull (v);
  g_assert_cmpstr (v->value_nick, ==, "session-does-not-exist");
  g_assert_cmpstr (msrp_status_reason (481), ==, "Session Does Not Exist");
  g_assert_null (msrp_status_reason (299));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/error/quark", test_quark);
  g_test_add_func ("/error/known-status", test_known_status);
  g_test_add_func ("/error/unknown-status", test_unknown_status);
  g_test_add_func ("/error/enum-registered", test_enum_registered);
  return g_test_run ();
}
