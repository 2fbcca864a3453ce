"""Open an uploaded CSV or XLSX file safely and stream its rows, whatever the file holds.

Every refusal of the whole file is a `FileRejected` (422) with a stable code and a Chinese message
saying what to do. Choices worth knowing:

- The kind comes from the content first: a zip signature is an XLSX whatever the name, an OLE file
  (.xls, .et, or a password-protected .xlsx) is refused with a "save as .xlsx/CSV" message.
- CSV encoding: a BOM means UTF-8; otherwise UTF-8 if the file decodes strictly, else GB18030 (a
  superset of GBK). The whole file is decoded once in 1 MB chunks (nothing kept; about 0.1 s per
  50 MB) *before* the first row is returned, so a bad byte anywhere is a file-level
  `file_encoding_unknown` naming the line, not a batch that fails half-way; a UTF-8 file with a GBK
  row pasted in is refused rather than read as mojibake. Only a file changed while being read could
  still fail during iteration: that too raises `FileRejected`, which the pipeline records as a
  failed batch.
- `RawRow.line` is the row number Excel shows: the header row's number, and one per CSV record
  (blank records count; a quoted cell with line breaks is one row). XLSX uses the sheet row number.
- A CSV record the csv module cannot parse becomes a `RawRow` with `error` set and reading goes on
  with the next line. The csv module raises on fields longer than its limit instead of truncating,
  so the limit is set high (16 M characters, bounded memory) and cells longer than `max_cell_chars`
  are cut to `max_cell_chars + 1` here, for the validator to report `value_too_long`.
- `RawRow.values` has exactly `len(headers)` cells, plus one more (the first non-empty extra cell,
  so a report can show it) only when `extra_cells > 0`.
- XLSX files are read by `xlsx.py` (python-calamine, with openpyxl as its slow twin).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from xinyong.core.errors import ApplicationError

CSV_SUFFIXES = frozenset({".csv", ".txt"})
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
SNIFF_BYTES = 64 * 1024
MIXED_EVIDENCE_BYTES = 64  # valid non-ASCII UTF-8 bytes seen before a bad byte: the file is UTF-8
DECODE_CHUNK = 1024 * 1024
CONTROL_SHARE = 0.05
CSV_FIELD_LIMIT = 16 * 1024 * 1024
_CONTROL_BYTES = bytes([*range(0, 9), 11, *range(14, 32), 127])
_ASCII_BYTES = bytes(range(128))
_BOM = "\ufeff"


class FileRejected(ApplicationError):
    """The whole file cannot be imported; `code` is one of the stable file_* / headers_* codes."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code=code, message=message, status=422)


@dataclass(slots=True)
class RawRow:
    line: int
    values: list[str]
    extra_cells: int = 0
    formula_columns: tuple[int, ...] = ()
    error: str | None = None


@dataclass
class TabularFile:
    kind: str  # "csv" | "xlsx"
    encoding: str | None  # "utf-8-sig" | "utf-8" | "gb18030"; None for xlsx
    headers: list[str]
    rows: Iterator[RawRow]
    expected_rows: int | None = None  # XLSX: from the sheet's declared dimension, when present
    selected_by: Callable[[int], bool] | None = None  # rows are only those this accepted (see open_tabular)
    newlines: int | None = None  # CSV: the line feeds in the file, when the encoding check counted them
    _closers: list[Callable[[], object]] = field(default_factory=list, repr=False)

    def close(self) -> None:
        close_rows = getattr(self.rows, "close", None)
        if close_rows is not None:
            close_rows()
        while self._closers:
            self._closers.pop()()

    def __enter__(self) -> TabularFile:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


@dataclass(frozen=True)
class _Limits:
    max_columns: int
    max_cell_chars: int


def open_tabular(
    path: Path,
    *,
    original_name: str,
    max_bytes: int = 100 * 1024 * 1024,
    max_columns: int = 200,
    max_cell_chars: int = 100_000,
    max_xlsx_uncompressed: int = 1024 * 1024 * 1024,
    known_encoding: str | None = None,
    wanted: Callable[[int], bool] | None = None,
) -> TabularFile:
    """Check the file, read its header row, and return a lazy stream of its data rows.

    `known_encoding`: the encoding an earlier opening of the same file established (skips the check
    that decodes the whole file once more). `wanted`: called with the line of each row in order (blank
    records excluded); a CSV's rows it refuses are skipped without being built (`selected_by` says so)."""
    size = path.stat().st_size
    if size > max_bytes:
        raise FileRejected(
            "file_too_large",
            f"文件大小 {_megabytes(size)} 超过上限 {_megabytes(max_bytes)}，请拆分为几个较小的文件分别上传。",
        )
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if size <= len(head) and not head.removeprefix(codecs.BOM_UTF8).strip():
        raise FileRejected("file_empty", "文件是空的（没有任何内容），请确认选择了正确的文件。")
    limits = _Limits(max_columns, max_cell_chars)
    if _detect_kind(head, original_name) == "xlsx":
        from .xlsx import open_xlsx  # here, not at the top: xlsx builds on this module

        return open_xlsx(path, limits, max_xlsx_uncompressed)
    return _open_csv(path, head, limits, known_encoding, wanted)


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _detect_kind(head: bytes, original_name: str) -> str:
    suffix = PurePath(original_name).suffix.lower()
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        raise FileRejected(
            "file_type_unsupported",
            "这是旧版 Excel 97-2003（.xls）或 WPS 表格（.et）格式的文件，或是设置了打开密码的工作簿，平台无法读取。"
            "请在 Excel 或 WPS 中取消密码，并“另存为” Excel 工作簿（.xlsx）或 CSV UTF-8（逗号分隔）后重新上传。",
        )
    if suffix == ".xlsx":
        raise FileRejected(
            "file_not_tabular",
            "文件扩展名是 .xlsx，但内容不是有效的 Excel 工作簿（可能已损坏，或只是改了扩展名）。"
            "请在 Excel 中打开确认无误后重新保存再上传。",
        )
    if suffix not in CSV_SUFFIXES:
        raise FileRejected(
            "file_type_unsupported",
            f"不支持“{suffix or '无扩展名'}”类型的文件。请上传 Excel 工作簿（.xlsx）或 CSV 文件（.csv）。",
        )
    if head.startswith(UTF16_BOMS):
        raise FileRejected(
            "file_encoding_unknown",
            "文件是 UTF-16 编码（Excel 的“Unicode 文本”），平台不能读取。请另存为“CSV UTF-8（逗号分隔）”后上传。",
        )
    if b"\x00" in head or len(head) - len(head.translate(None, _CONTROL_BYTES)) > CONTROL_SHARE * len(head):
        raise FileRejected(
            "file_not_tabular",
            "文件内容不是文本表格（含有大量二进制字符），可能选错了文件或只是改了扩展名。"
            "请上传 Excel 工作簿（.xlsx）或 CSV 文件。",
        )
    return "csv"


def _check_headers(cells: Iterable[str], limits: _Limits) -> list[str]:
    headers = [cell.lstrip(_BOM).strip() for cell in cells]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise FileRejected("headers_missing", "文件没有表头行（第一行非空行应为字段名称），请使用平台模板填写。")
    if len(headers) > limits.max_columns:
        raise FileRejected(
            "too_many_columns",
            f"表头有 {len(headers)} 列，超过上限 {limits.max_columns} 列，请删除多余的列后上传。",
        )
    seen: dict[str, str] = {}
    for header in headers:
        key = header.replace("（", "(").replace("）", ")").casefold()
        if key and key in seen:
            raise FileRejected(
                "headers_duplicate",
                f"表头“{header[:40]}”出现了不止一次（与“{seen[key][:40]}”重复），每个字段只能有一列，请删除重复的列。",
            )
        seen[key] = header
    return headers


def _fit(values: list[str], width: int) -> tuple[list[str], int]:
    """Pad a short row to the header width; cut a long one, counting its non-empty extra cells."""
    if len(values) < width:
        return values + [""] * (width - len(values)), 0
    extra = [value for value in values[width:] if value]
    kept = values[:width]
    if extra:
        kept.append(extra[0])
    return kept, len(extra)


# --- CSV -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _DecodeFailure:
    line: int
    non_ascii_before: int  # bytes >= 0x80 that decoded fine before the failure


def _decode_failure(path: Path, encoding: str) -> tuple[_DecodeFailure | None, int]:
    """Decode the whole file in chunks (nothing kept); where it first fails, if it does, and the number of
    line feeds it holds (the row count's estimate, so the file need not be read again for it).

    Also refuses a NUL byte anywhere: no text table holds one, and the database could not store it."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    lines, non_ascii = 1, 0
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(DECODE_CHUNK)
            if b"\x00" in chunk:
                raise _nul_error(lines + chunk[: chunk.index(b"\x00")].count(b"\n"))
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                before = chunk[: max(exc.start, 0)]
                return _DecodeFailure(lines + before.count(b"\n"), non_ascii + _non_ascii(before)), 0
            if not chunk:
                return None, lines - 1
            lines += chunk.count(b"\n")
            if non_ascii < MIXED_EVIDENCE_BYTES:  # past that, how many more makes no difference
                non_ascii += _non_ascii(chunk)


def _nul_error(line: int) -> FileRejected:
    return FileRejected(
        "file_not_tabular",
        f"文件第 {line} 行附近含有空字符（NUL），不是纯文本表格，可能混入了二进制内容。"
        "请用 Excel 打开后重新另存为 CSV 或 .xlsx。",
    )


def _non_ascii(data: bytes) -> int:
    return 0 if data.isascii() else len(data.translate(None, _ASCII_BYTES))


def _encoding_error(line: int) -> FileRejected:
    return FileRejected(
        "file_encoding_unknown",
        f"文件第 {line} 行附近的文字无法按 UTF-8 或 GBK/GB18030 编码识别（可能混入了其他编码的内容或已损坏）。"
        "请用 Excel 或 WPS 打开文件，另存为“CSV UTF-8（逗号分隔）”后重新上传。",
    )


def _choose_encoding(path: Path, head: bytes) -> tuple[str, int]:
    """BOM: UTF-8. Else UTF-8 if the whole file decodes, else GB18030; a UTF-8 file with foreign bytes
    further down (a GBK row pasted into UTF-8 text) is refused rather than read as mojibake. Returns the
    encoding and the file's number of line feeds."""
    if head.startswith(codecs.BOM_UTF8):
        failure, newlines = _decode_failure(path, "utf-8-sig")
        if failure:
            raise _encoding_error(failure.line)
        return "utf-8-sig", newlines
    failure, newlines = _decode_failure(path, "utf-8")
    if failure is None:
        return "utf-8", newlines
    if failure.non_ascii_before >= MIXED_EVIDENCE_BYTES:
        raise _encoding_error(failure.line)
    gb_failure, newlines = _decode_failure(path, "gb18030")
    if gb_failure:
        raise _encoding_error(gb_failure.line)
    return "gb18030", newlines


def _sniff_delimiter(head: bytes, encoding: str) -> str:
    text = head.decode(encoding, errors="ignore").lstrip(_BOM)
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: first.count(delimiter) for delimiter in (",", "\t", ";")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _open_csv(
    path: Path,
    head: bytes,
    limits: _Limits,
    known_encoding: str | None = None,
    wanted: Callable[[int], bool] | None = None,
) -> TabularFile:
    encoding, newlines = (known_encoding, None) if known_encoding else _choose_encoding(path, head)
    csv.field_size_limit(max(CSV_FIELD_LIMIT, limits.max_cell_chars + 1))  # process-wide, only ever raised
    handle = path.open("rb")
    text = io.TextIOWrapper(handle, encoding=encoding, errors="strict", newline="")
    delimiter = _sniff_delimiter(head, encoding)
    lines = _Lines(text) if wanted else None  # rows are selected: the others are skipped unparsed where they can be
    try:
        records = csv.reader(lines or text, delimiter=delimiter)
        header_line, header = _csv_header(records)
        headers = _check_headers(header, limits)
    except BaseException:
        text.close()
        raise
    if lines is not None and wanted is not None:
        rows = _selected_csv_rows(
            lines, records, delimiter, len(headers), header_line, limits.max_cell_chars + 1, wanted
        )
    else:
        rows = _csv_rows(records, len(headers), header_line, limits.max_cell_chars + 1, _everything)
    return TabularFile("csv", encoding, headers, rows, selected_by=wanted, newlines=newlines, _closers=[text.close])


def _everything(line: int) -> bool:
    return True


def _csv_header(records: Iterator[list[str]]) -> tuple[int, list[str]]:
    line, saw_cells = 0, False
    try:
        for record in records:
            line += 1
            if any(cell.strip() for cell in record):
                return line, record
            saw_cells = saw_cells or len(record) > 1
    except csv.Error as exc:
        raise FileRejected("headers_missing", f"第 {line + 1} 行（表头行）无法按 CSV 格式读取：{exc}。") from exc
    except UnicodeDecodeError as exc:
        raise _encoding_error(line + 1) from exc
    if saw_cells:
        raise FileRejected("headers_missing", "文件中所有单元格都是空的，没有表头行，请使用平台模板填写。")
    raise FileRejected("file_empty", "文件是空的（只有空白），请确认选择了正确的文件。")


def _csv_rows(
    records: Iterator[list[str]], width: int, line: int, cap: int, wanted: Callable[[int], bool]
) -> Iterator[RawRow]:
    strip = str.strip
    while True:
        try:
            for record in records:
                line += 1
                if not (record and strip(record[0])) and not any(map(strip, record)):
                    continue  # a blank record (checked cheaply: the first cell is rarely empty)
                if not wanted(line):
                    continue
                yield _raw_row(record, line, width, cap)
            return
        except csv.Error as exc:
            line += 1
            if wanted(line):
                yield RawRow(line, [""] * width, error=_csv_error_message(exc))
        except UnicodeDecodeError as exc:
            raise _encoding_error(line + 1) from exc


class _Lines:
    """A text's lines for the csv module, with one line that can be put back: a reader of selected rows
    looks at each line first, and only lines it cannot skip by themselves go to the csv module."""

    __slots__ = ("back", "lines")

    def __init__(self, text: Iterable[str]):
        self.lines = iter(text)
        self.back: str | None = None

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        back = self.back
        if back is not None:
            self.back = None
            return back
        return next(self.lines)


def _selected_csv_rows(
    lines: _Lines,
    records: Iterator[list[str]],
    delimiter: str,
    width: int,
    line: int,
    cap: int,
    wanted: Callable[[int], bool],
) -> Iterator[RawRow]:
    """`_csv_rows` for a reader that wants only some rows. A line with no quote is a whole record by itself:
    one that is not wanted is skipped without being parsed (a fifth of the cost). A wanted one, or one with
    a quote (it may go on over several lines), is put back for the csv module to read as one record."""
    strip = str.strip
    while True:
        try:
            for raw in lines:
                if '"' not in raw and raw.endswith("\n") and "\r" not in raw[:-2]:
                    if not strip(raw.replace(delimiter, "")):
                        line += 1
                        continue  # a blank record
                    if not wanted(line + 1):
                        line += 1
                        continue
                    lines.back = raw
                    record = next(records)
                    line += 1
                else:
                    lines.back = raw
                    record = next(records)
                    line += 1
                    if not (record and strip(record[0])) and not any(map(strip, record)):
                        continue
                    if not wanted(line):
                        continue
                yield _raw_row(record, line, width, cap)
            return
        except csv.Error as exc:
            line += 1
            if wanted(line):
                yield RawRow(line, [""] * width, error=_csv_error_message(exc))
        except UnicodeDecodeError as exc:
            raise _encoding_error(line + 1) from exc


def _raw_row(record: list[str], line: int, width: int, cap: int) -> RawRow:
    values = list(map(str.strip, record))
    if len("".join(values)) > cap:  # cheaper than max(map(len, ...)); rarely true
        values = [value[:cap] for value in values]
    if len(values) == width:
        return RawRow(line, values)
    values, extra = _fit(values, width)
    return RawRow(line, values, extra)


def _csv_error_message(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return (
            f"该行有单元格超过 {CSV_FIELD_LIMIT} 个字符，无法读取（常见原因：某个单元格的引号没有配对，"
            "把后面很多行读成了一个单元格）。请检查该行及其上方的引号。"
        )
    return f"该行无法按 CSV 格式读取（{text}），请检查引号和分隔符。"
