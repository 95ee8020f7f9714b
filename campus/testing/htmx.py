"""Plays an htmx exchange on parsed HTML, to prove a swap equals a full reload.

A test parses a page, fills its form as a person would (`fill_form`), sends the
request htmx would send (`form_query`), applies the fragment the way htmx does
(`update_page_with_htmx`: the page's own htmx-config decides whether a status is
swapped; the response's HX-Retarget and HX-Reswap, or else hx-target and
hx-swap inherited as in htmx, say where and how), then compares the result with
a fresh load of the pushed URL (`assert_same_html`). `assert_filter_swap` does
all of it for a list's filters.
Modelled on les-emplois' tests/utils/htmx/testing.py; Python's html.parser keeps
it free of dependencies, so it understands the simple selectors `#id`, `tag`,
`.class` and `tag.class` only.
"""

import json
import re
from html import escape
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

VOID_TAGS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
# htmx 2's default, used when the page has no htmx-config meta.
DEFAULT_RESPONSE_HANDLING = [
    {"code": "204", "swap": False},
    {"code": "[23]..", "swap": True},
    {"code": "[45]..", "swap": False, "error": True},
]
# Masked anew on every render, so two loads of one page never share them.
CSRF_PLACEHOLDER = "[csrf]"


class Element:
    def __init__(self, tag: str | None, attrs: dict[str, str | None], parent=None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Element | str] = []

    def __str__(self):
        return self.render()

    def render(self, skip=()) -> str:
        """The HTML, with the elements in `skip` left out."""
        if any(self is element for element in skip):
            return ""
        inner = "".join(
            child if isinstance(child, str) else child.render(skip)
            for child in self.children
        )
        if self.tag is None:
            return inner
        # Attribute order means nothing in HTML, and a filled field gains its
        # value or selected last: sorted, they compare equal.
        attrs = "".join(
            f" {name}" if value is None else f' {name}="{escape(value)}"'
            for name, value in sorted(self.attrs.items())
        )
        if self.tag in VOID_TAGS:
            return f"<{self.tag}{attrs}>"
        return f"<{self.tag}{attrs}>{inner}</{self.tag}>"

    def iter(self):
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def select(self, selector: str) -> list["Element"]:
        tag, _, class_name = selector.partition(".")
        if tag.startswith("#"):
            return [el for el in self.iter() if el.attrs.get("id") == tag[1:]]
        if not re.fullmatch(r"[a-z0-9]*", tag) or not (tag or class_name):
            raise NotImplementedError(f"Unsupported selector: {selector}")
        return [
            el
            for el in self.iter()
            if (not tag or el.tag == tag)
            and (not class_name or class_name in (el.attrs.get("class") or "").split())
        ]

    def select_one(self, selector: str) -> "Element":
        [element] = self.select(selector)
        return element

    def inherited(self, attribute: str, default: str) -> str:
        element = self
        while element is not None:
            if attribute in element.attrs:
                return element.attrs[attribute]
            element = element.parent
        return default

    def replace_children(self, nodes: list) -> None:
        for node in nodes:
            if isinstance(node, Element):
                node.parent = self
        self.children = nodes

    def replace_with(self, nodes: list) -> None:
        siblings = self.parent.children
        index = next(i for i, child in enumerate(siblings) if child is self)
        for node in nodes:
            if isinstance(node, Element):
                node.parent = self.parent
        siblings[index : index + 1] = nodes


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Element(None, {})

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("name") == "csrfmiddlewaretoken":
            attrs["value"] = CSRF_PLACEHOLDER
        if "hx-headers" in attrs:
            attrs["hx-headers"] = re.sub(
                r'("X-CSRFToken": ")[^"]*',
                rf"\g<1>{CSRF_PLACEHOLDER}",
                attrs["hx-headers"],
            )
        element = Element(tag, attrs, self.current)
        self.current.children.append(element)
        if tag not in VOID_TAGS:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.current = self.current.parent

    def handle_endtag(self, tag):
        element = self.current
        while element is not None and element.tag != tag:
            element = element.parent
        if element is not None and element.parent is not None:
            self.current = element.parent

    def handle_data(self, data):
        # Whitespace between tags and inside text is what templates vary most
        # without any visible change: it is folded so that it never counts.
        text = " ".join(data.split())
        if text:
            self.current.children.append(escape(text, quote=False))


def parse_html(html: str | bytes) -> Element:
    if isinstance(html, bytes):
        html = html.decode()
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def fill_form(page: Element, selector: str, values: dict[str, str | bool]) -> None:
    """Sets fields as a person would: a text's value, a select's option, a checkbox."""
    form = page.select_one(selector)
    for name, value in values.items():
        [field] = [el for el in form.iter() if el.attrs.get("name") == name]
        if field.tag == "select":
            options = [el for el in field.iter() if el.tag == "option"]
            if value not in {option.attrs.get("value") for option in options}:
                raise ValueError(f"{name} offers no option {value!r}")
            for option in options:
                option.attrs.pop("selected", None)
                if option.attrs.get("value") == value:
                    option.attrs["selected"] = None
        elif field.attrs.get("type") == "checkbox":
            if value:
                field.attrs["checked"] = None
            else:
                field.attrs.pop("checked", None)
        elif value:
            field.attrs["value"] = value
        else:
            field.attrs.pop("value", None)


def form_query(page: Element, selector: str) -> str:
    """The query string a browser builds from the form, fields in page order."""
    pairs = []
    for field in page.select_one(selector).iter():
        name = field.attrs.get("name")
        if not name or "disabled" in field.attrs:
            continue
        if field.tag == "select":
            options = [el for el in field.iter() if el.tag == "option"]
            chosen = next((o for o in options if "selected" in o.attrs), options[0])
            pairs.append((name, chosen.attrs.get("value") or ""))
        elif field.tag == "input" and field.attrs.get("type") in ("checkbox", "radio"):
            if "checked" in field.attrs:
                pairs.append((name, field.attrs.get("value") or "on"))
        elif field.tag == "input" and field.attrs.get("type") not in (
            "submit",
            "button",
        ):
            pairs.append((name, field.attrs.get("value") or ""))
    return urlencode(pairs)


def _response_handling(page: Element) -> list[dict]:
    for meta in page.select("meta"):
        if meta.attrs.get("name") == "htmx-config":
            config = json.loads(meta.attrs["content"])
            return config.get("responseHandling", DEFAULT_RESPONSE_HANDLING)
    return DEFAULT_RESPONSE_HANDLING


def update_page_with_htmx(page: Element, selector: str, response) -> str | None:
    """Applies `response`, fetched by the element at `selector`, to `page`.

    Returns the URL htmx pushes to the history, if any.
    """
    element = page.select_one(selector)
    method = response.request["REQUEST_METHOD"]
    url = element.attrs.get(f"hx-{method.lower()}")
    if url is None:
        raise ValueError(f"{selector} has no hx-{method.lower()}")
    assert response.request["PATH_INFO"] == urlsplit(url).path
    handling = next(
        rule
        for rule in _response_handling(page)
        if re.search(rule["code"], str(response.status_code))
    )
    if not handling.get("swap"):
        return None
    fragment = parse_html(response.content)
    if fragment.select("title") or any(
        "hx-swap-oob" in el.attrs for el in fragment.iter()
    ):
        raise NotImplementedError("Title and out-of-band swaps are not played.")
    target_selector = response.headers.get("HX-Retarget") or element.inherited(
        "hx-target", "this"
    )
    target = element if target_selector == "this" else page.select_one(target_selector)
    swap = response.headers.get("HX-Reswap") or element.inherited(
        "hx-swap", "innerHTML"
    )
    mode = swap.split()[0]
    if mode == "outerHTML":
        target.replace_with(fragment.children)
    elif mode == "innerHTML":
        target.replace_children(fragment.children)
    else:
        raise NotImplementedError(f"hx-swap {mode} is not played.")
    push = response.headers.get("HX-Push-Url") or element.inherited(
        "hx-push-url", "false"
    )
    if push == "true":
        query = response.request.get("QUERY_STRING")
        return response.request["PATH_INFO"] + (f"?{query}" if query else "")
    return None if push == "false" else push


def assert_same_html(page: Element, other: Element, *, ignoring=()) -> None:
    """Both pages are the same, but for the elements `ignoring` selects in each."""
    selectors = (ignoring,) if isinstance(ignoring, str) else ignoring
    skipped = tuple(
        [
            element
            for selector in selectors
            if selector
            for element in el.select(selector)
        ]
        for el in (page, other)
    )
    assert page.render(skipped[0]) == other.render(skipped[1])


def assert_filter_swap(client, url: str, values: dict, *, form="form.filters"):
    """Fills the filters of the list at `url`, plays htmx's swap, and compares it
    with a fresh load of the URL htmx pushed. Returns the swapped page and the
    fragment's response.
    """
    page = parse_html(client.get(url).content)
    fill_form(page, form, values)
    action = page.select_one(form).attrs["hx-get"]
    response = client.get(
        f"{action}?{form_query(page, form)}", headers={"HX-Request": "true"}
    )
    pushed = update_page_with_htmx(page, form, response)
    assert pushed, "the swap happens and pushes the filtered URL"
    fresh = parse_html(client.get(pushed).content)
    # On a filter error only a full load marks the fields themselves; the
    # messages, with a link to each field, are in the swapped results. htmx leaves
    # the head alone: its canonical address is read on a full load. The
    # « Filtres (n) » count sits outside the results: campus.js keeps it up to
    # date as the fields change.
    assert_same_html(
        page,
        fresh,
        ignoring=(
            "link",
            "meta",
            form if response.status_code == 400 else "span.filters__count",
        ),
    )
    return page, response
