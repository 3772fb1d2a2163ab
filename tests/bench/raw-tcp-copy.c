/* raw-tcp-copy: the baseline of the msrp-cat benchmark, a file copied over
 * loopback TCP with plain 64 KiB read/write loops.
 *
 *   raw-tcp-copy recv PORT_FILE OUTPUT   listens on 127.0.0.1, writes its port
 *                                        to PORT_FILE, copies one connection
 *                                        to OUTPUT
 *   raw-tcp-copy send PORT INPUT         copies INPUT to 127.0.0.1:PORT
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BLOCK (64 * 1024)

static int
fail (const char *what)
{
  fprintf (stderr, "raw-tcp-copy: %s: %s\n", what, strerror (errno));
  return 1;
}

/* Copies @in to @out in BLOCK reads until end of file. */
static int
copy (int in, int out)
{
  static char buffer[BLOCK];

  for (;;)
    {
      ssize_t n = read (in, buffer, sizeof buffer);
      if (n == 0)
        return 0;
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return fail ("read");
        }
      for (ssize_t done = 0; done < n;)
        {
          ssize_t w = write (out, buffer + done, n - done);
          if (w < 0)
            {
              if (errno == EINTR)
                continue;
              return fail ("write");
            }
          done += w;
        }
    }
}

static int
do_recv (const char *port_file, const char *output)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof addr;
  char tmp[4096];
  FILE *f;
  int listener, conn, out, status;

  listener = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener < 0 || bind (listener, (struct sockaddr *) &addr, sizeof addr) < 0 ||
      listen (listener, 1) < 0 || getsockname (listener, (struct sockaddr *) &addr, &len) < 0)
    return fail ("listen");
  /* Whole or not at all, for a script polling for it. */
  snprintf (tmp, sizeof tmp, "%s.tmp", port_file);
  f = fopen (tmp, "w");
  if (f == NULL || fprintf (f, "%d\n", ntohs (addr.sin_port)) < 0 || fclose (f) != 0 ||
      rename (tmp, port_file) < 0)
    return fail (port_file);
  conn = accept (listener, NULL, NULL);
  if (conn < 0)
    return fail ("accept");
  out = open (output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0)
    return fail (output);
  status = copy (conn, out);
  close (out);
  close (conn);
  close (listener);
  return status;
}

static int
do_send (const char *port, const char *input)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK),
                              .sin_port = htons (atoi (port)) };
  int sock, in, status;

  in = open (input, O_RDONLY | O_CLOEXEC);
  if (in < 0)
    return fail (input);
  sock = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (sock < 0 || connect (sock, (struct sockaddr *) &addr, sizeof addr) < 0)
    return fail ("connect");
  status = copy (in, sock);
  close (sock);
  close (in);
  return status;
}

int
main (int argc, char **argv)
{
  if (argc == 4 && strcmp (argv[1], "recv") == 0)
    return do_recv (argv[2], argv[3]);
  if (argc == 4 && strcmp (argv[1], "send") == 0)
    return do_send (argv[2], argv[3]);
  fprintf (stderr, "usage: raw-tcp-copy recv PORT_FILE OUTPUT | send PORT INPUT\n");
  return 2;
}
