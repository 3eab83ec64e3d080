#!/usr/bin/env python3
# Stands in for a validator whose tool is not installed: the test is reported as SKIP (exit 77)
# with the reason, except under CI (the CI variable set), where a missing tool is a failure.
import os
import sys

tool, package = sys.argv[1], sys.argv[2]
print(f'{tool} not found: install the Debian package "{package}" to run this check')
if os.environ.get('CI'):
    print('CI is set: a missing validator is an error here')
    sys.exit(1)
sys.exit(77)
