#!/usr/bin/env python3
"""Copies a GIR file, giving the element type of each GPtrArray of this
namespace's records and classes its C pointer type.

g-ir-scanner (1.74, and every GIR in /usr/share/gir-1.0 here) writes
`<array name="GLib.PtrArray"><type name="Uri"/></array>` with no c:type, so
the typelib's element type is not a pointer, and no annotation changes that.
GJS 1.74 then turns a JavaScript array passed as such a parameter into a
GPtrArray of NULLs. With `c:type="MsrpUri*"` on the element it passes the
URIs; PyGObject works either way. Usage: gir-ptr-array-pointers.py IN OUT
"""
import re
import sys


def main(source, target):
    with open(source, encoding='utf-8') as f:
        text = f.read()

    c_types = dict(re.findall(r'<(?:record|class)\s+name="(\w+)"[^>]*?\sc:type="(\w+)"', text))

    def add_pointer(match):
        name = match.group(2)
        if name not in c_types:
            return match.group(0)
        return '%s<type name="%s" c:type="%s*"/>' % (match.group(1), name, c_types[name])

    text, count = re.subn(r'(<array name="GLib\.PtrArray"[^>]*>\s*)<type name="([\w.]+)"/>',
                          add_pointer, text)
    if count == 0:
        sys.exit('%s: no GPtrArray element types found' % source)

    with open(target, 'w', encoding='utf-8') as f:
        f.write(text)


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
