"""Stand-ins the run controls: a Stripe-like API that can be made slow or failing, and a Clerk-like JWKS.

Usage: providers.py STRIPE_PORT CLERK_PORT JWKS_FILE

Stripe control (same port): POST /__mode?mode=ok|fail500|close|slow&sleep=SECONDS sets how every /v1 call is
answered; POST /__customers?steps=fail500,lost,slow queues what the next customer creations do (lost: the customer is
created but the connection closes before the answer; slow: created, answered after the sleep); GET /__stats counts.
Idempotency-Key is honoured as Stripe does: a retried POST with a key that produced an object gets the same answer.
"""
import json
import secrets
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STRIPE_PORT, CLERK_PORT, JWKS_FILE = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
lock = threading.Lock()
state = {'mode': 'ok', 'sleep': 10.0, 'customer_steps': []}
stats = {'requests': 0, 'customer_posts': 0, 'customers_created': 0, 'sessions_created': 0, 'answered': {},
         'customers_by_user': {}}
idempotent = {}  # Idempotency-Key -> (status, body)
customers = {}


def form(body):
    return dict(urllib.parse.parse_qsl(body.decode('utf-8', 'replace'), keep_blank_values=True))


class Stripe(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, *args):
        pass

    def answer(self, status, doc):
        data = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        self.send_header('Request-Id', 'req_' + secrets.token_hex(6))
        self.end_headers()
        self.wfile.write(data)
        with lock:
            stats['answered'][str(status)] = stats['answered'].get(str(status), 0) + 1

    def body(self):
        n = int(self.headers.get('Content-Length') or 0)
        return self.rfile.read(n) if n else b''

    def control(self, url):
        q = dict(urllib.parse.parse_qsl(url.query))
        with lock:
            if url.path == '/__mode':
                state['mode'] = q.get('mode', 'ok')
                state['sleep'] = float(q.get('sleep', state['sleep']))
            elif url.path == '/__customers':
                state['customer_steps'] = [s for s in q.get('steps', '').split(',') if s]
            snapshot = json.loads(json.dumps(stats))
            snapshot['mode'] = state['mode']
        self.answer(200, snapshot)

    def do_GET(self):
        self.route('GET')

    def do_POST(self):
        self.route('POST')

    def do_DELETE(self):
        self.route('DELETE')

    def route(self, method):
        url = urllib.parse.urlsplit(self.path)
        body = self.body()
        if url.path.startswith('/__'):
            return self.control(url)
        with lock:
            stats['requests'] += 1
            mode = state['mode']
            step = None
            if method == 'POST' and url.path == '/v1/customers':
                stats['customer_posts'] += 1
                step = state['customer_steps'].pop(0) if state['customer_steps'] else None
        key = self.headers.get('Idempotency-Key')
        with lock:
            replay = idempotent.get(key) if key and method == 'POST' else None
        effective = step or mode
        if effective == 'fail500':
            return self.answer(500, {'error': {'type': 'api_error', 'message': 'stand-in failure'}})
        if effective == 'close':
            self.close_connection = True
            return
        if effective == 'slow' and step is None:
            time.sleep(state['sleep'])
        if replay:
            status, doc = replay
        else:
            status, doc = self.handle_api(method, url, form(body))
            if key and method == 'POST' and status < 500:
                with lock:
                    idempotent[key] = (status, doc)
        if effective == 'lost':
            self.close_connection = True
            return
        if effective == 'slow' and step is not None:
            time.sleep(state['sleep'])
        self.answer(status, doc)

    def handle_api(self, method, url, params):
        parts = url.path.strip('/').split('/')
        if method == 'POST' and url.path == '/v1/checkout/sessions':
            sid = 'cs_test_' + secrets.token_hex(8)
            with lock:
                stats['sessions_created'] += 1
            return 200, {'id': sid, 'object': 'checkout.session', 'url': 'http://127.0.0.1/pay/' + sid,
                         'status': 'open', 'payment_status': 'unpaid', 'mode': 'payment',
                         'client_reference_id': params.get('client_reference_id'), 'currency': params.get(
                             'line_items[0][price_data][currency]'), 'amount_total': None, 'metadata': {}}
        if method == 'GET' and url.path == '/v1/products':
            product = {'id': 'prod_bench', 'object': 'product', 'name': 'Bench product', 'active': True,
                       'default_price': None, 'metadata': {}}
            return 200, {'object': 'list', 'url': '/v1/products', 'has_more': False, 'data': [product]}
        if method == 'POST' and url.path == '/v1/customers':
            cid = 'cus_' + secrets.token_hex(7)
            user = params.get('metadata[clerk_user_id]')
            doc = {'id': cid, 'object': 'customer', 'email': params.get('email'), 'name': params.get('name'),
                   'metadata': {'clerk_user_id': user}, 'created': int(time.time()), 'livemode': False}
            with lock:
                customers[cid] = doc
                stats['customers_created'] += 1
                stats['customers_by_user'][user] = stats['customers_by_user'].get(user, 0) + 1
            return 200, doc
        if method == 'GET' and len(parts) == 3 and parts[:2] == ['v1', 'customers'] and parts[2] in customers:
            return 200, customers[parts[2]]
        return 404, {'error': {'type': 'invalid_request_error', 'code': 'resource_missing',
                               'message': 'No such object: ' + url.path}}


class Clerk(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, *args):
        pass

    def do_GET(self):
        with open(JWKS_FILE, 'rb') as f:
            data = f.read()
        self.send_response(200 if self.path.startswith('/.well-known/jwks.json') else 404)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)


for handler, port in ((Stripe, STRIPE_PORT), (Clerk, CLERK_PORT)):
    server = ThreadingHTTPServer(('127.0.0.1', port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
print('stand-ins on %d (stripe) and %d (clerk)' % (STRIPE_PORT, CLERK_PORT), flush=True)
threading.Event().wait()
