"""Write a ``text,label`` CSV of GVFC headline frames, to train a ``gvfc`` head on.

    python training/prepare_gvfc.py > gvfc_frames.csv
    python training/train.py --user-data gvfc_frames.csv --head gvfc \
        --label-type multiclass --out gvfc_model/

Reads ``gvfc/GVFC_headlines_and_annotations.csv`` from the data folder (--data-dir, else
$FRAMING_DATA_DIR, else ../shared/data). Keeps the headlines annotated as relevant to gun
violence (Q1 = 1) that have a main frame (Q3 Theme1 not 99), and writes the main frame's
name as the label. ``--multilabel`` writes Theme1 and Theme2 joined by "," instead. The
output is derived data: keep it out of the repository.
"""

from __future__ import annotations

import argparse
import csv
import sys

from framing.errors import FramingError
from framing.training.binary import datasets

GVFC_FRAMES = {
    "1": "Gun_2nd_Amendment_rights",
    "2": "Gun_control_regulation",
    "3": "Politics",
    "4": "Mental_health",
    "5": "School_or_public_space_safety",
    "6": "Race_ethnicity",
    "7": "Public_opinion",
    "8": "Society_culture",
    "9": "Economic_consequences",
}


def gvfc_rows(reader, multilabel: bool = False) -> list[tuple[str, str]]:
    """(headline, label) pairs from the rows of the GVFC headline CSV."""
    out = []
    for row in reader:
        if row["Q1 Relevant"].strip() != "1":
            continue
        main = GVFC_FRAMES.get(row["Q3 Theme1"].strip())
        if main is None:
            continue
        labels = [main]
        second = GVFC_FRAMES.get(row["Q3 Theme2"].strip())
        if multilabel and second and second != main:
            labels.append(second)
        out.append((row["news_title"].strip(), ",".join(labels)))
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument(
        "--data-dir", help=f"data folder (default ${datasets.DATA_ENV} or ../shared/data)"
    )
    p.add_argument("--multilabel", action="store_true", help="Theme1 and Theme2 as labels")
    args = p.parse_args(argv)
    try:
        path = (
            datasets.resolve_data_dir(args.data_dir) / "gvfc" / "GVFC_headlines_and_annotations.csv"
        )
        with open(path, encoding="utf-8", newline="") as fh:
            rows = gvfc_rows(csv.DictReader(fh), args.multilabel)
    except (FramingError, OSError, KeyError) as exc:
        print(f"prepare_gvfc: error: {exc}", file=sys.stderr)
        return 2
    writer = csv.writer(sys.stdout)
    writer.writerow(["text", "label"])
    writer.writerows(rows)
    print(f"prepare_gvfc: wrote {len(rows)} headlines", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
