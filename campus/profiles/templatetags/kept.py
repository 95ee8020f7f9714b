"""`{% kept "name" key… %}…{% endkept %}`: a block of a template kept as a part of
a page (campus/fragments.py), until a table it read, or one the page read before
it, is written.

Django's `{% cache %}` files a block under the keys it is given and cannot know
what the block read; this block is kept with its tables, so a write elsewhere
leaves it. The name and the keys (say an object's pk) tell its variants apart.
"""

from django import template
from django.utils.safestring import mark_safe

from campus import fragments

register = template.Library()


class KeptNode(template.Node):
    def __init__(self, nodelist, parts):
        self.nodelist = nodelist
        self.parts = parts

    def render(self, context):
        name = "block." + ".".join(str(part.resolve(context)) for part in self.parts)
        request = context.get("request")
        if request is None:
            return self.nodelist.render(context)
        return mark_safe(
            fragments.kept(request, name, lambda: self.nodelist.render(context))
        )


@register.tag
def kept(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% kept %} needs a name.")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(nodelist, [parser.compile_filter(bit) for bit in bits[1:]])
