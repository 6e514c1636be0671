"""
Runs many AWS CLI invocations in one Python process, through the CLI's own entry point
(awscli.clidriver, what the `aws` command runs), so a hundred calls cost one interpreter start.
Each call gets a fresh driver and session (nothing a call sets, such as --no-sign-request, reaches
the next); only botocore's data loader, a cache of the service models read from disk, is shared.
Works with AWS CLI v1 (pip) and v2 (Debian's awscli package) alike.

stdin: a JSON list of argument lists (without the leading `aws`).
stdout: one JSON object {"version": ..., "results": [{"rc", "out", "err"}, ...]}.
"""
import contextlib
import io
import json
import sys

import awscli
from awscli.clidriver import create_clidriver

calls = json.loads(sys.stdin.read())
results = []
real_stdout = sys.stdout
loader = None
for args in calls:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            driver = create_clidriver()
            if loader is None:
                loader = driver.session.get_component("data_loader")
            else:
                driver.session.register_component("data_loader", loader)
            rc = driver.main(args)
        except SystemExit as e:  # argument errors exit
            rc = e.code if isinstance(e.code, int) else 2
        except Exception as e:  # never lose the rest of the batch
            rc = 255
            err.write(f"cli-batch: {type(e).__name__}: {e}\n")
    results.append({"rc": rc, "out": out.getvalue(), "err": err.getvalue()})
real_stdout.write(json.dumps({"version": awscli.__version__, "results": results}))
