#!/usr/bin/env python3
# Runs a validator and fails if it fails or prints anything at all: desktop-file-validate, for
# one, exits 0 on warnings (deprecated keys, unknown categories) and only prints them.
import subprocess
import sys

proc = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
sys.stdout.write(proc.stdout)
if proc.returncode != 0:
    print(f'{sys.argv[1]} exited with status {proc.returncode}')
    sys.exit(1)
if proc.stdout.strip():
    print(f'{sys.argv[1]} printed diagnostics: treat them as failures')
    sys.exit(1)
