#!/usr/bin/env python3
"""End-to-end message rate through a running `parley serve` (see docs/benchmarks.md).

Usage: python3 scripts/bench-e2e.py PORT [MESSAGES]
A text-mode "reader" joins, then a "sender" writes MESSAGES lines in one go; the clock stops when
the reader has seen the last one (so every message was accepted, stored and fanned out to both).
Start the server with --rate-limit 0, or flood control drops most of the burst.
"""
import socket
import sys
import threading
import time

port = int(sys.argv[1])
count = int(sys.argv[2]) if len(sys.argv) > 2 else 50000


def join(name):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall((name + "\n").encode())
    return s


reader = join("reader")
time.sleep(0.3)
done = threading.Event()
last = b"sender: m%d\n" % (count - 1)


def read():
    data = b""
    while True:
        chunk = reader.recv(1 << 16)
        if not chunk:
            break
        data = (data + chunk)[-4096:]
        if last in data:
            break
    done.set()


threading.Thread(target=read, daemon=True).start()
sender = join("sender")
time.sleep(0.3)
payload = "".join("m%d\n" % i for i in range(count)).encode()
start = time.time()
sender.sendall(payload)
if not done.wait(120):
    sys.exit("the reader never saw the last message")
elapsed = time.time() - start
print(f"{count} messages sender->reader in {elapsed:.2f}s: {count / elapsed:.0f} msgs/s")
