"""``make train``: refit every learned layer from the external development data.

Writes the committed weights (``analysis/measures/*/model.json``) and the measured cue
precisions; deterministic, so retraining on the same data gives the same bytes.
Users never need this: the weights ship with the package.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from threadpoolctl import threadpool_limits

from analysis.validation.validate import MEASURES, external_root


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.validation.train",
                                     description="refit the learned layers from the external development data")
    parser.add_argument("--external", help="folder of the external data (default ../shared/external-gold)")
    parser.add_argument("measures", nargs="*", help="only these measures (default: all)")
    args = parser.parse_args(argv)
    root = external_root(args.external)
    if not root.is_dir():
        print(f"train: no external data at {root}: the committed weights stay as they are", file=sys.stderr)
        return 0
    for name, module, folder in MEASURES:
        if args.measures and name not in args.measures:
            continue
        if not (root / folder).is_dir():
            print(f"train: {root / folder} is absent: {name} weights unchanged", file=sys.stderr)
            continue
        print(f"training {name} from {root / folder} ...", file=sys.stderr, flush=True)
        with threadpool_limits(limits=1, user_api="blas"):  # one summation order: the same bytes every time
            importlib.import_module(module).train(root)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
