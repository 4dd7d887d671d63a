"""Shared pieces of the resilience suite: a raw-socket HTTP client, RS256 tokens, webhook signatures.

Python 3 standard library only.
"""
import base64
import hashlib
import hmac
import json
import secrets
import socket
import time


# --- HTTP over a raw socket: the bytes go out exactly as written -------------------------------------------------

class Response:
    def __init__(self, status, headers, body, elapsed, error=None):
        self.status = status
        self.headers = headers
        self.body = body
        self.elapsed = elapsed
        self.error = error

    def json(self):
        try:
            return json.loads(self.body.decode('utf-8'))
        except Exception:
            return None

    def envelope_code(self):
        """The error code when the body is the error envelope {"success":false,"error":{"code":...}}, else None."""
        doc = self.json()
        if isinstance(doc, dict) and doc.get('success') is False and isinstance(doc.get('error'), dict):
            code = doc['error'].get('code')
            if isinstance(code, str) and isinstance(doc['error'].get('message'), str):
                return code
        return None

    def brief(self, limit=160):
        if self.error:
            return 'no answer (%s) after %.2fs' % (self.error, self.elapsed)
        text = self.body[:limit].decode('utf-8', 'replace').replace('\n', ' ')
        return '%s %s' % (self.status, text)


def _read_response(sock, deadline):
    buf = b''

    def more():
        nonlocal buf
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        chunk = sock.recv(65536)
        if not chunk:
            raise EOFError('connection closed')
        buf += chunk

    while b'\r\n\r\n' not in buf:
        more()
    head, buf = buf.split(b'\r\n\r\n', 1)
    lines = head.split(b'\r\n')
    parts = lines[0].split(b' ', 2)
    status = int(parts[1])
    headers = {}
    for line in lines[1:]:
        if b':' in line:
            k, v = line.split(b':', 1)
            headers[k.strip().lower().decode('latin-1')] = v.strip().decode('latin-1')
    if status in (204, 304) or 100 <= status < 200:
        return status, headers, b'', True
    if headers.get('transfer-encoding', '').lower() == 'chunked':
        body = b''
        while True:
            while b'\r\n' not in buf:
                more()
            size_line, buf = buf.split(b'\r\n', 1)
            size = int(size_line.split(b';')[0], 16)
            while len(buf) < size + 2:
                more()
            body += buf[:size]
            buf = buf[size + 2:]
            if size == 0:
                break
        return status, headers, body, headers.get('connection', '').lower() != 'close'
    if 'content-length' in headers:
        n = int(headers['content-length'])
        while len(buf) < n:
            more()
        return status, headers, buf[:n], headers.get('connection', '').lower() != 'close'
    try:
        while True:
            more()
    except EOFError:
        pass
    return status, headers, buf, False


def build_request(method, path, headers=None, body=b'', host='localhost', content_length=True):
    """Request bytes; headers is a list of (name, value) where either may be str or bytes, sent verbatim."""
    def b(x):
        return x if isinstance(x, bytes) else x.encode('utf-8')
    out = b(method) + b' ' + b(path) + b' HTTP/1.1\r\nHost: ' + b(host) + b'\r\n'
    names = set()
    for k, v in (headers or []):
        names.add(b(k).lower())
        out += b(k) + b': ' + b(v) + b'\r\n'
    if content_length and body is not None and b'content-length' not in names and (body or method in ('POST', 'PUT')):
        out += b'Content-Length: ' + str(len(body)).encode() + b'\r\n'
    return out + b'\r\n' + (body or b'')


def send_raw(port, raw, timeout=35.0, host='127.0.0.1'):
    """Sends raw bytes on a new connection and reads one answer."""
    start = time.monotonic()
    deadline = start + timeout
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            try:
                sock.sendall(raw)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server may answer (413, 431) and close before reading everything
            status, headers, body, _ = _read_response(sock, deadline)
            return Response(status, headers, body, time.monotonic() - start)
    except Exception as e:  # noqa: BLE001 - every failure is a result here
        return Response(None, {}, b'', time.monotonic() - start, error='%s: %s' % (type(e).__name__, e))


def request(port, method, path, headers=None, body=b'', timeout=35.0):
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode()
        headers = list(headers or []) + [('Content-Type', 'application/json')]
    return send_raw(port, build_request(method, path, headers, body), timeout)


class KeepAlive:
    """One persistent connection; reconnects when the server closed it."""

    def __init__(self, port, timeout=35.0):
        self.port = port
        self.timeout = timeout
        self.sock = None

    def send(self, method, path, headers, body):
        raw = build_request(method, path, headers, body)
        for attempt in range(2):
            start = time.monotonic()
            try:
                if self.sock is None:
                    self.sock = socket.create_connection(('127.0.0.1', self.port), timeout=self.timeout)
                self.sock.sendall(raw)
                status, hdrs, data, keep = _read_response(self.sock, start + self.timeout)
                if not keep:
                    self.close()
                return Response(status, hdrs, data, time.monotonic() - start)
            except EOFError as e:
                self.close()
                if attempt == 1:
                    return Response(None, {}, b'', time.monotonic() - start, error=str(e))
            except Exception as e:  # noqa: BLE001
                self.close()
                return Response(None, {}, b'', time.monotonic() - start, error='%s: %s' % (type(e).__name__, e))

    def close(self):
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
            self.sock = None


# --- RS256 tokens without a crypto library ------------------------------------------------------------------------

def _is_probable_prime(n, rounds=40):
    if n < 2:
        return False
    for p in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):
        if n % p == 0:
            return n == p
    d, r = n - 1, 0
    while d % 2 == 0:
        d //= 2
        r += 1
    for _ in range(rounds):
        a = secrets.randbelow(n - 3) + 2
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _prime(bits):
    while True:
        c = secrets.randbits(bits) | (1 << (bits - 1)) | (1 << (bits - 2)) | 1
        if _is_probable_prime(c):
            return c


def rsa_key(bits=2048):
    e = 65537
    while True:
        p, q = _prime(bits // 2), _prime(bits // 2)
        phi = (p - 1) * (q - 1)
        if p != q and phi % e != 0:
            n = p * q
            if n.bit_length() == bits:
                return {'n': n, 'e': e, 'd': pow(e, -1, phi), 'kid': 'bench-' + secrets.token_hex(4)}


def _b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b'=').decode()


def _int_bytes(i):
    return i.to_bytes((i.bit_length() + 7) // 8, 'big')


def jwks(key):
    return {'keys': [{'kty': 'RSA', 'use': 'sig', 'alg': 'RS256', 'kid': key['kid'],
                      'n': _b64url(_int_bytes(key['n'])), 'e': _b64url(_int_bytes(key['e']))}]}


def jwt(key, claims):
    header = {'alg': 'RS256', 'typ': 'JWT', 'kid': key['kid']}
    signing_input = (_b64url(json.dumps(header).encode()) + '.' + _b64url(json.dumps(claims).encode())).encode()
    digest_info = bytes.fromhex('3031300d060960864801650304020105000420') + hashlib.sha256(signing_input).digest()
    k = (key['n'].bit_length() + 7) // 8
    em = b'\x00\x01' + b'\xff' * (k - len(digest_info) - 3) + b'\x00' + digest_info
    sig = pow(int.from_bytes(em, 'big'), key['d'], key['n']).to_bytes(k, 'big')
    return signing_input.decode() + '.' + _b64url(sig)


def user_token(key, issuer, user, ttl=3600):
    now = int(time.time())
    return jwt(key, {'iss': issuer, 'sub': user, 'iat': now - 5, 'nbf': now - 5, 'exp': now + ttl,
                     'email': user + '@bench.example'})


# --- webhook signatures -------------------------------------------------------------------------------------------

def stripe_signature(secret, payload, ts=None):
    ts = int(time.time()) if ts is None else ts
    mac = hmac.new(secret.encode(), str(ts).encode() + b'.' + payload, hashlib.sha256).hexdigest()
    return 't=%d,v1=%s' % (ts, mac)


def paystack_signature(secret, payload):
    return hmac.new(secret.encode(), payload, hashlib.sha512).hexdigest()
