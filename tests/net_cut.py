"""A TCP forwarder on 127.0.0.1 that a test can cut and restore: the network between a lane and its server.

`cut()` closes every open connection and stops listening (a new connect is
refused), as a pulled cable or a dead router looks to the lane; `restore()`
listens on the same port again. The PostgreSQL cluster itself keeps running
for the other tests.
"""

from __future__ import annotations

import select
import socket
import threading


class NetCut:
    def __init__(self, target_port: int, host: str = "127.0.0.1") -> None:
        self.target = (host, target_port)
        self.port = 0
        self._listener: socket.socket | None = None
        self._pairs: set[tuple[socket.socket, socket.socket]] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def url(self, server_url: str) -> str:
        """`server_url` with this forwarder's port in place of the server's."""
        return server_url.replace(f":{self.target[1]}/", f":{self.port}/")

    def start(self) -> "NetCut":
        self._listen()
        self._thread = threading.Thread(target=self._pump, name="net-cut", daemon=True)
        self._thread.start()
        return self

    def _listen(self) -> None:
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        sock.listen(16)
        sock.setblocking(False)
        self.port = sock.getsockname()[1]
        with self._lock:
            self._listener = sock

    def cut(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            pairs, self._pairs = self._pairs, set()
        if listener is not None:
            listener.close()
        for a, b in pairs:
            for sock in (a, b):
                try:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                    sock.close()  # a reset, as a lost network looks to the client
                except OSError:
                    pass

    def restore(self) -> None:
        if self._listener is None:
            self._listen()

    @property
    def connections(self) -> int:
        with self._lock:
            return len(self._pairs)

    def stop(self) -> None:
        self._stop.set()
        self.cut()
        if self._thread is not None:
            self._thread.join(5)

    def _pump(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                listener = self._listener
                pairs = list(self._pairs)
            socks = [s for pair in pairs for s in pair] + ([listener] if listener is not None else [])
            try:
                ready, _, _ = select.select(socks, [], [], 0.05)
            except (OSError, ValueError):
                continue  # a socket was closed by cut() meanwhile
            for sock in ready:
                if sock is listener:
                    self._accept(listener)
                    continue
                pair = next((p for p in pairs if sock in p), None)
                if pair is None:
                    continue
                other = pair[1] if sock is pair[0] else pair[0]
                try:
                    data = sock.recv(65536)
                    if data:
                        other.sendall(data)
                        continue
                except OSError:
                    pass
                self._drop(pair)

    def _accept(self, listener: socket.socket) -> None:
        try:
            client, _ = listener.accept()
        except OSError:
            return
        try:
            server = socket.create_connection(self.target, timeout=5)
        except OSError:
            client.close()
            return
        client.setblocking(True)
        server.setblocking(True)
        with self._lock:
            self._pairs.add((client, server))

    def _drop(self, pair: tuple[socket.socket, socket.socket]) -> None:
        with self._lock:
            self._pairs.discard(pair)
        for sock in pair:
            try:
                sock.close()
            except OSError:
                pass
