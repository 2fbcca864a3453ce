"""How a public record reads on a subject page: the subject block and repeated values left out."""

from __future__ import annotations

from typing import Any

from django import template

from xinyong.publication.models import PublicRecord

register = template.Library()

# Shown once at the top of the subject page, not again in every record.
SUBJECT_LABELS = frozenset(
    {
        "行政相对人名称",
        "行政相对人类别",
        "行政相对人代码_1(统一社会信用代码)",
        "主体名称",
        "主体类别",
        "统一社会信用代码",
        "承诺主体名称",
    }
)


@register.filter
def record_layout(record: PublicRecord) -> dict[str, Any]:
    """{doc_label, date_label, rows}: the document number and date under their own labels, then the rest."""
    decided = record.decision_date.isoformat()
    layout: dict[str, Any] = {"doc_label": "决定文书号", "date_label": "决定日期", "rows": []}
    for label, value in record.fields:
        if label in SUBJECT_LABELS or (record.list_name and value == record.list_name):
            continue
        if value == record.document_no:
            layout["doc_label"] = label
        elif value == decided and label.endswith("日期"):
            layout["date_label"] = label
        else:
            layout["rows"].append((label, value))
    return layout
