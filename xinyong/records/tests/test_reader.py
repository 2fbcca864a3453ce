"""The file layer of imports: what `open_tabular` refuses, and the rows it streams."""

from __future__ import annotations

import csv
import datetime as dt
import random
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from xinyong.records.ingest import reader, xlsx
from xinyong.records.ingest.reader import FileRejected, open_tabular

HEADERS = ["行政相对人名称", "行政相对人类别", "行政处罚决定书文号", "罚款金额（万元）"]
ROWS = [
    ["韶山市清溪镇韶峰食品有限公司", "法人及非法人组织", "韶市监罚〔2026〕12号", "0.5"],
    ["李明", "自然人", "韶公(治)行罚决字〔2026〕31号", ""],
]


@pytest.fixture(autouse=True)
def _restore_csv_limit():
    limit = csv.field_size_limit()
    yield
    csv.field_size_limit(limit)


def _file(tmp_path: Path, data: bytes, name: str = "upload.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    return "\r\n".join(delimiter.join(row) for row in rows) + "\r\n"


def _read(path: Path, name: str | None = None, **limits):
    with open_tabular(path, original_name=name or path.name, **limits) as tabular:
        return tabular, list(tabular.rows)


def _rejected(path: Path, name: str | None = None, **limits) -> FileRejected:
    with pytest.raises(FileRejected) as caught:
        open_tabular(path, original_name=name or path.name, **limits)
    assert caught.value.status == 422 and caught.value.message
    return caught.value


def _xlsx(tmp_path: Path, rows: list[list], name: str = "upload.xlsx", write_only: bool = False) -> Path:
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet("数据") if write_only else workbook.active
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


# --- encodings and delimiters ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("codec", "data_prefix", "reported"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("gbk", b"", "gb18030"),
        ("gb18030", b"", "gb18030"),
    ],
)
def test_encodings_give_identical_headers_and_rows(tmp_path, codec, data_prefix, reported):
    path = _file(tmp_path, data_prefix + _csv_text([HEADERS, *ROWS]).encode(codec))
    tabular, rows = _read(path)
    assert tabular.kind == "csv" and tabular.encoding == reported
    assert tabular.headers == HEADERS
    assert [row.values for row in rows] == ROWS
    assert [row.line for row in rows] == [2, 3]
    assert tabular.newlines == 3  # counted by the encoding check, for the row estimate


def test_field_code_headers_and_other_delimiters(tmp_path):
    for delimiter in (",", ";", "\t"):
        path = _file(tmp_path, _csv_text([["CF_XDR_MC", "CF_WSH"], ["某公司", "韶罚〔2026〕1号"]], delimiter).encode())
        tabular, rows = _read(path)
        assert tabular.headers == ["CF_XDR_MC", "CF_WSH"]
        assert rows[0].values == ["某公司", "韶罚〔2026〕1号"]


def test_semicolons_inside_values_do_not_change_the_delimiter(tmp_path):
    path = _file(tmp_path, "名称,处罚类别\n某公司,警告;罚款\n".encode())
    _, rows = _read(path)
    assert rows[0].values == ["某公司", "警告;罚款"]


def test_utf8_character_cut_at_the_chunk_boundary_is_still_utf8(tmp_path):
    body = "名称\n" + ("中文内容" * 50 + "\n") * 3000  # > 1 MB, three-byte characters across the boundary
    data = body.encode("utf-8")
    assert len(data) > reader.DECODE_CHUNK and data[reader.DECODE_CHUNK] & 0xC0 == 0x80
    tabular, rows = _read(_file(tmp_path, data))
    assert tabular.encoding == "utf-8" and len(rows) == 3000 and rows[-1].values == ["中文内容" * 50]
    assert tabular.newlines == 3001  # across the decoding chunks


def test_unknown_encoding_is_refused(tmp_path):
    error = _rejected(_file(tmp_path, b"name,kind\n\x80\x80\x80,\xff\xff\n"))
    assert error.code == "file_encoding_unknown"


def test_utf8_file_with_a_gbk_row_far_down_is_refused_naming_the_line(tmp_path):
    lines = [_csv_text([HEADERS]).encode()] + [_csv_text([ROWS[0]]).encode()] * 200_000
    lines.append(_csv_text([ROWS[1]]).encode("gbk"))
    error = _rejected(_file(tmp_path, b"".join(lines)))
    assert error.code == "file_encoding_unknown" and "200002" in error.message


def test_utf16_is_refused_with_a_save_as_hint(tmp_path):
    error = _rejected(_file(tmp_path, _csv_text([HEADERS, *ROWS]).encode("utf-16")))
    assert error.code == "file_encoding_unknown" and "UTF-8" in error.message


# --- refused files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \r\n\t\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf \n\n"])
def test_empty_files_are_refused(tmp_path, data):
    assert _rejected(_file(tmp_path, data)).code == "file_empty"


def test_headers_only_gives_no_rows(tmp_path):
    tabular, rows = _read(_file(tmp_path, "名称,文号\n\n".encode()))
    assert tabular.headers == ["名称", "文号"] and rows == []


def test_row_of_empty_cells_is_not_a_header(tmp_path):
    assert _rejected(_file(tmp_path, b",,,\n,,\n")).code == "headers_missing"


def test_file_too_large_is_refused_without_reading_it(tmp_path, monkeypatch):
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: nothing written

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    error = _rejected(path)
    assert error.code == "file_too_large" and "100.0 MB" in error.message


def test_binary_garbage_named_csv_is_not_tabular(tmp_path):
    garbage = random.Random(7).randbytes(8192)
    assert _rejected(_file(tmp_path, garbage)).code == "file_not_tabular"
    control_chars = bytes(random.Random(8).choice(range(1, 9)) for _ in range(4000))
    assert _rejected(_file(tmp_path, b"a,b\n" + control_chars)).code == "file_not_tabular"


def test_nul_byte_beyond_the_sniffed_head_is_refused(tmp_path):
    data = _csv_text([HEADERS] + [ROWS[0]] * 3000).encode() + b"x\x00y,1,2,3\n"
    error = _rejected(_file(tmp_path, data))
    assert error.code == "file_not_tabular" and "3002" in error.message


@pytest.mark.parametrize("name", ["old.xls", "renamed.csv", "book.xlsx"])
def test_old_binary_excel_is_refused_with_a_save_as_message(tmp_path, name):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)
    error = _rejected(_file(tmp_path, ole, name))
    assert error.code == "file_type_unsupported" and ".xlsx" in error.message


def test_other_extensions_are_unsupported(tmp_path):
    for name in ("data.pdf", "data.xls", "noext"):
        assert _rejected(_file(tmp_path, b"a,b\n1,2\n", name)).code == "file_type_unsupported"


def test_xlsx_that_is_not_a_zip_or_not_a_workbook(tmp_path):
    assert _rejected(_file(tmp_path, b"a,b\n1,2\n", "book.xlsx")).code == "file_not_tabular"
    path = tmp_path / "plain.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("data.csv", "a,b\n1,2\n")
    assert _rejected(path, "data.xlsx").code == "file_not_tabular"
    broken = _file(tmp_path, b"PK\x03\x04" + bytes(100), "broken.xlsx")
    assert _rejected(broken).code == "file_not_tabular"


def test_duplicate_headers_are_refused(tmp_path):
    assert _rejected(_file(tmp_path, "名称,文号,名称\n".encode())).code == "headers_duplicate"
    brackets = "罚款金额（万元）,罚款金额(万元)\n"
    assert _rejected(_file(tmp_path, brackets.encode())).code == "headers_duplicate"
    assert _rejected(_file(tmp_path, b"CF_WSH,cf_wsh\n")).code == "headers_duplicate"


def test_too_many_header_columns(tmp_path):
    header = ",".join(f"列{i}" for i in range(201)) + "\n"
    assert _rejected(_file(tmp_path, header.encode())).code == "too_many_columns"
    tabular, _ = _read(_file(tmp_path, header.encode()), max_columns=201)
    assert len(tabular.headers) == 201


# --- rows ------------------------------------------------------------------------------------------


def test_blank_lines_are_skipped_and_keep_line_numbers(tmp_path):
    data = "\n名称,文号\n\na,1\n,\n  ,  \nb,2\n".encode()
    tabular, rows = _read(_file(tmp_path, data))
    assert tabular.headers == ["名称", "文号"]
    assert [(row.line, row.values) for row in rows] == [(4, ["a", "1"]), (7, ["b", "2"])]


def test_quoted_cell_with_line_breaks_is_one_row(tmp_path):
    data = '名称,事实\na,"第一行\n第二行"\nb,x\n'.encode()
    _, rows = _read(_file(tmp_path, data))
    assert [(row.line, row.values[1]) for row in rows] == [(2, "第一行\n第二行"), (3, "x")]


def test_short_rows_are_padded_and_cells_stripped(tmp_path):
    _, rows = _read(_file(tmp_path, "a,b,c\n x ,\u3000y\u3000\n".encode()))
    assert rows[0].values == ["x", "y", ""] and rows[0].extra_cells == 0


def test_row_with_ten_thousand_columns_is_capped(tmp_path):
    wide = ",".join(["v"] * 10_000)
    _, rows = _read(_file(tmp_path, f"a,b,c\n{wide}\nx,y,z,,,\n".encode()))
    assert rows[0].values == ["v", "v", "v", "v"] and rows[0].extra_cells == 9_997
    assert rows[1].values == ["x", "y", "z"] and rows[1].extra_cells == 0  # trailing empty cells are no error


def test_one_megabyte_field_comes_through_truncated(tmp_path):
    big = "x" * (1024 * 1024)
    _, rows = _read(_file(tmp_path, f"名称,事实\na,{big}\nb,c\n".encode()))
    assert len(rows[0].values[1]) == 100_001 and rows[0].error is None
    assert rows[1].values == ["b", "c"]


def test_field_beyond_the_csv_limit_is_a_row_error_and_reading_goes_on(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "CSV_FIELD_LIMIT", 1000)
    data = f"名称,事实\na,{'x' * 5000}\nb,c\n".encode()
    _, rows = _read(_file(tmp_path, data), max_cell_chars=100)
    assert rows[0].line == 2 and "1000" in rows[0].error and rows[0].values == ["", ""]
    assert (rows[1].line, rows[1].values, rows[1].error) == (3, ["b", "c"], None)


def test_close_closes_the_file_and_stops_the_rows(tmp_path):
    tabular = open_tabular(_file(tmp_path, _csv_text([HEADERS, *ROWS]).encode()), original_name="a.csv")
    next(tabular.rows)
    tabular.close()
    assert list(tabular.rows) == [] and tabular._closers == []


# --- XLSX ------------------------------------------------------------------------------------------


def test_xlsx_values_become_text(tmp_path):
    path = _xlsx(
        tmp_path,
        [
            ["日期", "时间", "整数", "整值小数", "小数", "序列号", "布尔", "很小", "文本"],
            [dt.date(2026, 3, 2), dt.datetime(2026, 3, 2, 14, 30), 12, 5.0, 0.5, 46083, True, 0.00001, "  某公司 "],
            [None, None, 0.1 + 0.2, 1e20, -2.5, None, False, None, None],
        ],
    )
    tabular, rows = _read(path)
    assert tabular.kind == "xlsx" and tabular.encoding is None and tabular.expected_rows == 2
    assert rows[0].values == ["2026-03-02", "2026-03-02", "12", "5", "0.5", "46083", "是", "0.00001", "某公司"]
    assert rows[1].values == ["", "", "0.3", "100000000000000000000", "-2.5", "", "否", "", ""]


def test_xlsx_formulas_are_reported_with_their_columns(tmp_path):
    path = _xlsx(tmp_path, [["名称", "金额", "合计"], ["a", 1, "=B2*2"], ["=UPPER(A2)", 2, 4]])
    _, rows = _read(path)
    assert rows[0].formula_columns == (2,) and rows[0].values[2] == "=B2*2"
    assert rows[1].formula_columns == (0,)


def test_xlsx_write_only_rows_with_trailing_empty_cells_are_padded(tmp_path):
    path = _xlsx(tmp_path, [["a", "b", "c", "d"], ["1"], ["2", None, "3"]], write_only=True)
    _, rows = _read(path)
    assert [row.values for row in rows] == [["1", "", "", ""], ["2", "", "3", ""]]


def test_xlsx_blank_rows_keep_sheet_row_numbers_and_extra_cells_count(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet["B3"], sheet["C3"] = "名称", "文号"  # header in row 3, starting at column B
    sheet["B5"], sheet["C5"] = "a", "1"
    sheet["B9"], sheet["E9"], sheet["F9"] = "b", "extra", "more"
    path = tmp_path / "gaps.xlsx"
    workbook.save(path)
    tabular, rows = _read(path)
    assert tabular.headers == ["", "名称", "文号"]
    assert [(row.line, row.values) for row in rows] == [(5, ["", "a", "1"]), (9, ["", "b", "", "extra"])]
    assert rows[1].extra_cells == 2


def test_xlsx_named_csv_is_read_as_xlsx(tmp_path):
    path = _xlsx(tmp_path, [HEADERS, *ROWS], name="actually.csv")
    tabular, rows = _read(path)
    assert tabular.kind == "xlsx" and [row.values for row in rows] == ROWS


def test_xlsx_first_visible_non_empty_sheet_is_read(tmp_path):
    workbook = Workbook()
    workbook.active.title = "空白"
    hidden = workbook.create_sheet("隐藏")
    hidden.append(["不该读取"])
    hidden.sheet_state = "hidden"
    data = workbook.create_sheet("数据")
    data.append(HEADERS)
    data.append(ROWS[0])
    path = tmp_path / "sheets.xlsx"
    workbook.save(path)
    tabular, rows = _read(path)
    assert tabular.headers == HEADERS and rows[0].values == ROWS[0]


def test_xlsx_with_only_empty_sheets_has_no_headers(tmp_path):
    assert _rejected(_xlsx(tmp_path, [])).code == "headers_missing"


def test_xlsx_duplicate_headers_and_close(tmp_path):
    assert _rejected(_xlsx(tmp_path, [["名称", "名称"]])).code == "headers_duplicate"
    tabular = open_tabular(_xlsx(tmp_path, [HEADERS, *ROWS]), original_name="a.xlsx")
    with tabular:
        assert next(tabular.rows).values == ROWS[0]
    assert tabular._closers == []


def _bomb(tmp_path: Path, size: int) -> Path:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * size)
    return path


def test_xlsx_zip_bomb_is_refused_before_a_library_parses_it(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx, "load_workbook", lambda *a, **k: pytest.fail("openpyxl was reached"))
    monkeypatch.setattr(xlsx, "CalamineWorkbook", None)  # calamine is not reached either
    path = _bomb(tmp_path, 50 * 1024 * 1024)
    assert path.stat().st_size < 200 * 1024
    assert _rejected(path, max_xlsx_uncompressed=10 * 1024 * 1024).code == "xlsx_too_large"


def test_xlsx_compression_ratio_rule_with_default_limits(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx, "load_workbook", lambda *a, **k: pytest.fail("openpyxl was reached"))
    monkeypatch.setattr(xlsx, "CalamineWorkbook", None)  # calamine is not reached either
    path = _bomb(tmp_path, 20 * 1024 * 1024)  # 20 MB, well under 1 GB, but compressed about 1000 times
    assert _rejected(path).code == "xlsx_too_large"


def test_real_xlsx_passes_the_bomb_check(tmp_path):
    rows = [HEADERS] + [ROWS[0]] * 20_000  # repetitive, so highly compressible, but no bomb
    path = _xlsx(tmp_path, rows)
    tabular, read = _read(path)
    assert len(read) == 20_000 and tabular.expected_rows == 20_000
    with zipfile.ZipFile(path) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    assert sheet.file_size > 20 * sheet.compress_size


@pytest.mark.parametrize("line_end", ["\r\n", "\n"])
def test_selected_rows_are_exactly_those_of_reading_everything(tmp_path, line_end):
    """A reader that wants every other chunk skips most rows without parsing them: it must still give the
    very rows, lines and errors that reading everything and selecting afterwards gives."""
    from xinyong.records.ingest.producer import ChunkSelector

    rng = random.Random(7)
    lines = [",".join(HEADERS)]
    for i in range(400):
        pick = rng.random()
        if pick < 0.1:
            lines.append(",,,")  # a blank record: not counted by the selector
        elif pick < 0.15:
            lines.append("")
        elif pick < 0.25:
            lines.append(f'"公司{i}\n第二行",法人及非法人组织,"文号,{i}",1')  # a quoted line break and delimiter
        elif pick < 0.3:
            lines.append(f'公司{i},"他说""好""",文号{i}')  # doubled quotes, a short row
        elif pick < 0.33:
            lines.append(f"公司{i},a,b,c,extra{i}")  # an extra cell
        elif pick < 0.35:
            lines.append(f'公司{i},"bad"x,{i},1')  # text after a closing quote is kept by the csv module
        else:
            lines.append(f" 公司{i} ,法人及非法人组织,文号{i},{i}")
    body = line_end.join(lines) + line_end
    for last_newline in (True, False):
        path = _file(tmp_path, (body if last_newline else body.rstrip("\r\n")).encode("utf-8-sig"))
        for after, part in [(after, part) for after in range(0, 60, 3) for part in (0, 1)]:
            selector = ChunkSelector(after, 7, part, 2)
            with open_tabular(path, original_name="p.csv") as everything:
                expected = [row for row in everything.rows if selector(row.line)]
            with open_tabular(path, original_name="p.csv", wanted=ChunkSelector(after, 7, part, 2)) as selected:
                got = list(selected.rows)
            assert got == expected and len(got) > 100
            assert any("\n" in row.values[0] for row in got) and any(row.extra_cells for row in got)
