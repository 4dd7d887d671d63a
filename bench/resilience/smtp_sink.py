"""A tiny SMTP sink (stdlib asyncio; smtpd is gone from Python 3.12). Every accepted message is appended to a JSON
lines file with its envelope and headers, so a run can count deliveries exactly.

Usage: smtp_sink.py PORT FILE. SIGTERM stops listening at once (new connections are refused), finishes the message
being received, answers 421 to anything after it and exits: a real outage, without losing a message it said 250 to.
"""
import asyncio
import email.parser
import email.policy
import json
import signal
import sys
import time

PORT = int(sys.argv[1])
OUT = sys.argv[2]
stopping = False
sessions = set()


async def session(reader, writer):
    sessions.add(writer)
    mail_from, rcpts = None, []

    async def say(line):
        writer.write(line.encode() + b'\r\n')
        await writer.drain()

    try:
        await say('220 bench-sink ESMTP')
        while True:
            line = await reader.readline()
            if not line:
                break
            cmd = line.decode('latin-1').strip()
            verb = cmd.split(' ', 1)[0].upper()
            if stopping and verb not in ('QUIT',):
                await say('421 shutting down')
                break
            if verb == 'EHLO':
                writer.write(b'250-bench-sink\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 10485760\r\n')
                await writer.drain()
            elif verb == 'HELO':
                await say('250 bench-sink')
            elif verb == 'MAIL':
                mail_from, rcpts = cmd[10:].strip(), []
                await say('250 OK')
            elif verb == 'RCPT':
                rcpts.append(cmd[8:].strip().strip('<>'))
                await say('250 OK')
            elif verb == 'DATA':
                await say('354 end with .')
                data = bytearray()
                while True:
                    chunk = await reader.readline()
                    if not chunk:
                        return
                    if chunk in (b'.\r\n', b'.\n'):
                        break
                    data += chunk[1:] if chunk.startswith(b'..') else chunk
                msg = email.parser.BytesParser(policy=email.policy.default).parsebytes(bytes(data), headersonly=True)
                record = {'at': time.time(), 'from': mail_from, 'rcpt': rcpts, 'to': str(msg.get('To', '')),
                          'reply_to': str(msg.get('Reply-To', '')), 'subject': str(msg.get('Subject', '')),
                          'message_id': str(msg.get('Message-ID', ''))}
                with open(OUT, 'a') as f:
                    f.write(json.dumps(record) + '\n')
                    f.flush()
                await say('250 queued')
            elif verb == 'RSET':
                mail_from, rcpts = None, []
                await say('250 OK')
            elif verb == 'NOOP':
                await say('250 OK')
            elif verb == 'QUIT':
                await say('221 bye')
                break
            else:
                await say('502 not implemented')
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        sessions.discard(writer)
        writer.close()


async def main():
    server = await asyncio.start_server(session, '127.0.0.1', PORT, reuse_address=True)
    done = asyncio.Event()

    def stop():
        global stopping
        stopping = True
        server.close()
        done.set()

    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop)
    print('smtp sink on %d' % PORT, flush=True)
    await done.wait()
    for _ in range(100):  # let the session receiving a message finish it
        if not sessions:
            break
        await asyncio.sleep(0.05)


asyncio.run(main())
