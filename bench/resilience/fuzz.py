"""Hostile inputs for every public route, as raw request bytes. None of them is a valid request: each must be
answered 4xx with the error envelope, and none may store anything."""
import json
import time

import benchlib
from benchlib import build_request

DEEP = 10000
MB = 1024 * 1024


def _j(doc):
    return json.dumps(doc).encode()


def bodies(kind):
    """Bodies that are wrong for every JSON route, plus ones wrong for this route in particular."""
    out = [
        ('empty body', b''),
        ('truncated JSON', b'{"name":'),
        ('not JSON', b'hello world'),
        ('JSON array', b'[]'),
        ('JSON null', b'null'),
        ('JSON number', b'42'),
        ('JSON string', b'"text"'),
        ('trailing data', b'{}{"a":1}'),
        ('single quotes', b"{'name':'x'}"),
        ('comments', b'{/* c */"name":"x"}'),
        ('deep arrays (10k)', b'[' * DEEP + b']' * DEEP),
        ('deep objects (10k)', b'{"a":' * DEEP + b'1' + b'}' * DEEP),
        ('unclosed deep arrays (10k)', b'[' * DEEP),
        ('2 MB body', b'{"name":"' + b'A' * (2 * MB - 20) + b'"}'),
        ('1 MB string field', _j({'name': 'A' * MB, 'email': 'not-an-address'})),
        ('invalid UTF-8', b'{"name":"\xff\xfe\xfd","email":"bad\xc3\x28@x","message":"\xe2\x82"}'),
        ('overlong UTF-8', b'{"name":"\xc0\xaf","email":"\xc0\xae@x"}'),
        ('lone surrogate escape', b'{"name":"\\ud800","email":"\\udfff"}'),
        ('raw NUL in string', b'{"name":"a\x00b","email":"x\x00@y.co"}'),
        ('raw control chars', b'{"name":"a\x01\x02\x1b[31m","email":"\x07"}'),
        ('NUL byte before JSON', b'\x00{}'),
        ('BOM then a JSON array', b'\xef\xbb\xbf[]'),
        ('huge number', b'{"amount":1e999999,"name":1e400}'),
        ('duplicate keys', b'{"email":"a@b.co","email":7,"email":null}'),
    ]
    if kind == 'contact':
        out += [
            ('contact: wrong types', _j({'name': 123, 'email': ['a@b.co'], 'message': {'x': 1}})),
            ('contact: nulls', _j({'name': None, 'email': None, 'message': None})),
            ('contact: booleans', _j({'name': True, 'email': False, 'message': True})),
            ('contact: escaped NUL in fields', _j({'name': 'Nul\u0000Name', 'email': 'nul@bench.example',
                                                  'message': 'nul \u0000 byte'})),
            ('contact: SQL injection', _j({'name': "'; DROP TABLE contacts; --", 'email': "' OR '1'='1",
                                           'message': "x'); DELETE FROM contacts; SELECT pg_sleep(10); --"})),
            ('contact: script injection', _j({'name': '<script>alert(1)</script>',
                                              'email': '"><img src=x onerror=alert(1)>',
                                              'message': '<svg onload=alert(1)>'})),
            ('contact: message over 5000', _j({'name': 'A', 'email': 'a@bench.example', 'message': 'M' * 5001})),
            ('contact: 100k-char email', _j({'name': 'A', 'email': 'a' * 100000 + '@x.co', 'message': 'm'})),
            ('contact: nested object field', _j({'name': {'$ne': None}, 'email': {'$gt': ''}, 'message': 'x'})),
        ]
    elif kind == 'initiate':
        out += [
            ('initiate: amount string', _j({'email': 'a@bench.example', 'amount': 'abc'})),
            ('initiate: amount negative', _j({'email': 'a@bench.example', 'amount': -5})),
            ('initiate: amount fraction', _j({'email': 'a@bench.example', 'amount': 1500.5})),
            ('initiate: amount 1e400', b'{"email":"a@bench.example","amount":1e400}'),
            ('initiate: amount 30 digits', b'{"email":"a@bench.example","amount":123456789012345678901234567890}'),
            ('initiate: amount NaN', b'{"email":"a@bench.example","amount":NaN}'),
            ('initiate: email number', _j({'email': 5, 'amount': 10})),
            ('initiate: currency number', _j({'email': 'a@bench.example', 'amount': 10, 'currency': 840})),
            ('initiate: unknown provider', _j({'email': 'a@bench.example', 'amount': 10, 'provider': 'paypal'})),
            ('initiate: metadata string', _j({'email': 'a@bench.example', 'amount': 10, 'metadata': 'x'})),
            ('initiate: metadata 51 keys', _j({'email': 'a@bench.example', 'amount': 10,
                                               'metadata': {str(i): i for i in range(51)}})),
            ('initiate: escaped NUL email', _j({'email': 'a\u0000@bench.example', 'amount': 10})),
            ('initiate: SQL injection', _j({'email': "x' OR 1=1; --", 'amount': 10, 'currency': "US'"})),
            ('initiate: script injection', _j({'email': '<script>@x.co', 'amount': 10})),
        ]
    elif kind == 'customer':
        out += [
            ('customer: email number', _j({'email': 5})),
            ('customer: email array', _j({'email': ['a@bench.example']})),
            ('customer: metadata string', _j({'metadata': 'x'})),
            ('customer: metadata nested', _j({'metadata': {'k': {'deep': 1}}})),
            ('customer: metadata 50 keys', _j({'metadata': {'k%d' % i: 'v' for i in range(50)}})),
            ('customer: metadata empty key', _j({'metadata': {'': 'v'}})),
            ('customer: name 257 chars', _j({'name': 'N' * 257})),
            ('customer: invalid email', _j({'email': "x' OR 1=1 --"})),
            ('customer: script email', _j({'email': '<script>alert(1)</script>'})),
            ('customer: escaped NUL email', _j({'email': 'nul\u0000@bench.example'})),
        ]
    return out


def signed_webhook_bodies(provider):
    """Bodies signed with the right secret that are still not a webhook the service can take."""
    if provider == 'stripe':
        return [
            ('signed: not JSON', b'not json'),
            ('signed: empty', b''),
            ('signed: JSON array', b'[]'),
            ('signed: deep arrays (10k)', b'[' * DEEP + b']' * DEEP),
            ('signed: deep objects in data (10k)', b'{"id":"evt_deep","type":"x","data":' + b'{"a":' * DEEP + b'1'
             + b'}' * DEEP + b'}'),
            ('signed: invalid UTF-8', b'{"id":"evt_\xff\xfe","type":"customer.created","data":{"object":{}}}'),
            ('signed: raw NUL', b'{"id":"evt_\x00","type":"customer.created","data":{"object":{}}}'),
            ('signed: escaped NUL in id', b'{"id":"evt_\\u0000x","type":"customer.created","data":{"object":{}}}'),
            ('signed: no id', _j({'type': 'customer.created', 'data': {'object': {}}})),
            ('signed: id number', _j({'id': 12345, 'type': 'customer.created', 'data': {'object': {}}})),
            ('signed: type object', _j({'id': 'evt_fuzz_type', 'type': {'a': 1}, 'data': {'object': {}}})),
            ('signed: trailing data', b'{"id":"evt_fuzz_trailing","type":"x","data":{"object":{}}} {}'),
        ]
    return [
        ('signed: not JSON', b'not json'),
        ('signed: empty', b''),
        ('signed: JSON array', b'[]'),
        ('signed: deep arrays (10k)', b'[' * DEEP + b']' * DEEP),
        ('signed: invalid UTF-8', b'{"event":"charge.success","data":{"id":1,"reference":"\xff\xfe"}}'),
        ('signed: raw NUL', b'{"event":"charge.success\x00","data":{"id":1}}'),
        ('signed: escaped NUL in event', b'{"event":"charge.\\u0000success","data":{"id":1,"reference":"x"}}'),
        ('signed: no event', _j({'data': {'id': 1}})),
        ('signed: data string', _j({'event': 'charge.success', 'data': 'x'})),
        ('signed: trailing data', b'{"event":"x","data":{"id":1}} {}'),
    ]


def fuzz_cases(stack, user):
    ct = [('Content-Type', 'application/json')]
    auth = [('Authorization', 'Bearer ' + stack.token(user))]
    now = int(time.time())
    cases = []

    def add(label, method, path, headers, body=b'', **kw):
        cases.append(('%s %s | %s' % (method, path[:60], label), build_request(method, path, headers, body, **kw)))

    def stripe_sig(body, ts=None):
        return [('Stripe-Signature', benchlib.stripe_signature(stack.stripe_secret, body, ts))]

    def paystack_sig(body):
        return [('x-paystack-signature', benchlib.paystack_signature(stack.paystack_secret, body))]

    # Bodies on every JSON route.
    json_routes = [('/api/contact', 'contact', []), ('/api/payment/initiate', 'initiate', []),
                   ('/stripe/customer', 'customer', auth), ('/webhooks/stripe', 'stripe-webhook', []),
                   ('/webhooks/paystack', 'paystack-webhook', []), ('/api/payment/webhook', 'paystack-webhook', [])]
    for path, kind, extra in json_routes:
        for label, body in bodies(kind):
            if kind == 'customer' and label in ('empty body', 'JSON null'):
                continue  # every field of POST /stripe/customer is optional: no body (or null) is a valid request
            headers = ct + extra
            if kind == 'stripe-webhook':
                headers = headers + [('Stripe-Signature', 't=%d,v1=%s' % (now, '0' * 64))]
            elif kind == 'paystack-webhook':
                headers = headers + [('x-paystack-signature', '0' * 128)]
            add(label, 'POST', path, headers, body)

    # Signatures: missing, malformed, stale, and valid ones over bodies the service still cannot take.
    ev = _j({'id': 'evt_fuzz_sig', 'type': 'customer.created', 'data': {'object': {'id': 'cus_fuzz'}}})
    for label, headers in [('no signature', []), ('empty signature', [('Stripe-Signature', '')]),
                           ('garbage signature', [('Stripe-Signature', 'garbage')]),
                           ('t not a number', [('Stripe-Signature', 't=abc,v1=' + '0' * 64)]),
                           ('v1 not hex', [('Stripe-Signature', 't=%d,v1=zz' % now)]),
                           ('stale timestamp', stripe_sig(ev, now - 3600)),
                           ('future timestamp', stripe_sig(ev, now + 3600)),
                           ('10k-entry signature', [('Stripe-Signature', 't=%d,' % now + ','.join(
                               ['v1=' + '0' * 64] * 100))]),
                           ('signature of another body', stripe_sig(b'{}'))]:
        add('stripe ' + label, 'POST', '/webhooks/stripe', ct + headers, ev)
    for label, body in signed_webhook_bodies('stripe'):
        add(label, 'POST', '/webhooks/stripe', ct + stripe_sig(body), body)
    pev = _j({'event': 'charge.success', 'data': {'id': 1, 'reference': 'fuzz'}})
    for path in ('/webhooks/paystack', '/api/payment/webhook'):
        for label, headers in [('no signature', []), ('empty signature', [('x-paystack-signature', '')]),
                               ('not hex', [('x-paystack-signature', 'zz' * 64)]),
                               ('SHA-256 length', [('x-paystack-signature', '0' * 64)]),
                               ('signature of another body', paystack_sig(b'{}'))]:
            add('paystack ' + label, 'POST', path, ct + headers, pev)
        for label, body in signed_webhook_bodies('paystack'):
            add(label, 'POST', path, ct + paystack_sig(body), body)

    # Verify: hostile references and bad percent-encoding in the path.
    for label, ref in [('unknown reference', 'PSK-0-unknown'), ('SQL injection', "x'%20OR%20'1'%3D'1"),
                       ('script', '%3Cscript%3Ealert(1)%3C%2Fscript%3E'), ('bad percent-encoding %zz', '%zz'),
                       ('lone percent', '%'), ('truncated percent', '%E0%A4%A'), ('encoded NUL', 'a%00b'),
                       ('encoded invalid UTF-8', '%ff%fe'), ('raw invalid UTF-8', b'\xff\xfe'.decode('latin-1')),
                       ('encoded slash traversal', '..%2F..%2Fq%2Fhealth'), ('5000-char reference', 'R' * 5000),
                       ('10000-char path', 'R' * 10000)]:
        path = '/api/payment/verify/' + ref
        cases.append(('GET /api/payment/verify/{%s}' % label,
                      build_request('GET', path.encode('latin-1'), [])))

    # Catalogue query parameters.
    for q in ['limit=abc', 'limit=0', 'limit=101', 'limit=-1', 'limit=1e3', 'limit=%zz', 'limit=99999999999999999999',
              'limit=%00', "limit=abc;DROP%20TABLE%20payments", 'active=maybe', 'limit=abc&limit=5',
              'starting_after=' + 'x' * 5000]:
        add('query ' + q[:40], 'GET', '/stripe/products?' + q, auth)
    add('bad percent-encoding in product id', 'GET', '/stripe/products/%zz', auth)

    # Tokens on the authenticated routes.
    other = benchlib.rsa_key(1024)
    expired = benchlib.jwt(stack.key, {'iss': stack.issuer, 'sub': user, 'iat': now - 7200, 'exp': now - 3600})
    foreign = benchlib.jwt(other, {'iss': stack.issuer, 'sub': user, 'iat': now, 'exp': now + 600})
    wrong_iss = benchlib.jwt(stack.key, {'iss': 'https://evil.example', 'sub': user, 'iat': now, 'exp': now + 600})
    alg_none = 'eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.' + benchlib._b64url(_j({'iss': stack.issuer, 'sub': user,
                                                                           'exp': now + 600})) + '.'
    for label, value in [('garbage bearer', 'Bearer garbage'), ('empty bearer', 'Bearer '),
                         ('basic auth', 'Basic YWRtaW46YWRtaW4='), ('expired token', 'Bearer ' + expired),
                         ('token of another key', 'Bearer ' + foreign), ('token of another issuer', 'Bearer ' + wrong_iss),
                         ('alg none token', 'Bearer ' + alg_none), ('6 KB bearer', 'Bearer ' + 'a' * 6000)]:
        add(label, 'GET', '/stripe/products', [('Authorization', value)])
        add(label, 'POST', '/stripe/customer', ct + [('Authorization', value)], b'{}')

    # Hostile headers on the contact route, with a body that is itself invalid ({} lacks every field).
    body = b'{}'
    for label, headers in [
            ('Content-Type text/plain', [('Content-Type', 'text/plain')]),
            ('no Content-Type', []),
            ('Content-Type with control chars', [('Content-Type', 'application/json\x01\x02')]),
            ('Content-Type charset=utf-7', [('Content-Type', 'application/json; charset=utf-7')]),
            ('Content-Type 10 KB', [('Content-Type', 'application/json; x=' + 'a' * 10000)]),
            ('Content-Type multipart', [('Content-Type', 'multipart/form-data; boundary=x')]),
            ('one 20 KB header', ct + [('X-Fill', 'A' * 20000)]),
            ('200 headers of 100 bytes', ct + [('X-Fill-%d' % i, 'A' * 100) for i in range(200)]),
            ('header value with NUL', ct + [('X-Note', 'a\x00b')]),
            ('header value with control chars', ct + [('X-Note', '\x01\x02\x1b[31m\x7f')]),
            ('header name with space', ct + [('X Bad', '1')]),
            ('X-Request-Id with control chars', ct + [('X-Request-Id', 'id\x07\x08')]),
            ('X-Request-Id 10 KB', ct + [('X-Request-Id', 'r' * 10000)]),
            ('X-Forwarded-For spoofed', ct + [('X-Forwarded-For', "1.2.3.4, ' OR 1=1")]),
            ('Origin not allowed', ct + [('Origin', 'https://evil.example')]),
            ('Origin null', ct + [('Origin', 'null')]),
            ('Content-Length not a number', ct + [('Content-Length', 'abc')]),
            ('Content-Length negative', ct + [('Content-Length', '-1')]),
            ('two Content-Lengths', ct + [('Content-Length', '2'), ('Content-Length', '3')]),
            ('bad chunked encoding', ct + [('Transfer-Encoding', 'chunked')])]:
        if label == 'bad chunked encoding':
            cases.append(('POST /api/contact | ' + label, build_request(
                'POST', '/api/contact', headers, b'zz\r\n{}\r\n0\r\n\r\n', content_length=False)))
        elif label.startswith(('Content-Length', 'two Content')):
            cases.append(('POST /api/contact | ' + label, build_request(
                'POST', '/api/contact', headers, body, content_length=False)))
        else:
            add(label, 'POST', '/api/contact', headers, body)
    for label, path in [('bad percent-encoding in path', '/api/contact%zz'), ('encoded NUL in path', '/api/contact%00'),
                        ('raw invalid UTF-8 in path', b'/api/contact\xff'.decode('latin-1')),
                        ('query with bad percent-encoding', '/api/contact?x=%zz'),
                        ('dot segments', '/api/contact/../../q/health')]:
        cases.append(('POST %s | %s' % (path[:40], label),
                      build_request('POST', path.encode('latin-1'), ct, body)))
    return cases
