"""Validation speed: `csrpractice validate` on 1,000 scenario files, calibration examples included.

This is `csrpractice validate` as the command runs it (on every core). The files are the built-in library's scenarios copied with new ids, titles and persona names (so nothing
is cached by text). Prints the total time against the 3 s target and, measured in the same run as a
baseline, the time PyYAML's C loader needs just to parse the same files.

    python benchmarks/validate_speed.py [--files N]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from csrpractice.scenario.library import builtin_dir, validate_paths  # noqa: E402
from scoring import default_library  # noqa: E402

TARGET_S = 3.0


def trim(data: dict, per_turn: int) -> None:
    """Keep at most `per_turn` calibration replies and item examples per turn."""
    for turn in data["turns"].values():
        cal = turn.get("calibration") or {}
        if "replies" in cal:
            cal["replies"] = cal["replies"][:per_turn]
        items = cal.get("items") or {}
        for name in list(items)[per_turn:]:
            del items[name]


def make_files(folder: Path, n: int, per_turn: int | None = None) -> int:
    sources = sorted(p for p in builtin_dir().glob("*.yaml"))
    (folder / "banks").mkdir()
    for bank in (builtin_dir() / "banks").glob("*.yaml"):
        (folder / "banks" / bank.name).write_text(bank.read_text(encoding="utf-8"), encoding="utf-8")
    examples = 0
    for i in range(n):
        src = sources[i % len(sources)]
        data = yaml.safe_load(src.read_text(encoding="utf-8"))
        data["id"] = f"{data['id']}-{i}"
        data["title"] = f"{data['title']} #{i}"
        data["persona"]["name"] = f"{data['persona']['name']} {i}"
        if per_turn is not None:
            trim(data, per_turn)
        (folder / f"{data['id']}.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return examples


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--per-turn", type=int, help="keep at most this many calibration replies and items per turn")
    args = ap.parse_args()
    default_library()  # the marker library loads once per process, as in the CLI
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_files(folder, args.files, args.per_turn)
        files = sorted(folder.glob("*.yaml"))

        t0 = time.perf_counter()
        for f in files:
            yaml.load(f.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        parse_s = time.perf_counter() - t0

        t0 = time.perf_counter()
        lib = validate_paths([folder])
        total = time.perf_counter() - t0
        size = sum(f.stat().st_size for f in files) / len(files) / 1024
    ok = total < TARGET_S
    print(f"copies of the shipped scenarios (average {size:.0f} KB, "
          f"{lib.calibration_examples / max(1, lib.files):.0f} calibration examples each):")
    print(f"  validated {lib.files:,} files ({lib.scenarios:,} valid, {len(lib.errors)} errors), "
          f"{lib.calibration_examples:,} calibration examples, in {total:.2f} s "
          f"(target < {TARGET_S:g} s) {'OK' if ok else 'MISSED'}")
    print(f"  baseline: yaml.CSafeLoader parse of the same files, one core: {parse_s:.2f} s; "
          f"ratio validate / parse = {total / parse_s:.1f}x")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        from importlib import resources

        template = resources.files("csrpractice.scenario").joinpath("template.yaml").read_text(encoding="utf-8")
        for i in range(args.files):
            (folder / f"s{i}.yaml").write_text(template.replace("{id}", f"scenario-{i}"), encoding="utf-8")
        t0 = time.perf_counter()
        small = validate_paths([folder])
        small_s = time.perf_counter() - t0
    print(f"files of the size `csrpractice new` writes (1 turn, 2 calibration examples): {small.files:,} files, "
          f"{len(small.errors)} errors, in {small_s:.2f} s (target < {TARGET_S:g} s) "
          f"{'OK' if small_s < TARGET_S else 'MISSED'}")


if __name__ == "__main__":
    main()
