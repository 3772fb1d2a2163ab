"""The introspection data of Msrp-1.0, checked through GIRepository: every
container has its element type, every async callback is scope async with
its user data, GPtrArrays are never handed over with their elements and
hold pointers, and nothing public is left out of the typelib. Mistakes here compile and pass
g-ir-scanner, then crash or leak in Python and JavaScript."""
import os
import xml.etree.ElementTree as ET

import gi

gi.require_version('GIRepository', '2.0')
gi.require_version('Msrp', '1.0')
from gi.repository import GIRepository as GI  # noqa: E402
from gi.repository import Msrp  # noqa: E402

import taprunner  # noqa: E402
import unittest  # noqa: E402

CORE = '{http://www.gtk.org/introspection/core/1.0}'
C_IDENTIFIER = '{http://www.gtk.org/introspection/c/1.0}identifier'
# Left out of introspection on purpose: the parser takes a struct of C
# function pointers (MsrpParserCallbacks is (skip)), and function-like
# macros never are introspectable.
NOT_INTROSPECTABLE = {'Parser', 'ParserCallbacks', 'CHECK_VERSION'}

repository = GI.Repository.get_default()
repository.require('Msrp', '1.0', 0)


def infos():
    for i in range(repository.get_n_infos('Msrp')):
        yield repository.get_info('Msrp', i)


def callables():
    """(name, callable info) of every function, method, constructor, virtual
    function and signal, and of the callback fields of class structs."""
    for info in infos():
        kind = info.get_type()
        name = info.get_name()
        if kind == GI.InfoType.FUNCTION or kind == GI.InfoType.CALLBACK:
            yield name, info
        elif kind == GI.InfoType.OBJECT:
            for i in range(GI.object_info_get_n_methods(info)):
                method = GI.object_info_get_method(info, i)
                yield name + '.' + method.get_name(), method
            for i in range(GI.object_info_get_n_vfuncs(info)):
                vfunc = GI.object_info_get_vfunc(info, i)
                yield name + '.do_' + vfunc.get_name(), vfunc
            for i in range(GI.object_info_get_n_signals(info)):
                signal = GI.object_info_get_signal(info, i)
                yield name + '::' + signal.get_name(), signal
        elif kind in (GI.InfoType.STRUCT, GI.InfoType.BOXED):
            for i in range(GI.struct_info_get_n_methods(info)):
                method = GI.struct_info_get_method(info, i)
                yield name + '.' + method.get_name(), method
            for i in range(GI.struct_info_get_n_fields(info)):
                field_type = GI.field_info_get_type(GI.struct_info_get_field(info, i))
                if GI.type_info_get_tag(field_type) == GI.TypeTag.INTERFACE:
                    iface = GI.type_info_get_interface(field_type)
                    if iface.get_type() == GI.InfoType.CALLBACK:
                        yield name + '.' + iface.get_name(), iface


def typed_items(name, info):
    """(label, type info, transfer, arg info or None) of the return value
    and each argument."""
    yield (name + ' return', GI.callable_info_get_return_type(info),
           GI.callable_info_get_caller_owns(info), None)
    for i in range(GI.callable_info_get_n_args(info)):
        arg = GI.callable_info_get_arg(info, i)
        yield ('%s arg %s' % (name, arg.get_name()), GI.arg_info_get_type(arg),
               GI.arg_info_get_ownership_transfer(arg), arg)


def properties():
    for info in infos():
        if info.get_type() == GI.InfoType.OBJECT:
            for i in range(GI.object_info_get_n_properties(info)):
                prop = GI.object_info_get_property(info, i)
                yield (info.get_name() + ':' + prop.get_name(),
                       GI.property_info_get_type(prop))


def is_interface(type_info, namespace, name):
    if GI.type_info_get_tag(type_info) != GI.TypeTag.INTERFACE:
        return False
    iface = GI.type_info_get_interface(type_info)
    return iface.get_namespace() == namespace and iface.get_name() == name


def container_problem(type_info):
    """Why the element type of a container is unknown, or None."""
    tag = GI.type_info_get_tag(type_info)
    if tag == GI.TypeTag.ARRAY:
        array_type = GI.type_info_get_array_type(type_info)
        element = GI.type_info_get_param_type(type_info, 0)
        if GI.type_info_get_tag(element) == GI.TypeTag.VOID:
            return 'array of gpointer: (element-type) missing'
        if (array_type == GI.ArrayType.C and GI.type_info_get_array_length(type_info) < 0
                and GI.type_info_get_array_fixed_size(type_info) < 0
                and not GI.type_info_is_zero_terminated(type_info)):
            return 'C array of unknown length: (array length=…) missing'
    elif tag in (GI.TypeTag.GLIST, GI.TypeTag.GSLIST):
        if GI.type_info_get_tag(GI.type_info_get_param_type(type_info, 0)) == GI.TypeTag.VOID:
            return 'list of gpointer: (element-type) missing'
    elif tag == GI.TypeTag.GHASH:
        for i in (0, 1):
            if GI.type_info_get_tag(GI.type_info_get_param_type(type_info, i)) == GI.TypeTag.VOID:
                return 'hash table of gpointer: (element-type K V) missing'
    return None


class AnnotationTest(unittest.TestCase):

    def test_enough_is_checked(self):
        # guards the walk itself: a broken walk would pass every rule
        names = {name for name, _ in callables()}
        for name in ('Connector.prepare_async', 'Connector.do_reconnect_async',
                     'Session::message-received', 'Uri.parse', 'path_parse',
                     'SdpMedia.set_path'):
            self.assertTrue(name in names, name + ' not walked')
        self.assertGreater(len(names), 300)

    def test_containers_have_element_types(self):
        problems = []
        for name, info in callables():
            for label, type_info, _, _ in typed_items(name, info):
                problem = container_problem(type_info)
                if problem:
                    problems.append('%s: %s' % (label, problem))
        for label, type_info in properties():
            problem = container_problem(type_info)
            if problem:
                problems.append('%s: %s' % (label, problem))
        self.assertEqual(problems, [])

    def test_async_callbacks(self):
        problems = []
        seen = 0
        for name, info in callables():
            n_args = GI.callable_info_get_n_args(info)
            for i in range(n_args):
                arg = GI.callable_info_get_arg(info, i)
                type_info = GI.arg_info_get_type(arg)
                if is_interface(type_info, 'Gio', 'AsyncReadyCallback'):
                    seen += 1
                    closure = GI.arg_info_get_closure(arg)
                    if GI.arg_info_get_scope(arg) != GI.ScopeType.ASYNC:
                        problems.append('%s: %s is not (scope async)' % (name, arg.get_name()))
                    if closure != i + 1 or closure >= n_args:
                        problems.append('%s: %s has no (closure) user data after it'
                                        % (name, arg.get_name()))
                    if not GI.arg_info_may_be_null(arg):
                        problems.append('%s: %s is not (nullable)' % (name, arg.get_name()))
                elif is_interface(type_info, 'Gio', 'Cancellable'):
                    if not GI.arg_info_may_be_null(arg):
                        problems.append('%s: %s is not (nullable)' % (name, arg.get_name()))
        self.assertGreater(seen, 15)
        self.assertEqual(problems, [])

    def test_ptr_arrays_keep_their_elements(self):
        # Every GPtrArray of the library frees its elements itself (a free
        # function): handing one over (transfer full) makes bindings unref
        # each element a second time; and the library never takes one over.
        problems = []
        for name, info in callables():
            for label, type_info, transfer, arg in typed_items(name, info):
                if (GI.type_info_get_tag(type_info) != GI.TypeTag.ARRAY
                        or GI.type_info_get_array_type(type_info) != GI.ArrayType.PTR_ARRAY):
                    continue
                out = arg is None or GI.arg_info_get_direction(arg) != GI.Direction.IN
                if out and transfer == GI.Transfer.EVERYTHING:
                    problems.append(label + ': (transfer full); use (transfer container)')
                if not out and transfer != GI.Transfer.NOTHING:
                    problems.append(label + ': taken over by the callee')
        self.assertEqual(problems, [])

    def test_ptr_array_elements_are_pointers(self):
        # lib/gir-ptr-array-pointers.py: without it GJS passes NULL elements
        problems = []
        for name, info in callables():
            for label, type_info, _, _ in typed_items(name, info):
                if (GI.type_info_get_tag(type_info) == GI.TypeTag.ARRAY
                        and GI.type_info_get_array_type(type_info) == GI.ArrayType.PTR_ARRAY
                        and not GI.type_info_is_pointer(GI.type_info_get_param_type(type_info, 0))):
                    problems.append(label)
        self.assertEqual(problems, [])

    def test_nothing_public_left_out(self):
        gir = os.environ.get('MSRP_GIR')
        if gir is None:
            self.skipTest('MSRP_GIR not set')
        root = ET.parse(gir).getroot()
        # the parser's methods go with it
        allowed = set()
        for record in root.iter(CORE + 'record'):
            if record.get('name') in NOT_INTROSPECTABLE:
                allowed.update(id(element) for element in record.iter())
        left_out = sorted(element.get(C_IDENTIFIER) or element.get('name')
                          for element in root.iter()
                          if element.get('introspectable') == '0'
                          and id(element) not in allowed
                          and element.get('name') not in NOT_INTROSPECTABLE
                          and element.get('moved-to') != 'Parser.new')
        self.assertEqual(left_out, [])

    def test_parse_all_elements_outlive_the_array(self):
        # (transfer container): the binding takes its own reference on each
        # media section, so they stay valid after the array is gone
        sdp = ('v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nc=IN IP4 h\r\nt=0 0\r\n'
               'm=message 7394 TCP/MSRP *\r\na=accept-types:text/plain\r\n'
               'a=path:msrp://h:7394/a;tcp\r\n'
               'm=message 7395 TCP/MSRP *\r\na=accept-types:text/plain\r\n'
               'a=path:msrp://h:7395/b;tcp\r\n')
        for _ in range(50):
            media = Msrp.sdp_parse_all(sdp)
            self.assertEqual([m.get_path()[0].get_session_id() for m in media], ['a', 'b'])


if __name__ == '__main__':
    taprunner.main()
