/* gstmsrpmeta.c: per-buffer metadata of the messages msrpsrc pushes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstmsrpmeta.h"

/**
 * gst_msrp_message_meta_api_get_type:
 *
 * The API type of #GstMsrpMessageMeta. It has no tags, so elements that
 * transform buffers keep it.
 *
 * Returns: the #GType of the meta API
 */
GType
gst_msrp_message_meta_api_get_type (void)
{
  static GType type;
  static const gchar *tags[] = { NULL };

  if (g_once_init_enter (&type))
    {
      GType t = gst_meta_api_type_register ("GstMsrpMessageMetaAPI", tags);
      g_once_init_leave (&type, t);
    }
  return type;
}

static gboolean
gst_msrp_message_meta_init (GstMeta *meta, gpointer params, GstBuffer *buffer)
{
  GstMsrpMessageMeta *m = (GstMsrpMessageMeta *) meta;

  m->message_id = m->content_type = m->from_path = NULL;
  m->size = 0;
  return TRUE;
}

static void
gst_msrp_message_meta_free (GstMeta *meta, GstBuffer *buffer)
{
  GstMsrpMessageMeta *m = (GstMsrpMessageMeta *) meta;

  g_free (m->message_id);
  g_free (m->content_type);
  g_free (m->from_path);
}

static gboolean
gst_msrp_message_meta_transform (GstBuffer *dest, GstMeta *meta, GstBuffer *buffer,
                                 GQuark type, gpointer data)
{
  GstMsrpMessageMeta *m = (GstMsrpMessageMeta *) meta;

  /* The message stays the same whatever was done to its bytes. */
  return gst_buffer_add_msrp_message_meta (dest, m->message_id, m->content_type,
                                           m->from_path, m->size) != NULL;
}

/**
 * gst_msrp_message_meta_get_info:
 *
 * The registration of #GstMsrpMessageMeta.
 *
 * Returns: (transfer none): the #GstMetaInfo of the meta
 */
const GstMetaInfo *
gst_msrp_message_meta_get_info (void)
{
  static const GstMetaInfo *info;

  if (g_once_init_enter ((GstMetaInfo **) &info))
    {
      const GstMetaInfo *i =
        gst_meta_register (GST_MSRP_MESSAGE_META_API_TYPE, "GstMsrpMessageMeta",
                           sizeof (GstMsrpMessageMeta), gst_msrp_message_meta_init,
                           gst_msrp_message_meta_free, gst_msrp_message_meta_transform);
      g_once_init_leave ((GstMetaInfo **) &info, (GstMetaInfo *) i);
    }
  return info;
}

/**
 * gst_buffer_get_msrp_message_meta:
 * @buffer: a #GstBuffer
 *
 * Gets the #GstMsrpMessageMeta of @buffer: where a buffer of msrpsrc came
 * from. A function rather than a macro, so that bindings have it.
 *
 * Returns: (nullable) (transfer none): the meta, or %NULL
 */
GstMsrpMessageMeta *
gst_buffer_get_msrp_message_meta (GstBuffer *buffer)
{
  g_return_val_if_fail (GST_IS_BUFFER (buffer), NULL);
  return (GstMsrpMessageMeta *) gst_buffer_get_meta (buffer, GST_MSRP_MESSAGE_META_API_TYPE);
}

/**
 * gst_buffer_add_msrp_message_meta:
 * @buffer: a writable #GstBuffer
 * @message_id: the Message-ID
 * @content_type: the Content-Type
 * @from_path: (nullable): the From-Path as text
 * @size: the size of the body in bytes
 *
 * Adds a #GstMsrpMessageMeta with copies of the strings to @buffer.
 *
 * Returns: (transfer none): the meta
 */
GstMsrpMessageMeta *
gst_buffer_add_msrp_message_meta (GstBuffer   *buffer,
                                  const gchar *message_id,
                                  const gchar *content_type,
                                  const gchar *from_path,
                                  guint64      size)
{
  GstMsrpMessageMeta *m;

  g_return_val_if_fail (GST_IS_BUFFER (buffer), NULL);
  g_return_val_if_fail (message_id != NULL && content_type != NULL, NULL);

  m = (GstMsrpMessageMeta *) gst_buffer_add_meta (buffer, GST_MSRP_MESSAGE_META_INFO, NULL);
  m->message_id = g_strdup (message_id);
  m->content_type = g_strdup (content_type);
  m->from_path = g_strdup (from_path);
  m->size = size;
  return m;
}
