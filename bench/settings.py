"""Settings of the ingest bench: the local settings, with the upload size limit raised.

A 1,000,000-row 行政处罚 CSV is about 620 MiB, over the platform's default XINYONG_IMPORT_MAX_BYTES
(100 MiB, meant for uploads), which `batch_submit_file` applies to every channel, the command line
included. Nothing else differs from config.settings.local.
"""

from config.settings.local import *  # noqa: F403

XINYONG_IMPORT_MAX_BYTES = 4 * 1024 * 1024 * 1024
