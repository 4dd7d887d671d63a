"""Runs the resilience scenarios against a fresh set on its own ports and prints one PASS/FAIL table.

Environment: RES_WORK (folder for the database, logs and mail; required), RES_PORT_BASE (first of 14 ports: 8 for the stack, then the management ports at +10 to +13; default
18180), RES_SCENARIOS (e.g. "1,4,5"; default all), RES_RESULTS (a Markdown file to write the table into).
"""
import os
import platform
import secrets
import subprocess
import sys
import time
import traceback

import scenarios
from stack import ROOT, Stack

SCENARIOS = [
    ('1', 'PostgreSQL killed under contact load', scenarios.scenario_postgres),
    ('2', 'SMTP down under contact load', scenarios.scenario_smtp),
    ('3', 'Stripe slow or failing', scenarios.scenario_stripe),
    ('4', '1,000 Stripe webhooks, 30% duplicates', scenarios.scenario_webhooks),
    ('5', 'Fuzz of every public route', scenarios.scenario_fuzz),
]


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open('/proc/cpuinfo') as f:
            cpu = next(line.split(':', 1)[1].strip() for line in f if line.startswith('model name'))
    except (OSError, StopIteration):
        pass
    java = subprocess.run(['java', '-version'], stderr=subprocess.PIPE, text=True).stderr.splitlines()[0]
    return '%s, %d CPUs, %s; %s; Python %s' % (platform.system() + ' ' + platform.release(), os.cpu_count(), cpu,
                                               java, platform.python_version())


def main():
    work = os.environ['RES_WORK']
    wanted = os.environ.get('RES_SCENARIOS', '1,2,3,4,5').split(',')
    run_id = secrets.token_hex(3)
    stack = Stack(work, int(os.environ.get('RES_PORT_BASE', '18180')))
    results = []
    started = time.time()
    try:
        print('[resilience] ports %s, data in %s' % (stack.ports, work), flush=True)
        stack.init_db()
        stack.start_sink()
        stack.start_providers()
        stack.start_services()
        print('[resilience] set ready in %.0f s' % (time.time() - started), flush=True)
        for number, name, run in SCENARIOS:
            if number not in wanted:
                continue
            print('[resilience] scenario %s: %s' % (number, name), flush=True)
            t = time.time()
            try:
                passed, figures, problems = run(stack, run_id)
            except Exception as e:  # noqa: BLE001 - a crash of the harness is a FAIL with its reason
                passed, figures, problems = False, 'harness error', [traceback.format_exc(limit=3), repr(e)]
            results.append((number, name, passed, figures, problems, time.time() - t))
            print('[resilience]   %s in %.0f s' % ('PASS' if passed else 'FAIL', time.time() - t), flush=True)
    finally:
        stack.stop_all()
    report = render(results, time.time() - started)
    print(report)
    if os.environ.get('RES_RESULTS'):
        write_results(os.environ['RES_RESULTS'], report)
    return 0 if results and all(r[2] for r in results) else 1


def render(results, took):
    lines = ['| # | scenario | result | figures |', '| --- | --- | --- | --- |']
    for number, name, passed, figures, _, secs in results:
        lines.append('| %s | %s | **%s** | %s (%.0f s) |' % (number, name, 'PASS' if passed else 'FAIL',
                                                             figures.replace('|', '/'), secs))
    lines.append('')
    for number, name, passed, _, problems, _ in results:
        if problems:
            lines.append('Scenario %s (%s), %d problem%s:' % (number, name, len(problems),
                                                              '' if len(problems) == 1 else 's'))
            lines += ['* `%s`' % p.replace('`', "'").replace('\n', ' ') for p in problems]
            lines.append('')
    lines.append('Whole run: %.0f s.' % took)
    return '\n'.join(lines)


def write_results(path, report):
    commit = subprocess.run(['git', '-C', ROOT, 'rev-parse', '--short', 'HEAD'], stdout=subprocess.PIPE,
                            text=True).stdout.strip()
    with open(path, 'w') as f:
        f.write('# Resilience results\n\n')
        f.write('Written by `bench/resilience/run.sh`; README.md in this folder says what each scenario proves.\n\n')
        f.write('* Date: %s\n' % time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()))
        f.write('* Machine: %s\n' % machine())
        f.write('* Code: commit %s (branch %s)\n\n' % (commit, subprocess.run(
            ['git', '-C', ROOT, 'rev-parse', '--abbrev-ref', 'HEAD'], stdout=subprocess.PIPE, text=True).stdout.strip()))
        f.write(report + '\n')


if __name__ == '__main__':
    sys.exit(main())
