"""Starts and stops what the resilience run needs: a throwaway PostgreSQL cluster, the SMTP sink, the provider
stand-ins and the four service jars, all on the run's own ports and in its own folder."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import benchlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def pg_bin():
    if os.environ.get('PG_BIN'):
        return os.environ['PG_BIN']
    try:
        return subprocess.check_output(['pg_config', '--bindir'], text=True).strip()
    except (OSError, subprocess.CalledProcessError):
        return '/usr/lib/postgresql/15/bin'


class Stack:
    def __init__(self, work, base_port):
        self.work = work
        self.ports = {name: base_port + i for i, name in enumerate(
            ['gateway', 'contact', 'payment', 'webhook', 'postgres', 'smtp', 'stripe', 'clerk'])}
        # Health and metrics are on each service's management port (the public port answers /q/... with 404).
        self.management_ports = {name: base_port + 10 + i for i, name in enumerate(
            ['gateway', 'contact', 'payment', 'webhook'])}
        self.pg_data = os.path.join(work, 'pg')
        self.mail_file = os.path.join(work, 'mail.jsonl')
        self.logs = os.path.join(work, 'logs')
        os.makedirs(self.logs, exist_ok=True)
        self.services = {}
        self.sink = None
        self.providers = None
        self.issuer = 'http://127.0.0.1:%d' % self.ports['clerk']
        self.stripe_secret = 'whsec_bench_' + os.urandom(8).hex()
        self.paystack_secret = 'sk_test_bench_paystack'
        self.key = benchlib.rsa_key()
        # PostgreSQL refuses to run as root: then the cluster belongs to an unprivileged user.
        self.pg_user = None
        if os.geteuid() == 0:
            self.pg_user = 'postgres' if _user_exists('postgres') else 'nobody'

    # --- PostgreSQL --------------------------------------------------------------------------------------------
    def _pg(self, *args, check=True):
        cmd = [os.path.join(pg_bin(), args[0])] + list(args[1:])
        if self.pg_user:
            cmd = ['runuser', '-u', self.pg_user, '--'] + cmd
        return subprocess.run(cmd, check=check, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def init_db(self):
        os.makedirs(self.pg_data)
        if self.pg_user:
            shutil.chown(self.work, self.pg_user)
            shutil.chown(self.pg_data, self.pg_user)
        self._pg('initdb', '-D', self.pg_data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale')
        self.start_db()
        self.psql('CREATE DATABASE backbone', db='postgres')

    def start_db(self):
        opts = '-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on -c max_connections=200' % (
            self.ports['postgres'], self.pg_data)
        self._pg('pg_ctl', '-D', self.pg_data, '-o', opts, '-l', os.path.join(self.pg_data, 'server.log'),
                 '-w', '-t', '60', 'start')

    def kill_db(self):
        """An immediate stop: every backend is killed at once, as in a crash; the next start runs recovery."""
        self._pg('pg_ctl', '-D', self.pg_data, '-m', 'immediate', '-w', 'stop')

    def stop_db(self):
        self._pg('pg_ctl', '-D', self.pg_data, '-m', 'fast', '-w', 'stop', check=False)

    def psql(self, sql, db='backbone'):
        out = subprocess.run([os.path.join(pg_bin(), 'psql'), '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1',
                              '-h', '127.0.0.1', '-p', str(self.ports['postgres']), '-U', 'postgres', '-d', db,
                              '-c', sql], check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        return out.stdout.strip()

    def scalar(self, sql):
        return int(self.psql(sql) or 0)

    # --- helpers in Python ---------------------------------------------------------------------------------------
    def start_sink(self):
        self.sink = subprocess.Popen([sys.executable, os.path.join(HERE, 'smtp_sink.py'), str(self.ports['smtp']),
                                      self.mail_file], stdout=open(os.path.join(self.logs, 'smtp.log'), 'a'),
                                     stderr=subprocess.STDOUT)
        _await_port(self.ports['smtp'])

    def stop_sink(self):
        if self.sink and self.sink.poll() is None:
            self.sink.send_signal(signal.SIGTERM)
            self.sink.wait(15)
        self.sink = None

    def start_providers(self):
        jwks_file = os.path.join(self.work, 'jwks.json')
        with open(jwks_file, 'w') as f:
            json.dump(benchlib.jwks(self.key), f)
        self.providers = subprocess.Popen([sys.executable, os.path.join(HERE, 'providers.py'),
                                           str(self.ports['stripe']), str(self.ports['clerk']), jwks_file],
                                          stdout=open(os.path.join(self.logs, 'providers.log'), 'a'),
                                          stderr=subprocess.STDOUT)
        _await_port(self.ports['stripe'])
        _await_port(self.ports['clerk'])

    def stripe(self, path):
        r = benchlib.request(self.ports['stripe'], 'POST', path)
        return r.json()

    # --- the services ------------------------------------------------------------------------------------------
    def env(self):
        p = self.ports
        unlimited = '1000000'
        env = dict(os.environ)
        env.update({
            'DATABASE_URL': 'postgresql://postgres@127.0.0.1:%d/backbone' % p['postgres'],
            'SMTP_HOST': '127.0.0.1', 'SMTP_PORT': str(p['smtp']), 'SMTP_FROM': 'Bench Shop <shop@bench.example>',
            'ADMIN_EMAIL': 'owner@bench.example',
            'STRIPE_SECRET_KEY': 'sk_test_bench', 'STRIPE_API_BASE': 'http://127.0.0.1:%d' % p['stripe'],
            'STRIPE_WEBHOOK_SECRET': self.stripe_secret,
            'PAYSTACK_SECRET_KEY': self.paystack_secret, 'PAYSTACK_API_BASE': 'http://127.0.0.1:%d' % p['stripe'],
            'PAYMENT_PROVIDER': 'stripe', 'PAYMENT_CURRENCY': 'USD',
            'PAYMENT_SUCCESS_URL': 'http://127.0.0.1/paid', 'PAYMENT_CANCEL_URL': 'http://127.0.0.1/cancelled',
            'CLERK_ISSUER': self.issuer, 'CLERK_JWKS_URL': self.issuer + '/.well-known/jwks.json',
            'CONTACT_SERVICE_URL': 'http://127.0.0.1:%d' % p['contact'],
            'PAYMENT_SERVICE_URL': 'http://127.0.0.1:%d' % p['payment'],
            'WEBHOOK_SERVICE_URL': 'http://127.0.0.1:%d' % p['webhook'],
            'RATE_LIMIT_CONTACT_PER_MINUTE': unlimited, 'RATE_LIMIT_CONTACT_PER_15_MINUTES': unlimited,
            'RATE_LIMIT_PAYMENT_PER_MINUTE': unlimited, 'RATE_LIMIT_USER_PER_MINUTE': unlimited,
            'RATE_LIMIT_WEBHOOK_PER_MINUTE': unlimited, 'RATE_LIMIT_DEFAULT_PER_MINUTE': unlimited,
            'LOG_JSON': 'false',
            # Shorter than the defaults (10 s doubling, 2 min lease, 20 s read timeout, 2 retries) so the run fits in minutes.
            'OUTBOX_INITIAL_BACKOFF': '2s', 'OUTBOX_MAX_BACKOFF': '10s', 'OUTBOX_CLAIM_LEASE': '30s',
            'PAYMENT_STRIPE_READ_TIMEOUT': '3s', 'PAYMENT_STRIPE_MAX_NETWORK_RETRIES': '1',
        })
        return env

    def start_service(self, module, port_name):
        jar = os.path.join(ROOT, module, 'target', 'quarkus-app', 'quarkus-run.jar')
        env = self.env()
        env['PORT'] = str(self.ports[port_name])
        env['MANAGEMENT_PORT'] = str(self.management_ports[port_name])
        log = open(os.path.join(self.logs, module + '.log'), 'a')
        self.services[module] = subprocess.Popen(
            ['java', '-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-jar', jar],
            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=self.work)

    def await_ready(self, port_name, timeout=120):
        deadline = time.time() + timeout
        while time.time() < deadline:
            r = benchlib.request(self.management_ports[port_name], 'GET', '/q/health/ready', timeout=3)
            if r.status == 200:
                return
            time.sleep(0.3)
        raise RuntimeError('%s not ready after %ds; see %s' % (port_name, timeout, self.logs))

    def start_services(self):
        # contact-service first: its start applies the migrations the others then find in place.
        self.start_service('contact-service', 'contact')
        self.await_ready('contact')
        for module, name in (('payment-service', 'payment'), ('webhook-service', 'webhook'), ('gateway', 'gateway')):
            self.start_service(module, name)
        for name in ('payment', 'webhook', 'gateway'):
            self.await_ready(name)

    def token(self, user, ttl=3600):
        return benchlib.user_token(self.key, self.issuer, user, ttl)

    def mails(self):
        if not os.path.exists(self.mail_file):
            return []
        with open(self.mail_file) as f:
            return [json.loads(line) for line in f if line.strip()]

    def stop_all(self):
        for proc in self.services.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.services.values():
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
        for proc in (self.providers, self.sink):
            if proc and proc.poll() is None:
                proc.kill()
        if os.path.exists(os.path.join(self.pg_data, 'postmaster.pid')):
            self.stop_db()


def _user_exists(name):
    try:
        import pwd
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def _await_port(port, timeout=20):
    import socket
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            socket.create_connection(('127.0.0.1', port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError('nothing listens on %d' % port)
