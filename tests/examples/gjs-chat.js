// A chat between two MSRP sessions in one process, over loopback, from GJS.
//
// The acceptor listens, the connector connects to it; each side learns the
// other's path as a string, as it would from the peer's SDP `a=path`.
// Prints each line the passive side receives, then "done".

imports.gi.versions.Msrp = '1.0';
const {GLib, Msrp} = imports.gi;

const LINES = ['hello from gjs', 'how are you?', 'bye'];
const loop = new GLib.MainLoop(null, false);
let status = 1;

// Bounds the run: a hang is a failure, not a stuck test.
GLib.timeout_add_seconds(GLib.PRIORITY_DEFAULT, 30, () => {
    printerr('timed out');
    loop.quit();
    return GLib.SOURCE_REMOVE;
});

function pathText(path) {
    return path.map(uri => uri.to_string()).join(' ');
}

function prepare(connector, then) {
    const local = Msrp.Uri.parse('msrp://127.0.0.1:0;tcp');
    connector.prepare_async(local, null, (c, res) => then(pathText(c.prepare_finish(res))));
}

const active = Msrp.get_connector(null);
const passive = Msrp.get_acceptor(null);

prepare(active, activePath => prepare(passive, passivePath => {
    passive.complete_string_async(activePath, null, (c, res) => {
        const session = c.complete_string_finish(res);
        let received = 0;
        session.connect('message-received', (s, message) => {
            print(new TextDecoder().decode(message.get_bytes().toArray()));
            if (++received === LINES.length) {
                print('done');
                status = 0;
                loop.quit();
            }
        });
    });
    active.complete_string_async(passivePath, null, (c, res) => {
        const session = c.complete_string_finish(res);
        for (const line of LINES)
            session.send_text_async(line, null, (s, r) => s.send_finish(r));
    });
}));

loop.run();
imports.system.exit(status);
