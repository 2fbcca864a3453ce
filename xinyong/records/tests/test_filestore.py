"""The archive of original files: stored once under their SHA-256, copied as few times as possible, never
stored under a hash that is not theirs."""

import hashlib
import io

import pytest
from django.core.files.storage import default_storage

from xinyong.core.errors import ApplicationError
from xinyong.records import filestore
from xinyong.records.models import RawFile

pytestmark = pytest.mark.django_db

BODY = "行政相对人名称,文号\n韶山市某公司,韶市监罚〔2026〕1号\n".encode() * 1000


def _stored_bytes(raw: RawFile) -> bytes:
    with default_storage.open(raw.storage_name, "rb") as handle:
        return handle.read()


def test_a_new_seekable_file_is_stored_straight_from_its_source(monkeypatch):
    monkeypatch.setattr(filestore.tempfile, "NamedTemporaryFile", lambda **k: pytest.fail("copied to a temporary file"))
    raw = filestore.raw_file_store(io.BytesIO(BODY))
    assert raw.sha256 == hashlib.sha256(BODY).hexdigest() and raw.size == len(BODY)
    assert raw.storage_name == filestore.storage_name_for(raw.sha256) and _stored_bytes(raw) == BODY
    assert filestore.raw_file_store(io.BytesIO(BODY)).pk == raw.pk  # the same bytes again: the same file


class _Unseekable(io.RawIOBase):
    def __init__(self, data: bytes):
        self.data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readinto(self, buffer) -> int:
        chunk = self.data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_a_stream_that_cannot_seek_is_hashed_while_copied():
    raw = filestore.raw_file_store(_Unseekable(BODY))
    assert raw.sha256 == hashlib.sha256(BODY).hexdigest() and _stored_bytes(raw) == BODY


class _ChangesAfterHashing(io.BytesIO):
    """A file that someone rewrites after it was hashed: the second read from the start gives other bytes."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.starts = 0

    def seek(self, offset, whence=io.SEEK_SET):
        if (offset, whence) == (0, io.SEEK_SET):
            self.starts += 1
            if self.starts == 2:  # the copy's start (the hashing's return to the start was the first)
                self.getbuffer()[:4] = b"XXXX"
        return super().seek(offset, whence)


def test_bytes_that_change_after_hashing_are_refused_and_nothing_is_stored():
    body = BODY + b"changed later\n"  # bytes no other test stores
    source = _ChangesAfterHashing(body)
    with pytest.raises(ApplicationError) as refused:
        filestore.raw_file_store(source)
    assert refused.value.code == "file_changed_while_reading" and "重新上传" in refused.value.message
    for version in (body, source.getvalue()):
        assert not default_storage.exists(filestore.storage_name_for(hashlib.sha256(version).hexdigest()))
    assert not RawFile.objects.exists()
