from django import template

from workbench.undo import taken

register = template.Library()


@register.simple_tag(takes_context=True)
def undo_offer(context) -> dict | None:
    """The Undo form for the "undoable" message being shown: `{% undo_offer as undo %}`."""
    return taken(context["request"])
