"""The five resilience scenarios. Each returns (passed, figures, problems)."""
import json
import random
import threading
import time

import benchlib
from fuzz import fuzz_cases

CT_JSON = [('Content-Type', 'application/json')]


def contact_body(email):
    return json.dumps({'name': 'Bench', 'email': email, 'message': 'resilience run ' + email}).encode()


class ContactLoad:
    """Clients that submit contacts in a loop, through the gateway and straight to the contact-service."""

    def __init__(self, stack, tag, clients_per_door, pace):
        self.stack, self.tag, self.pace = stack, tag, pace
        self.doors = [('gw', stack.ports['gateway'])] * clients_per_door + \
                     [('direct', stack.ports['contact'])] * clients_per_door
        self.results = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.threads = []

    def _client(self, n, door, port):
        i = 0
        while not self.stop.is_set():
            email = '%s-%s%d-%d@bench.example' % (self.tag, door, n, i)
            i += 1
            r = benchlib.request(port, 'POST', '/api/contact', CT_JSON, contact_body(email), timeout=40)
            doc = r.json()
            cid = doc.get('data', {}).get('id') if isinstance(doc, dict) and r.status == 201 else None
            with self.lock:
                self.results.append({'t': time.time(), 'email': email, 'status': r.status,
                                     'code': r.envelope_code(), 'elapsed': r.elapsed, 'id': cid,
                                     'error': r.error, 'brief': r.brief()})
            time.sleep(self.pace)

    def start(self):
        for n, (door, port) in enumerate(self.doors):
            t = threading.Thread(target=self._client, args=(n, door, port), daemon=True)
            t.start()
            self.threads.append(t)

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join(60)
        return self.results


class Readiness:
    """Polls /q/health/ready of the three services and keeps every change."""

    def __init__(self, stack):
        self.stack = stack
        self.changes = {name: [] for name in ('contact', 'payment', 'webhook')}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self.stop.is_set():
            for name in self.changes:
                r = benchlib.request(self.stack.management_ports[name], 'GET', '/q/health/ready', timeout=5)
                state = 'UP' if r.status == 200 else 'DOWN'
                if not self.changes[name] or self.changes[name][-1][1] != state:
                    self.changes[name].append((time.time(), state))
            time.sleep(0.25)

    def all_up(self):
        return all(c and c[-1][1] == 'UP' for c in self.changes.values())


def stripe_event(event_id, user, customer):
    return json.dumps({'id': event_id, 'object': 'event', 'type': 'customer.created', 'api_version': '2024-06-20',
                       'created': int(time.time()), 'livemode': False,
                       'data': {'object': {'id': customer, 'object': 'customer', 'email': user + '@bench.example',
                                           'metadata': {'clerk_user_id': user}}}}).encode()


def deliver_stripe(stack, port, payload, conn=None):
    headers = CT_JSON + [('Stripe-Signature', benchlib.stripe_signature(stack.stripe_secret, payload))]
    if conn:
        return conn.send('POST', '/webhooks/stripe', headers, payload)
    return benchlib.request(port, 'POST', '/webhooks/stripe', headers, payload, timeout=40)


def mails_by_key(stack):
    counts = {}
    for m in stack.mails():
        key = (m['to'].lower(), m['reply_to'].lower(), m['subject'])
        counts[key] = counts.get(key, 0) + 1
    return counts


def contact_mail_state(stack, emails):
    """How many of the given senders have both their mails, and how many mails arrived more than once."""
    seen = {}
    for (to, reply_to, _), n in mails_by_key(stack).items():
        for addr in (to, reply_to):
            if addr:
                for e in _addresses(addr):
                    seen.setdefault(e, []).append(n)
    complete = sum(1 for e in emails if len(seen.get(e.lower(), [])) >= 2)
    dupes = sum(1 for e in emails for n in seen.get(e.lower(), []) if n > 1)
    return complete, dupes


def _addresses(header):
    out = []
    for part in header.split(','):
        part = part.strip()
        if '<' in part and '>' in part:
            part = part[part.index('<') + 1:part.index('>')]
        out.append(part.lower())
    return out


def summarise_load(results):
    by = {}
    for r in results:
        key = '%s %s' % (r['status'] if r['status'] else 'no-answer', r['code'] or '')
        by[key.strip()] = by.get(key.strip(), 0) + 1
    return by


# --- 1. PostgreSQL killed under load ----------------------------------------------------------------------------

def scenario_postgres(stack, run_id, outage=10):
    problems = []
    ready = Readiness(stack)
    ready.thread.start()
    load = ContactLoad(stack, 's1' + run_id, clients_per_door=3, pace=0.05)
    load.start()
    time.sleep(4)
    t_kill = time.time()
    stack.kill_db()
    time.sleep(2)
    hooks = [('evt_s1_%s_%d' % (run_id, i), 'user_s1_%s_%d' % (run_id, i), 'cus_s1_%s_%d' % (run_id, i))
             for i in range(5)]
    during = [deliver_stripe(stack, stack.ports['gateway'], stripe_event(*h)) for h in hooks]
    time.sleep(max(0, t_kill + outage - time.time()))
    t_start = time.time()
    stack.start_db()
    deadline = time.time() + 90
    while time.time() < deadline and not ready.all_up():
        time.sleep(0.2)
    t_ready = time.time()
    time.sleep(3)
    results = load.finish()
    ready.stop.set()
    after = [deliver_stripe(stack, stack.ports['gateway'], stripe_event(*h)) for h in hooks]

    acked = [r for r in results if r['status'] == 201]
    refused = [r for r in results if r['status'] != 201]
    bad = [r for r in refused if not (r['status'] == 503 and r['code'] == 'SERVICE_UNAVAILABLE')]
    slowest = max(r['elapsed'] for r in results)
    for r in bad[:10]:
        problems.append('contact during outage answered %s' % r['brief'])
    if len(bad) > 10:
        problems.append('... and %d more answers that are not 503 SERVICE_UNAVAILABLE' % (len(bad) - 10))
    if slowest > 10:
        problems.append('slowest contact answer took %.1f s' % slowest)
    ids = [r['id'] for r in acked]
    stored = stack.scalar("SELECT count(*) FROM contacts WHERE id IN (%s)" % ','.join("'%s'" % i for i in ids)) \
        if ids else 0
    if stored != len(ids):
        problems.append('%d contacts acknowledged 201 are missing from the database' % (len(ids) - stored))
    stored_refused_emails = set(stack.psql("SELECT email FROM contacts WHERE email IN (%s)" % ','.join(
        "'%s'" % r['email'] for r in refused)).split()) if refused else set()
    stored_refused = len(stored_refused_emails)
    stored_refused_answers = ', '.join('%s %s after %.2f s' % (r['status'], r['code'] or r['error'], r['elapsed'])
                                       for r in refused if r['email'] in stored_refused_emails)
    # Readiness: DOWN then UP, by itself.
    went = {}
    for name, changes in ready.changes.items():
        states = [s for _, s in changes]
        down_at = next((t for t, s in changes if s == 'DOWN' and t >= t_kill - 1), None)
        up_at = next((t for t, s in changes if s == 'UP' and down_at and t > down_at), None)
        went[name] = (down_at, up_at)
        if down_at is None or up_at is None:
            problems.append('%s readiness did not go DOWN then UP (%s)' % (name, '→'.join(states)))
    # Mails of every acknowledged contact.
    emails = [r['email'] for r in acked]
    deadline = time.time() + 90
    complete, dupes = 0, 0
    while time.time() < deadline:
        complete, dupes = contact_mail_state(stack, emails)
        if complete == len(emails):
            break
        time.sleep(1)
    t_mail = time.time()
    lag = stack.psql("SELECT coalesce(round(extract(epoch FROM max(sent_at - created_at))), -1) FROM email_outbox "
                     "WHERE to_address LIKE 's1%s-%%' OR reply_to LIKE 's1%s-%%'" % (run_id, run_id))
    if complete != len(emails):
        problems.append('%d of %d acknowledged contacts lack their 2 mails after 90 s' % (len(emails) - complete,
                                                                                          len(emails)))
    # Webhooks during the outage: 5xx; retried after: applied.
    during_ok = all(r.status is not None and 500 <= r.status < 600 for r in during)
    after_applied = sum(1 for r in after if r.status == 200 and (r.json() or {}).get('received') is True
                        and not (r.json() or {}).get('duplicate'))
    mapped = stack.scalar("SELECT count(*) FROM stripe_customer_mapping WHERE clerk_user_id LIKE 'user_s1_%s_%%'"
                          % run_id)
    if not during_ok:
        problems.append('webhooks during the outage answered %s' % ', '.join(r.brief(60) for r in during))
    if after_applied != len(hooks) or mapped != len(hooks):
        problems.append('webhooks retried after: %d of %d applied, %d mappings (answers: %s)' % (
            after_applied, len(hooks), mapped, ', '.join(r.brief(60) for r in after)))
    downs = [u - d for d, u in went.values() if d and u]
    figures = ('%d clients (3 via gateway, 3 direct), %d requests over %.0f s; PostgreSQL killed %.0f s; '
               'answers: %s; slowest %.2f s; readiness DOWN→UP on %d/3 services (back UP %.1f s after restart); '
               '%d acked 201, %d in DB, lost %d; %d refused but stored%s; mails complete %d/%d, %.0f s after DB '
               'back (longest mail lag %s s), %d sent twice (at least once: sent as PostgreSQL died); '
               'webhooks in outage: %s, retried after: %d/%d applied'
               % (len(load.doors), len(results), t_ready + 3 - (t_kill - 4), t_start - t_kill,
                  json.dumps(summarise_load(results)), slowest, len(downs),
                  max([u for _, u in went.values() if u] or [t_start]) - t_start,
                  len(acked), stored, len(acked) - stored, stored_refused,
                  ' (%s)' % stored_refused_answers if stored_refused else '', complete, len(emails), t_mail - t_start,
                  lag, dupes,
                  '/'.join(str(r.status) for r in during), after_applied, len(hooks)))
    return not problems, figures, problems


# --- 2. SMTP down under contact load ----------------------------------------------------------------------------

def scenario_smtp(stack, run_id, outage=30):
    problems = []
    before_mails = len(stack.mails())
    stack.stop_sink()
    t_down = time.time()
    load = ContactLoad(stack, 's2' + run_id, clients_per_door=2, pace=0.2)
    load.start()
    time.sleep(outage)
    results = load.finish()
    stack.start_sink()
    t_up = time.time()
    acked = [r for r in results if r['status'] == 201]
    if len(acked) != len(results):
        problems.append('%d contacts refused while SMTP was down: %s' % (
            len(results) - len(acked), json.dumps(summarise_load(results))))
    emails = [r['email'] for r in acked]
    stored = stack.scalar("SELECT count(*) FROM contacts WHERE email LIKE 's2%s-%%'" % run_id)
    deadline = time.time() + 150
    complete = dupes = 0
    while time.time() < deadline:
        complete, dupes = contact_mail_state(stack, emails)
        if complete == len(emails):
            break
        time.sleep(0.5)
    caught_up = time.time() - t_up
    time.sleep(3)  # a late duplicate would show now
    complete, dupes = contact_mail_state(stack, emails)
    all_dupes = sum(n - 1 for n in mails_by_key(stack).values() if n > 1)
    outbox = stack.psql("SELECT status || '=' || count(*) FROM email_outbox GROUP BY status ORDER BY 1").split()
    if stored != len(acked):
        problems.append('%d acknowledged contacts not stored' % (len(acked) - stored))
    if complete != len(emails):
        problems.append('%d of %d contacts lack their 2 mails %.0f s after SMTP came back' % (
            len(emails) - complete, len(emails), caught_up))
    if dupes:
        problems.append('%d mails of these contacts delivered more than once' % dupes)
    figures = ('%d clients, %d contacts in %.0f s of SMTP outage, %d answered 201; stored %d; %d mails expected, '
               '%d senders complete; caught up %.1f s after SMTP came back; sent twice %d (whole run so far: %d); sink '
               'received %d mails; outbox %s' % (len(load.doors), len(results), t_up - t_down,
                                                 len(acked), stored, 2 * len(emails), complete,
                                                 caught_up, dupes, all_dupes, len(stack.mails()) - before_mails,
                              ' '.join(outbox)))
    return not problems, figures, problems


# --- 3. Stripe slow or failing ----------------------------------------------------------------------------------

def scenario_stripe(stack, run_id, read_timeout=3.0, retries=1, slow=10.0):
    problems = []
    gw = stack.ports['gateway']
    token = stack.token('user_s3_%s' % run_id)
    auth = [('Authorization', 'Bearer ' + token)]
    bound = read_timeout * (retries + 1) + 3.0
    rows = []
    for n, mode in enumerate(('fail500', 'close', 'slow')):
        stack.stripe('/__mode?mode=%s&sleep=%s' % (mode, slow))
        for i in range(2):
            body = json.dumps({'email': 's3-%s-%s-%d@bench.example' % (run_id, mode, i), 'amount': 15,
                               'currency': 'USD', 'provider': 'stripe'}).encode()
            r = benchlib.request(gw, 'POST', '/api/payment/initiate', CT_JSON, body, timeout=60)
            rows.append(('initiate', mode, r))
            r = benchlib.request(gw, 'GET', '/stripe/products?limit=%d' % (10 + 3 * n + i), auth, timeout=60)
            rows.append(('products', mode, r))
    stack.stripe('/__mode?mode=ok')
    ok_initiate = benchlib.request(gw, 'POST', '/api/payment/initiate', CT_JSON, json.dumps(
        {'email': 's3ok-%s@bench.example' % run_id, 'amount': 15, 'currency': 'USD', 'provider': 'stripe'}).encode())
    ok_products = benchlib.request(gw, 'GET', '/stripe/products?limit=99', auth)
    for what, mode, r in rows:
        good = r.status in (502, 504) and r.envelope_code() in ('PROVIDER_ERROR', 'GATEWAY_TIMEOUT')
        if not good or r.elapsed > bound:
            problems.append('%s with Stripe %s answered %s in %.1f s (bound %.0f s)' % (what, mode, r.brief(100),
                                                                                    r.elapsed, bound))
    if ok_initiate.status != 201 or ok_products.status != 200:
        problems.append('after Stripe recovered: initiate %s, products %s' % (ok_initiate.brief(80),
                                                                             ok_products.brief(80)))
    statuses = stack.psql("SELECT status || '=' || count(*) FROM payments WHERE email LIKE 's3-%s-%%' "
                          "GROUP BY status" % run_id).split()
    pending = stack.scalar("SELECT count(*) FROM payments WHERE email LIKE 's3-%s-%%' AND status IN "
                           "('pending','processing')" % run_id)
    if pending:
        problems.append('%d payments left pending after a provider failure' % pending)
    # Customer: failures first, then retries until it works; one customer, one mapping.
    user = 'user_s3c_%s' % run_id
    cauth = [('Authorization', 'Bearer ' + stack.token(user))]
    stack.stripe('/__customers?steps=fail500,fail500,lost,lost,slow,slow')
    attempts = []
    for _ in range(12):
        r = benchlib.request(gw, 'POST', '/stripe/customer', CT_JSON + cauth,
                             json.dumps({'email': user + '@bench.example'}).encode(), timeout=60)
        attempts.append(r)
        if r.status in (200, 201):
            break
        time.sleep(0.5)
    again = benchlib.request(gw, 'POST', '/stripe/customer', CT_JSON + cauth, b'{}')
    stats = stack.stripe('/__stats')
    created = stats['customers_by_user'].get(user, 0)
    mapping = stack.psql("SELECT stripe_customer_id FROM stripe_customer_mapping WHERE clerk_user_id = '%s'" % user)
    final_id = ((attempts[-1].json() or {}).get('data') or {}).get('id')
    failures = [r for r in attempts if r.status not in (200, 201)]
    if any(r.status not in (502, 504) or r.envelope_code() not in ('PROVIDER_ERROR', 'GATEWAY_TIMEOUT')
           for r in failures):
        problems.append('customer attempts answered %s' % ', '.join(r.brief(60) for r in failures))
    if attempts[-1].status != 201 or again.status != 200 or (again.json() or {}).get('created') is not False:
        problems.append('customer: last attempt %s, then %s' % (attempts[-1].brief(80), again.brief(80)))
    if created != 1 or len(mapping.split()) != 1 or mapping.strip() != final_id:
        problems.append('customer: %d Stripe customers created, mapping rows %r, answered id %s' % (
            created, mapping.split(), final_id))
    slowest = max(r.elapsed for _, _, r in rows)
    figures = ('Stripe 500s / closed connections / %.0f s sleeps (read timeout %.0f s, %d retry): %d calls, answers %s, '
               'slowest %.1f s (bound %.0f s); payments of failed initiates: %s, left pending %d; after recovery '
               'initiate %s, products %s; customer: %d attempts (%s) then %s, Stripe saw %d creates, %d customer '
               'created, %d mapping row'
               % (slow, read_timeout, retries, len(rows), json.dumps(_count('%s %s' % (r.status, r.envelope_code())
                                                                             for _, _, r in rows)),
                  slowest, bound, ' '.join(statuses), pending, ok_initiate.status, ok_products.status,
                  len(attempts), '/'.join(str(r.status) for r in attempts), again.status,
                  stats['customer_posts'], created, len(mapping.split())))
    return not problems, figures, problems


def _count(items):
    out = {}
    for i in items:
        out[i] = out.get(i, 0) + 1
    return out


# --- 4. 1,000 Stripe webhooks with 30 % duplicates --------------------------------------------------------------

def scenario_webhooks(stack, run_id, unique=700, duplicates=300, connections=16):
    problems = []
    events = [('evt_s4_%s_%04d' % (run_id, i), 'user_s4_%s_%04d' % (run_id, i), 'cus_s4_%s_%04d' % (run_id, i))
              for i in range(unique)]
    rnd = random.Random(42)
    deliveries = events + [rnd.choice(events) for _ in range(duplicates)]
    rnd.shuffle(deliveries)
    payloads = {e[0]: stripe_event(*e) for e in events}
    answers = []
    lock = threading.Lock()
    queue = list(deliveries)

    def worker():
        conn = benchlib.KeepAlive(stack.ports['gateway'], timeout=40)
        while True:
            with lock:
                if not queue:
                    break
                event = queue.pop()
            r = deliver_stripe(stack, None, payloads[event[0]], conn)
            with lock:
                answers.append((event[0], r))
        conn.close()

    start = time.time()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.time() - start
    applied = sum(1 for _, r in answers if r.status == 200 and (r.json() or {}).get('received') is True
                  and not (r.json() or {}).get('duplicate'))
    dup = sum(1 for _, r in answers if r.status == 200 and (r.json() or {}).get('duplicate') is True)
    other = [r for _, r in answers if r.status != 200]
    rows = stack.scalar("SELECT count(*) FROM webhook_events WHERE provider = 'stripe' AND event_id LIKE "
                        "'evt_s4_%s_%%' AND processed_at IS NOT NULL" % run_id)
    mapped = stack.scalar("SELECT count(*) FROM stripe_customer_mapping WHERE clerk_user_id LIKE 'user_s4_%s_%%'"
                          % run_id)
    if applied != unique or dup != duplicates or other:
        problems.append('answers: %d applied, %d duplicate, %d other (%s)' % (
            applied, dup, len(other), ', '.join(r.brief(60) for r in other[:5])))
    if rows != unique or mapped != unique:
        problems.append('database: %d processed events, %d mappings; expected %d' % (rows, mapped, unique))
    lat = sorted(r.elapsed for _, r in answers)
    figures = ('%d deliveries (%d unique + %d duplicates) over %d connections in %.1f s (%.0f/s, p50 %.0f ms, '
               'p99 %.0f ms): %d applied, %d duplicate, %d other; DB: %d processed events, %d mappings'
               % (len(deliveries), unique, duplicates, connections, took, len(deliveries) / took,
                  lat[len(lat) // 2] * 1000, lat[int(len(lat) * 0.99)] * 1000, applied, dup, len(other), rows,
                  mapped))
    return not problems, figures, problems


# --- 5. Fuzz every public route through the gateway -------------------------------------------------------------

COUNTED = {'contacts': 'SELECT count(*) FROM contacts',
           'payments': 'SELECT count(*) FROM payments',
           'webhook_events': 'SELECT count(*) FROM webhook_events',
           'stripe_customer_mapping': 'SELECT count(*) FROM stripe_customer_mapping',
           'email_outbox': 'SELECT count(*) FROM email_outbox'}


def scenario_fuzz(stack, run_id):
    problems = []
    # The fuzz user already has its Stripe customer, so a body the service wrongly accepts cannot hide behind a
    # legitimate first creation; such answers still fail (2xx is not 4xx).
    user = 'user_fuzz_%s' % run_id
    first = benchlib.request(stack.ports['gateway'], 'POST', '/stripe/customer',
                             CT_JSON + [('Authorization', 'Bearer ' + stack.token(user))], b'{}')
    if first.status != 201:
        problems.append('could not create the fuzz user\'s customer: %s' % first.brief())
    before = {k: stack.scalar(q) for k, q in COUNTED.items()}
    stripe_before = stack.stripe('/__stats')
    cases = fuzz_cases(stack, user)
    failing = []
    statuses = {}
    start = time.time()
    for label, raw in cases:
        r = benchlib.send_raw(stack.ports['gateway'], raw, timeout=20)
        statuses[r.status or 'none'] = statuses.get(r.status or 'none', 0) + 1
        if r.status is None or not (400 <= r.status < 500) or r.envelope_code() is None:
            failing.append((label, r))
    time.sleep(2)
    after = {k: stack.scalar(q) for k, q in COUNTED.items()}
    stripe_after = stack.stripe('/__stats')
    changed = {k: after[k] - before[k] for k in COUNTED if after[k] != before[k]}
    created = stripe_after['customers_created'] - stripe_before['customers_created']
    sessions = stripe_after['sessions_created'] - stripe_before['sessions_created']
    for label, r in failing:
        problems.append('%s -> %s' % (label, r.brief(140)))
    if changed:
        problems.append('rows changed by the fuzz run: %s' % json.dumps(changed))
    if created or sessions:
        problems.append('Stripe stand-in saw %d customers and %d checkout sessions created' % (created, sessions))
    five = sum(n for s, n in statuses.items() if isinstance(s, int) and s >= 500)
    figures = ('%d inputs on 9 routes in %.0f s; answers by status %s; %d failing (%d 5xx, %d without the envelope '
               'or not 4xx); rows changed: %s' % (len(cases), time.time() - start,
                                                   json.dumps({str(k): v for k, v in sorted(statuses.items(),
                                                                                           key=str)}),
                                                   len(failing), five, len(failing) - five,
                                                   json.dumps(changed) if changed else 'none'))
    return not problems, figures, problems
