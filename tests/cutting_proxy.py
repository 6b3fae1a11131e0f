"""A TCP proxy in front of a real SPARQL server that cuts every PUT in the middle of its body.

Used by test_remote.py to show that a write cut half-way changes nothing on the server.
"""

from __future__ import annotations

import socket
import threading


class CuttingProxy:
    """Forwards to the real server, but sends only half of a PUT body and then hangs up on both sides.

    With ``authorized_only`` a PUT without credentials passes (Virtuoso answers it with its Digest
    challenge) and the PUT that carries them is cut, so the server meets the cut where it would write.
    """

    def __init__(self, target_port: int, *, authorized_only: bool = False) -> None:
        self.target_port = target_port
        self.authorized_only = authorized_only
        self.puts = 0
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(client,), daemon=True).start()

    def _handle(self, client: socket.socket) -> None:
        with client:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = client.recv(65536)
                if not chunk:
                    return
                data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            while len(body) < length:
                body += client.recv(65536)
            with socket.create_connection(("127.0.0.1", self.target_port)) as upstream:
                if head.startswith(b"PUT ") and (not self.authorized_only or b"\r\nAuthorization:" in head):
                    self.puts += 1
                    upstream.sendall(head + b"\r\n\r\n" + body[: len(body) // 2])
                    return  # both connections close with the body half sent
                upstream.sendall(head + b"\r\n\r\n" + body)
                try:  # the client asked for "Connection: close": the server closes when it has answered
                    while chunk := upstream.recv(65536):
                        client.sendall(chunk)
                except ConnectionResetError:
                    pass

    def close(self) -> None:
        self.sock.close()
