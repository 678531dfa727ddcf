"""What a compiled kernel would save on the character n-grams (prints figures; not a test).

    pip install numba && python benchmarks/bench_char_kernel.py

The project does not depend on numba; this script measures the lever. It scores the
character block of the clickbait and loaded heads on 2,000-headline chunks of real
headlines (as `framing score` does) two ways and prints CPU per row of each:

* numpy, the shipped path: :meth:`framing.core.shared.SharedPass.char_tokens` on a fresh
  pass (the repeated (text, n-gram) pairs found once for both heads, then each head's
  per-word sums and corrections);
* a numba kernel written for this comparison: per text, count each feature's occurrences in
  a scratch array, sum the squared TF-IDF values for the norm, then give each occurrence its
  share (the same rule, one loop over the occurrences per head).

Both give the same per-token contributions (the largest difference is printed).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_cli import load_headlines  # noqa: E402

from framing.core.model import load_model  # noqa: E402
from framing.core.shared import SharedPass, shared_pass  # noqa: E402
from framing.core.tokens import tokenize_batch  # noqa: E402


def compile_kernel():
    import numba

    @numba.njit(cache=False, nogil=True)
    def char_block(doc_ptr, tok, cptr, grams, gfeat, idf, coefs, weight, sublinear, out, count):
        n_labels = coefs.shape[0]
        for d in range(len(doc_ptr) - 1):
            a, b = doc_ptr[d], doc_ptr[d + 1]
            for t in range(a, b):  # occurrences of each feature in the text
                f = tok[t]
                for q in range(cptr[f], cptr[f + 1]):
                    j = gfeat[grams[q]]
                    if j >= 0:
                        count[j] += 1
            sq = 0.0
            for t in range(a, b):  # the norm: each distinct feature once (count set < 0)
                f = tok[t]
                for q in range(cptr[f], cptr[f + 1]):
                    j = gfeat[grams[q]]
                    if j >= 0 and count[j] > 0:
                        c = count[j]
                        tf = np.log(c) + 1.0 if sublinear else float(c)
                        sq += (tf * idf[j]) ** 2
                        count[j] = -c
            norm = np.sqrt(sq)
            for t in range(a, b):  # each occurrence's share; counts reset
                f = tok[t]
                for q in range(cptr[f], cptr[f + 1]):
                    j = gfeat[grams[q]]
                    if j < 0:
                        continue
                    c = -count[j] if count[j] < 0 else count[j]
                    if norm > 0:
                        tf = np.log(c) + 1.0 if sublinear else float(c)
                        share = weight * idf[j] * tf / c / norm
                        for k in range(n_labels):
                            out[t, k] += coefs[k, j] * share
            for t in range(a, b):
                f = tok[t]
                for q in range(cptr[f], cptr[f + 1]):
                    j = gfeat[grams[q]]
                    if j >= 0:
                        count[j] = 0
        return out

    return char_block


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--rows", type=int, default=20_000)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--model", help="model folder (default: the shipped model)")
    p.add_argument("--data-dir", default=os.environ.get("FRAMING_DATA_DIR", "../shared/data"))
    args = p.parse_args()
    try:
        kernel = compile_kernel()
    except ImportError:
        raise SystemExit(
            "numba is not installed (pip install numba); the project does not need it"
        ) from None
    model = load_model(args.model)
    heads = [model["clickbait"], model["loaded"]]
    spaces = [h.space for h in heads]
    pool = load_headlines(Path(args.data_dir))
    rng = np.random.default_rng(0)
    texts = [pool[i] for i in rng.integers(0, len(pool), args.rows)]
    batches = [tokenize_batch(texts[i : i + 2000]) for i in range(0, len(texts), 2000)]
    passes = [shared_pass(spaces, tb) for tb in batches]  # form ids found (warm tables)

    def numpy_path():
        for tb, sp in zip(batches, passes, strict=True):
            fresh = SharedPass(sp.joined, tb)
            for h in heads:
                fresh.char_tokens(h.space, h.coef)

    def kernel_args(sp, h):
        table = sp.table
        s = sp.joined.index(h.space)
        off, nf = h.space.offsets["char"], len(h.space.char_idf)
        coefs = np.ascontiguousarray(h.coef[:, off : off + nf])
        return (
            table.chars.ptr.view,
            table.chars.fields[0].view,
            table.gram_feature[s],
            h.space.char_idf,
            coefs,
            h.space.char_weight,
            h.space.sublinear_tf,
        ), nf

    prepared = [[kernel_args(sp, h) for h in heads] for sp in passes]

    def numba_path():
        out = []
        for tb, sp, per_head in zip(batches, passes, prepared, strict=True):
            for (cptr, grams, gfeat, idf, coefs, w, sub), nf in per_head:
                res = np.zeros((len(tb.form_id), 1))
                count = np.zeros(nf, np.int64)
                kernel(tb.ptr, sp.tok, cptr, grams, gfeat, idf, coefs, w, sub, res, count)
                out.append(res)
        return out

    got = numba_path()  # compiles
    ref = [
        SharedPass(sp.joined, tb).char_tokens(h.space, h.coef)
        for tb, sp in zip(batches, passes, strict=True)
        for h in heads
    ]
    diff = max(float(np.abs(a - b).max()) for a, b in zip(got, ref, strict=True))

    def cpu(fn):
        times = []
        for _ in range(args.repeat):
            t = time.process_time()
            fn()
            times.append(time.process_time() - t)
        return statistics.median(times) / args.rows * 1e6

    t_numpy, t_numba = cpu(numpy_path), cpu(numba_path)
    print(
        f"{args.rows:,} headlines, character block of clickbait + loaded, CPU per row (median "
        f"of {args.repeat}; load average {os.getloadavg()[0]:.1f}):"
    )
    print(
        f"  numpy (shipped): {t_numpy:.1f} µs; numba kernel: {t_numba:.1f} µs; "
        f"saving {t_numpy - t_numba:.1f} µs per row; largest difference {diff:.1e}"
    )


if __name__ == "__main__":
    main()
