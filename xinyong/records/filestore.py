"""Content-addressed storage of original submissions (raw/ab/cd/<sha256>), through Django's storage API.

The same bytes are stored once; a stored file is never overwritten or changed.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import tempfile
from pathlib import Path
from typing import IO, Any, cast

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from xinyong.core.errors import ApplicationError

from .models import RawFile

CHUNK = 1024 * 1024


def storage_name_for(sha256: str) -> str:
    return f"raw/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def raw_file_store(source: IO[bytes]) -> RawFile:
    """Store the bytes under their hash (once). A seekable source (a local file, an upload spooled to disk) is
    hashed in place first: bytes already stored — a file sent again — are not copied at all, and new bytes are
    copied straight from the source, hashed again on the way (bytes that changed meanwhile are refused). Any
    other source is hashed while it is copied to a temporary file, which is then stored."""
    start, digest = _hash_in_place(source)
    if digest is not None:
        existing = _stored(digest)
        if existing is not None:
            return existing
        if start == 0:
            return _store_from(source, digest)
    digest_of_copy = hashlib.sha256()
    size = 0
    with tempfile.NamedTemporaryFile(prefix="xinyong-upload-") as tmp:
        while chunk := source.read(CHUNK):
            digest_of_copy.update(chunk)
            size += len(chunk)
            tmp.write(chunk)
        tmp.flush()
        sha256 = digest_of_copy.hexdigest()
        existing = _stored(sha256)
        if existing is not None:
            return existing
        name = storage_name_for(sha256)
        if not default_storage.exists(name):
            tmp.seek(0)
            saved = default_storage.save(name, File(tmp))
            if saved != name:  # a concurrent writer stored the same bytes first
                default_storage.delete(saved)
    return _record(sha256, size, name)


def _hash_in_place(source: IO[bytes]) -> tuple[int, str | None]:
    """(position, SHA-256 of the rest) of a seekable source, left where it was; (0, None) for any other."""
    try:
        if not source.seekable():
            return 0, None
        start = source.tell()
    except (AttributeError, OSError, ValueError):
        return 0, None
    digest = hashlib.sha256()
    while chunk := source.read(CHUNK):
        digest.update(chunk)
    source.seek(start)
    return start, digest.hexdigest()


def _stored(sha256: str) -> RawFile | None:
    existing = RawFile.objects.filter(sha256=sha256).first()
    if existing is not None and default_storage.exists(existing.storage_name):
        return existing
    return None


class _Hashing(io.RawIOBase):
    """Reads a source from its start, hashing what was read (from the start again after a seek to 0)."""

    def __init__(self, source: IO[bytes]):
        self.source = source
        self.digest = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if (offset, whence) != (0, io.SEEK_SET):
            raise OSError("only a seek to the start is supported")
        self.digest, self.size = hashlib.sha256(), 0
        return self.source.seek(0)

    def tell(self) -> int:
        return self.size

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _store_from(source: IO[bytes], sha256: str) -> RawFile:
    name = storage_name_for(sha256)
    if not default_storage.exists(name):
        hashing = _Hashing(source)
        saved = default_storage.save(name, File(cast("IO[bytes]", hashing), name=name))
        if hashing.digest.hexdigest() != sha256:  # the source changed after it was hashed
            default_storage.delete(saved)
            raise ApplicationError(
                code="file_changed_while_reading",
                message="文件在读取过程中发生了变化，请确认文件已保存完毕后重新上传。",
                status=409,
            )
        if saved != name:  # a concurrent writer stored the same bytes first
            default_storage.delete(saved)
        size = hashing.size
    else:
        size = default_storage.size(name)
    return _record(sha256, size, name)


def _record(sha256: str, size: int, name: str) -> RawFile:
    try:
        with transaction.atomic():
            raw, _ = RawFile.objects.get_or_create(sha256=sha256, defaults={"size": size, "storage_name": name})
    except IntegrityError:
        raw = RawFile.objects.get(sha256=sha256)
    return raw


def raw_file_local_copy(raw: RawFile, directory: Path) -> Path:
    """A local path to read the stored file from (the storage may be remote)."""
    try:
        return Path(default_storage.path(raw.storage_name))
    except NotImplementedError:
        target = directory / raw.sha256
        with default_storage.open(raw.storage_name, "rb") as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst, CHUNK)
        return target
