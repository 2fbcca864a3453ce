"""Content-addressed storage of original submissions (raw/ab/cd/<sha256>), through Django's storage API.

The same bytes are stored once; a stored file is never overwritten or changed.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path
from typing import IO

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from .models import RawFile

CHUNK = 1024 * 1024


def storage_name_for(sha256: str) -> str:
    return f"raw/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def raw_file_store(source: IO[bytes]) -> RawFile:
    """Hash while copying to a temporary file, then store it under its hash (once). A seekable source (a
    local file, an upload spooled to disk) is hashed in place first, so bytes already stored — a file sent
    again — are not copied at all."""
    known = _already_stored(source)
    if known is not None:
        return known
    digest = hashlib.sha256()
    size = 0
    with tempfile.NamedTemporaryFile(prefix="xinyong-upload-") as tmp:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            tmp.write(chunk)
        tmp.flush()
        sha256 = digest.hexdigest()
        existing = RawFile.objects.filter(sha256=sha256).first()
        if existing is not None and default_storage.exists(existing.storage_name):
            return existing
        name = storage_name_for(sha256)
        if not default_storage.exists(name):
            tmp.seek(0)
            saved = default_storage.save(name, File(tmp))
            if saved != name:  # a concurrent writer stored the same bytes first
                default_storage.delete(saved)
    try:
        with transaction.atomic():
            raw, _ = RawFile.objects.get_or_create(sha256=sha256, defaults={"size": size, "storage_name": name})
    except IntegrityError:
        raw = RawFile.objects.get(sha256=sha256)
    return raw


def _already_stored(source: IO[bytes]) -> RawFile | None:
    try:
        if not source.seekable():
            return None
        start = source.tell()
    except (AttributeError, OSError, ValueError):
        return None
    digest = hashlib.sha256()
    while chunk := source.read(CHUNK):
        digest.update(chunk)
    source.seek(start)
    existing = RawFile.objects.filter(sha256=digest.hexdigest()).first()
    if existing is not None and default_storage.exists(existing.storage_name):
        return existing
    return None  # new bytes: stored through the temporary copy, which hashes what it stores


def raw_file_local_copy(raw: RawFile, directory: Path) -> Path:
    """A local path to read the stored file from (the storage may be remote)."""
    try:
        return Path(default_storage.path(raw.storage_name))
    except NotImplementedError:
        target = directory / raw.sha256
        with default_storage.open(raw.storage_name, "rb") as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst, CHUNK)
        return target
