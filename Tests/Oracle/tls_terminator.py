"""A loopback TLS terminator for the wss:// tests: accepts TLS with the given certificate and
key, and pipes each connection's bytes to and from a plain TCP port (the emulator), as a real
venue's TLS front would. Prints its port on stdout.

usage: python3 tls_terminator.py CERT KEY UPSTREAM_PORT
"""
import asyncio
import ssl
import sys

cert, key, upstream = sys.argv[1], sys.argv[2], int(sys.argv[3])


async def pipe(reader, writer):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except (ConnectionError, ssl.SSLError):
        pass
    finally:
        try:
            writer.close()
        except Exception:
            pass


async def handle(client_reader, client_writer):
    try:
        server_reader, server_writer = await asyncio.open_connection("127.0.0.1", upstream)
    except OSError:
        client_writer.close()
        return
    await asyncio.gather(pipe(client_reader, server_writer), pipe(server_reader, client_writer))


async def main():
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=context)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
