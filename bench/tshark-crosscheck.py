#!/usr/bin/env python3
"""Checks a generated capture's truth file against Wireshark's own view of it.

    python3 bench/tshark-crosscheck.py FILE

tshark's POP dissector shows only the first line of each segment, so this
reads the raw client payloads of port 110 with tshark, orders them by
sequence number (dropping retransmitted copies), and counts command lines;
bytes per direction are summed the same way for 110 and 995.
"""
import collections, json, subprocess, sys

path = sys.argv[1]
truth = json.load(open(path + '.truth.json'))
out = subprocess.run(['tshark', '-r', path, '-Y', 'tcp.port==110 || tcp.port==995', '-T', 'fields',
                      '-e', 'tcp.stream', '-e', 'tcp.srcport', '-e', 'tcp.dstport', '-e', 'tcp.seq_raw',
                      '-e', 'tcp.len', '-e', 'tcp.payload'], capture_output=True, text=True, check=True).stdout
seen, client = set(), collections.defaultdict(dict)
nbytes = {'110': [0, 0], '995': [0, 0]}
streams = {'110': set(), '995': set()}
for line in out.splitlines():
    st, sp, dp, seq, ln, payload = (line.split('\t') + [''])[:6]
    port = '110' if '110' in (sp, dp) else '995'
    streams[port].add(st)
    if int(ln) == 0 or (st, sp, seq) in seen:
        continue
    seen.add((st, sp, seq))
    to_server = dp == port
    nbytes[port][0 if to_server else 1] += int(ln)
    if to_server and port == '110':
        client[st][int(seq)] = bytes.fromhex(payload)
cmds = collections.Counter()
for segs in client.values():
    for l in b''.join(segs[k] for k in sorted(segs)).split(b'\r\n'):
        kw = l.split(b' ')[0].decode('latin1')
        if kw.isalpha() and kw.isupper():
            cmds[kw] += 1
ok = True
def check(name, got, want):
    global ok
    ok &= got == want
    print(f"{'PASS' if got == want else 'FAIL'} {name}: tshark {got} truth {want}")
frames = int(subprocess.run(['capinfos', '-c', '-M', path], capture_output=True, text=True).stdout.split()[-1])
check('frames', frames, truth['packets'])
check('sessions on 110', len(streams['110']), truth['pop3']['sessions']['plain'])
check('sessions on 995', len(streams['995']), truth['pop3']['sessions']['implicitTls'])
check('commands', dict(sorted(cmds.items())), truth['pop3']['commands'])
check('bytes 110', nbytes['110'], [truth['pop3']['bytes']['plain']['client'], truth['pop3']['bytes']['plain']['server']])
check('bytes 995', nbytes['995'], [truth['pop3']['bytes']['implicitTls']['client'], truth['pop3']['bytes']['implicitTls']['server']])
sys.exit(0 if ok else 1)
