// Paths between JavaScript and Msrp-1.0: JavaScript arrays of Msrp.Uri
// passed as GPtrArray parameters (which GJS 1.74 turns into arrays of NULL
// unless the typelib's element type is a pointer, see
// lib/gir-ptr-array-pointers.py), and arrays handed back. Prints TAP.

imports.gi.versions.Msrp = '1.0';
const {GLib, Msrp} = imports.gi;
const System = imports.system;

const PATH = 'msrp://relay.example.net:2855;tcp msrp://bob.example.com:7394/9di4ea;tcp';
const SDP = 'v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nc=IN IP4 h\r\nt=0 0\r\n' +
    'm=message 7394 TCP/MSRP *\r\na=accept-types:text/plain\r\na=path:msrp://h:7394/a;tcp\r\n' +
    'm=message 7395 TCP/MSRP *\r\na=accept-types:text/plain\r\na=path:msrp://h:7395/b;tcp\r\n';

let count = 0;
let failed = 0;

function check(name, ok, detail) {
    count++;
    if (!ok)
        failed++;
    print(`${ok ? 'ok' : 'not ok'} ${count} - ${name}${ok ? '' : ` # got ${detail}`}`);
}

function text(path) {
    return path.map(uri => uri.to_string()).join(' ');
}

// An array made in JavaScript, not one handed out by the library.
const built = PATH.split(' ').map(uri => Msrp.Uri.parse(uri));

check('path_to_string', Msrp.path_to_string(built) === PATH, Msrp.path_to_string(built));
check('path_equal', Msrp.path_equal(built, Msrp.path_parse(PATH)), false);

const media = Msrp.SdpMedia.new();
media.set_path(built);
check('SdpMedia.set_path', text(media.get_path()) === PATH, text(media.get_path()));

const frame = Msrp.Frame.new_request('SEND', null);
frame.set_to_path(built);
check('Frame.set_to_path', text(frame.get_to_path()) === PATH, text(frame.get_to_path()));

// a session keeps the paths it was given after the arrays are gone
let local = ['msrp://127.0.0.1:9/local1;tcp'].map(uri => Msrp.Uri.parse(uri));
let remote = PATH.split(' ').map(uri => Msrp.Uri.parse(uri));
const session = Msrp.Session.new(null, local, remote);
local = remote = null;
System.gc();
check('Session.new', text(session.get_remote_path()) === PATH &&
    session.get_session_id() === 'local1', text(session.get_remote_path()));

// (transfer container): the sections outlive the array they came in
let sections = Msrp.sdp_parse_all(SDP);
const ids = sections.map(m => m.get_path()[0].get_session_id());
sections = null;
System.gc();
check('sdp_parse_all', ids.join(',') === 'a,b', ids.join(','));

// a session over loopback, each side given the other's path as an array
const loop = new GLib.MainLoop(null, false);
let timeout = GLib.timeout_add_seconds(GLib.PRIORITY_DEFAULT, 30, () => {
    timeout = 0;
    loop.quit();
    return GLib.SOURCE_REMOVE;
});
let received = null;

function prepare(connector, then) {
    connector.prepare_async(Msrp.Uri.parse('msrp://127.0.0.1:0;tcp'), null,
        (c, res) => then(c.prepare_finish(res)));
}

const active = Msrp.get_connector(null);
const passive = Msrp.get_acceptor(null);
prepare(active, activePath => prepare(passive, passivePath => {
    passive.complete_async(activePath, null, (c, res) => {
        c.complete_finish(res).connect('message-received', (s, message) => {
            received = new TextDecoder().decode(message.get_bytes().toArray());
            loop.quit();
        });
    });
    active.complete_async(passivePath, null, (c, res) => {
        c.complete_finish(res).send_text_async('through arrays', null,
            (s, r) => s.send_finish(r));
    });
}));
loop.run();
if (timeout)
    GLib.source_remove(timeout);
check('Connector.complete_async', received === 'through arrays', received);

print(`1..${count}`);
System.exit(failed ? 1 : 0);
