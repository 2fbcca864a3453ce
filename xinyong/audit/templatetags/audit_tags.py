from django import template

from xinyong.audit.labels import action_label as _action_label

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    return _action_label(action)
