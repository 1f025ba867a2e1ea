"""`hotelattrition settle` through the installed console script, as a user runs it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hotelattrition.domain import parse_document, settle, settlement_to_json

EXAMPLES = Path(__file__).parent / "domain" / "examples"
Run = Callable[..., subprocess.CompletedProcess[str]]
INVALID = {
    "currency": "EURO",
    "arrival": "2027-03-10",
    "departure": "2027-03-11",
    "block": [{"night": "2027-03-10", "room_type": "DBL", "rooms": 4, "rate": "-1"}],
    "room_attrition": {"alowance_pct": "20"},
}
INVALID_LINES = [
    "/currency: unknown currency",
    "/block/0/rate: must be >= 0",
    "/room_attrition/alowance_pct: unknown key",
]


def _executable() -> str:
    beside = Path(sys.executable).parent / "hotelattrition"
    found = str(beside) if beside.exists() else shutil.which("hotelattrition")
    assert found, "the hotelattrition console script is not installed"
    return found


@pytest.fixture(scope="module")
def cli() -> Run:
    executable = _executable()

    def run(*args: str, stdin: str | bytes | None = None) -> subprocess.CompletedProcess[str]:
        data = stdin.encode() if isinstance(stdin, str) else stdin
        done = subprocess.run(
            [executable, "settle", *args], input=data, capture_output=True, timeout=60
        )
        return subprocess.CompletedProcess(
            done.args, done.returncode, done.stdout.decode(), done.stderr.decode()
        )

    return run


def example(name: str) -> dict[str, Any]:
    return json.loads((EXAMPLES / f"{name}.json").read_text())


def expected_output(document: dict[str, Any], language: str = "en") -> dict[str, Any]:
    return settlement_to_json(settle(parse_document(document)), language)


@pytest.fixture()
def document_file(tmp_path: Path) -> Path:
    path = tmp_path / "settlement.json"
    path.write_text(json.dumps(example("04-fnb-service-charge-and-tax")["input"]))
    return path


def test_settles_a_file(cli: Run, document_file: Path) -> None:
    done = cli(str(document_file))
    assert (done.returncode, done.stderr) == (0, "")
    got = json.loads(done.stdout)
    wanted = example("04-fnb-service-charge-and-tax")
    assert got == expected_output(wanted["input"])
    assert (got["status"], got["total"]) == (
        wanted["expected"]["status"],
        wanted["expected"]["total"],
    )


@pytest.mark.parametrize(
    "name",
    ["01-cumulative-average-rate", "06-cancellation-tiers-resale-credit", "08-yen-per-night"],
)
def test_settles_standard_input(cli: Run, name: str) -> None:
    wanted = example(name)
    done = cli("-", stdin=json.dumps(wanted["input"]))
    assert (done.returncode, done.stderr) == (0, "")
    got = json.loads(done.stdout)
    assert got == expected_output(wanted["input"])
    assert [ln["amount"] for ln in got["lines"]] == [
        ln["amount"] for ln in wanted["expected"]["lines"]
    ]


def test_invalid_document_exits_2_naming_each_problem(cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(INVALID))
    for done in (cli(str(path)), cli("-", stdin=json.dumps(INVALID))):
        assert done.returncode == 2
        assert done.stdout == ""
        assert done.stderr.splitlines() == INVALID_LINES


@pytest.mark.parametrize("text", ["", "{", "not json", "[1, 2", '{"currency": EUR}'])
def test_not_json_at_all(cli: Run, text: str) -> None:
    done = cli("-", stdin=text)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", "/: not valid JSON\n")


def test_top_level_not_an_object(cli: Run) -> None:
    done = cli("-", stdin="[]")
    assert (done.returncode, done.stdout, done.stderr) == (2, "", "/: must be an object\n")


def test_lines_answers_each_line(cli: Run, tmp_path: Path) -> None:
    first, second = example("01-cumulative-average-rate"), example("09-other-services")
    text = "\n".join(
        [json.dumps(first["input"]), json.dumps(INVALID), "{oops", json.dumps(second["input"])]
    )
    path = tmp_path / "batch.jsonl"
    path.write_text(text + "\n")
    for done in (cli("--lines", "-", stdin=text + "\n"), cli("--lines", str(path))):
        assert (done.returncode, done.stderr) == (0, "")
        answers = [json.loads(line) for line in done.stdout.splitlines()]
        assert len(answers) == 4
        assert answers[0] == expected_output(first["input"])
        assert answers[1] == {
            "errors": [
                {"pointer": p, "message": m} for p, m in (ln.split(": ", 1) for ln in INVALID_LINES)
            ]
        }
        assert answers[2] == {"errors": [{"pointer": "/", "message": "not valid JSON"}]}
        assert answers[3]["total"] == second["expected"]["total"]


def test_lines_with_only_errors_still_exits_0(cli: Run) -> None:
    done = cli("--lines", "-", stdin="[]\n{\n")
    assert (done.returncode, done.stderr) == (0, "")
    assert [json.loads(line) for line in done.stdout.splitlines()] == [
        {"errors": [{"pointer": "/", "message": "must be an object"}]},
        {"errors": [{"pointer": "/", "message": "not valid JSON"}]},
    ]


def test_language_es(cli: Run, document_file: Path) -> None:
    document = example("04-fnb-service-charge-and-tax")["input"]
    done = cli(str(document_file), "--language", "es")
    assert (done.returncode, done.stderr) == (0, "")
    got = json.loads(done.stdout)
    assert got == expected_output(document, "es")
    english = expected_output(document)
    assert [ln["amount"] for ln in got["lines"]] == [ln["amount"] for ln in english["lines"]]
    assert got["lines"][0]["description"] != english["lines"][0]["description"]
    for line in got["lines"]:  # "= 2.300,00 USD": comma decimals, the code after the figure
        whole, cents = line["amount"].split(".")
        assert line["description"].endswith(f",{cents} {got['currency']}")
        assert f"{whole[-3:]},{cents}" in line["description"]


def test_missing_file(cli: Run, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.json"
    done = cli(str(missing))
    assert done.returncode == 1
    assert done.stdout == ""
    assert "cannot read" in done.stderr and str(missing) in done.stderr
    assert "Traceback" not in done.stderr


def test_file_that_is_not_utf8_is_not_valid_json(cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"currency": "\xe9"}')
    done = cli(str(path))
    assert (done.returncode, done.stdout, done.stderr) == (2, "", "/: not valid JSON\n")


def first_example() -> dict[str, Any]:
    return json.loads(sorted(EXAMPLES.glob("*.json"))[0].read_text())["input"]


def test_lines_answers_a_blank_line_so_answers_line_up(cli: Run, tmp_path: Path) -> None:
    doc = json.dumps(first_example())
    path = tmp_path / "batch.jsonl"
    path.write_text(doc + "\n\n" + doc + "\n")
    done = cli("--lines", str(path))
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert done.returncode == 0
    assert [("errors" in a) for a in answers] == [False, True, False]
    assert answers[1] == {"errors": [{"pointer": "/", "message": "not valid JSON"}]}


def test_a_line_break_in_a_key_stays_on_one_stderr_line(cli: Run, tmp_path: Path) -> None:
    doc = first_example()
    doc["room_attrition"]["bad\nkey"] = "1"
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(doc))
    done = cli(str(path))
    assert done.returncode == 2
    assert done.stderr == "/room_attrition/bad\\nkey: unknown key\n"


def test_lines_over_several_processes_keep_the_input_order() -> None:
    import io

    from hotelattrition.settle_command import answer_lines

    good = json.dumps(first_example()).encode()
    lines = [good, b"{oops", good, b"\n"] * 5
    source = b"".join(line.rstrip(b"\n") + b"\n" for line in lines)

    one, many = io.StringIO(), io.StringIO()
    answer_lines(io.BytesIO(source), one, workers=1)
    answer_lines(io.BytesIO(source), many, workers=2, chunk=3)  # 7 chunks over 2 processes

    answers = many.getvalue().splitlines()
    assert many.getvalue() == one.getvalue()
    assert len(answers) == 20
    assert ["errors" in json.loads(a) for a in answers[:4]] == [False, True, False, True]


CENTURIES = {
    "currency": "EUR",
    "arrival": "0001-01-01",
    "departure": "9999-12-31",
    "block": [{"night": "2027-01-01", "room_type": "DBL", "rooms": 1, "rate": "1"}],
    "room_attrition": {"basis": "per_night"},
}


def test_a_stay_of_centuries_exits_2_naming_departure(cli: Run) -> None:
    done = cli("-", stdin=json.dumps(CENTURIES))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines() == [
        "/arrival: must be from 2000-01-01 to 2100-12-31",
        "/departure: must be from 2000-01-01 to 2100-12-31",
        "/departure: the stay may be at most 366 nights",
    ]


def test_a_stay_of_367_nights_exits_2(cli: Run) -> None:
    doc = CENTURIES | {"arrival": "2027-01-01", "departure": "2028-01-03"}
    done = cli("-", stdin=json.dumps(doc))
    assert (done.returncode, done.stderr) == (2, "/departure: the stay may be at most 366 nights\n")
    assert cli("-", stdin=json.dumps(doc | {"departure": "2028-01-02"})).returncode == 0


def test_a_repeated_key_is_refused_in_a_file_and_in_lines(cli: Run, tmp_path: Path) -> None:
    text = json.dumps(first_example())
    repeated = text.replace('"room_attrition": {', '"room_attrition": {"allowance_pct": "99", ', 1)
    assert repeated != text and '"allowance_pct"' in text.split('"room_attrition"')[1]
    path = tmp_path / "doc.json"
    path.write_text(repeated)
    done = cli(str(path))
    assert (done.returncode, done.stderr) == (2, "/room_attrition/allowance_pct: duplicate key\n")

    lines = tmp_path / "batch.jsonl"
    lines.write_text(text + "\n" + repeated + "\n")
    done = cli("--lines", str(lines))
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert "errors" not in answers[0]
    assert answers[1] == {
        "errors": [{"pointer": "/room_attrition/allowance_pct", "message": "duplicate key"}]
    }


def test_settle_file_alone_is_read_as_the_parser_reads_it() -> None:
    # `settle FILE` skips building the parser (it imports shutil): same arguments, same defaults.
    from hotelattrition.cli.settle import argument_parser, arguments

    for argv in (["doc.json"], ["-"], ["doc.json", "--lines"], ["doc.json", "--language", "es"]):
        assert arguments(argv) == argument_parser().parse_args(argv), argv
