from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safetrail.importers.base import ImportFormatError, Limits
from safetrail.importers.jsonsafe import json_depth, load_json_bytes, load_json_file
from safetrail.models.jsonvalue import JsonValue

LIMITS = Limits()

json_values: st.SearchStrategy[JsonValue] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet=st.characters(codec="utf-8")),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=30,
)


def depth_of(value: JsonValue) -> int:
    if isinstance(value, list):
        return 1 + max((depth_of(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((depth_of(v) for v in value.values()), default=0)
    return 0


def error_for(data: bytes, limits: Limits = LIMITS) -> ImportFormatError:
    with pytest.raises(ImportFormatError) as caught:
        load_json_bytes(data, limits)
    return caught.value


@given(st.binary(max_size=300))
def test_arbitrary_bytes_give_a_value_or_an_import_format_error(data: bytes) -> None:
    with contextlib.suppress(ImportFormatError):
        load_json_bytes(data, Limits(max_json_depth=8))


@given(st.text(alphabet='[]{}"\\:,0 aéx\n', max_size=200))
def test_json_like_noise_gives_a_value_or_an_import_format_error(text: str) -> None:
    with contextlib.suppress(ImportFormatError):
        load_json_bytes(text.encode(), Limits(max_json_depth=3))


@settings(max_examples=200)
@given(json_values, st.booleans())
def test_depth_scan_agrees_with_the_decoded_value(value: JsonValue, indent: bool) -> None:
    data = json.dumps(value, indent=1 if indent else None, ensure_ascii=False).encode()
    assert json_depth(data) == depth_of(value)
    assert load_json_bytes(data, LIMITS).value == value


def test_depth_limit_is_inclusive_and_names_the_offset() -> None:
    assert load_json_bytes(b"[" * 200 + b"]" * 200, LIMITS).value is not None
    error = error_for(b" [" + b"[" * 100_000 + b"]" * 100_001)
    assert "nested too deeply" in error.message
    assert error.locator.byte_start == 201 and error.locator.line_start == 1


def test_brackets_and_escapes_inside_strings_do_not_count() -> None:
    assert json_depth(b'["[[[[", "\\"[[[", "\\\\", {"k]": "}}}"}]') == 2
    assert json_depth(b'"\\\\\\"[[["') == 0


def test_bom_is_accepted_and_offsets_count_it() -> None:
    assert load_json_bytes(b'\xef\xbb\xbf{"a": 1}', LIMITS).value == {"a": 1}
    error = error_for(b'\xef\xbb\xbf{"a": "\xe9"}')
    assert error.locator.byte_start == 10
    assert "UTF-8" in error.message


def test_invalid_utf8_reports_line_and_byte() -> None:
    error = error_for(b'{\n"a": "ok",\n"b": "\xc3\x28"\n}')
    assert (error.locator.line_start, error.locator.byte_start) == (3, 19)


def test_syntax_error_reports_line_and_byte_in_utf8() -> None:
    error = error_for('{"é": 1,\n "b" 2}'.encode())
    assert (error.locator.line_start, error.locator.byte_start) == (2, 15)
    assert "not valid JSON" in error.message


def test_truncated_and_empty() -> None:
    assert "truncated" in error_for(b'{"a": [1, 2').message
    assert "truncated" in error_for(b'{"a": "unfinished').message
    assert "empty" in error_for(b"").message
    assert "empty" in error_for(b"\xef\xbb\xbf  \n").message


def test_nul_bytes_are_refused_with_their_offset() -> None:
    error = error_for(b'{"a": "b\x00"}')
    assert "NUL" in error.message and error.locator.byte_start == 8


def test_huge_numbers_are_an_import_format_error() -> None:
    assert "could not be read" in error_for(b"1" * 5000).message


def test_size_limit_is_checked_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b'{"a": "' + b"x" * 100 + b'"}')
    with pytest.raises(ImportFormatError) as caught:
        load_json_file(path, Limits(max_json_bytes=50))
    error = caught.value
    assert "too large" in error.message
    assert load_json_file(path, LIMITS).value == {"a": "x" * 100}
    assert "too large" in error_for(b"[1]", Limits(max_json_bytes=2)).message


def test_missing_file_is_an_import_format_error(tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError):
        load_json_file(tmp_path / "absent.json", LIMITS)


def test_a_50_mb_string_loads_within_limits() -> None:
    data = b'{"a": "' + b"y" * (50 << 20) + b'"}'
    loaded = load_json_bytes(data, LIMITS)
    assert isinstance(loaded.value, dict) and len(str(loaded.value["a"])) == 50 << 20


def test_telegram_x_escapes_are_read_and_noted() -> None:
    loaded = load_json_bytes(b'{"a": "x\\x07y\\x1Fz", "b": "\\\\x41"}', LIMITS)
    assert loaded.value == {"a": "x\x07y\x1fz", "b": "\\x41"}
    assert len(loaded.notes) == 1 and "2 control character" in loaded.notes[0]


def test_other_errors_after_x_escapes_report_their_line() -> None:
    error = error_for(b'{"a": "\\x07",\n "b": "\\q"}')
    assert "Invalid \\escape" in error.message
    assert error.locator.line_start == 2 and error.locator.byte_start is None
