"""Front matter read safely: bounded aliases and size, impossible dates kept as text.

PyYAML's safe loader still lets a few lines of aliases (``&a [*b, *b, ...]``) expand into billions of
values once anything walks them, and raises ``ValueError`` on an impossible unquoted date such as
``2025-02-30``. Here aliases are counted while composing and the expanded size is measured on the
node graph (shared nodes counted once per use, memoised) before anything is constructed; a
date-like scalar that is no real date stays a string, so the package check reports it in Dutch.
"""

from __future__ import annotations

import frontmatter
import yaml
from frontmatter.default_handlers import YAMLHandler

from .limits import DEFAULT_LIMITS, Limits


class YamlLimitError(yaml.YAMLError):
    """Front matter beyond a limit; ``problem`` is the Dutch explanation."""

    def __init__(self, problem: str):
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = None


DUPLICATE_KEY = "found duplicate key"


def _loader_class(limits: Limits):
    class Loader(yaml.SafeLoader):
        aliases = 0

        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                self.aliases += 1
                if self.aliases > limits.yaml_aliases:
                    raise YamlLimitError(limits.exceeded("yaml_aliases", self.aliases, "het aantal verwijzingen (*) in de kop"))
            return super().compose_node(parent, index)

        def construct_document(self, node):
            nodes = _expanded_size(node, limits.yaml_nodes)
            if nodes > limits.yaml_nodes:
                raise YamlLimitError(
                    limits.exceeded("yaml_nodes", nodes, "het aantal waarden in de kop (verwijzingen uitgeschreven)")
                )
            return super().construct_document(node)

        def construct_mapping(self, node, deep=False):
            # PyYAML keeps the last of two equal keys silently: "wet: Woo" then "wet: Wob" would publish
            # under the Wob. Refuse rather than guess which one staff meant.
            seen: set[str] = set()
            for key_node, _ in node.value if isinstance(node, yaml.MappingNode) else ():
                if isinstance(key_node, yaml.ScalarNode) and key_node.value != "<<":
                    if key_node.value in seen:
                        raise yaml.constructor.ConstructorError(
                            None, None, f"{DUPLICATE_KEY} {key_node.value[:80]!r}", key_node.start_mark
                        )
                    seen.add(key_node.value)
            return super().construct_mapping(node, deep=deep)

        def construct_yaml_timestamp(self, node):
            try:
                return super().construct_yaml_timestamp(node)
            except (ValueError, OverflowError):
                return self.construct_scalar(node)  # 2025-02-30: text, reported as "geen geldige datum"

    Loader.add_constructor("tag:yaml.org,2002:timestamp", Loader.construct_yaml_timestamp)
    return Loader


def _expanded_size(root, cap: int) -> int:
    """Values in the document with every alias written out; stops counting just past ``cap``."""
    sizes: dict[int, int] = {}
    visiting: set[int] = set()
    stack = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        if isinstance(node, yaml.ScalarNode):
            sizes[id(node)] = 1
            continue
        children = [c for pair in node.value for c in pair] if isinstance(node, yaml.MappingNode) else list(node.value)
        if not children_done:
            if id(node) in visiting:  # a value that contains itself (&a [*a]) never ends
                return cap + 1
            visiting.add(id(node))
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
        else:
            visiting.discard(id(node))
            sizes[id(node)] = min(cap + 1, 1 + sum(sizes.get(id(c), 1) for c in children))
    return sizes.get(id(root), 1)


class _Handler(YAMLHandler):
    def __init__(self, limits: Limits):
        super().__init__()
        self.limits = limits
        self.loader = _loader_class(limits)

    def load(self, fm: str, **kwargs):
        size = len(fm.encode("utf-8", "surrogatepass"))
        if size > self.limits.yaml_bytes:
            raise YamlLimitError(self.limits.exceeded("yaml_bytes", size, "de grootte van de kop"))
        return yaml.load(fm, Loader=self.loader)


def load_front_matter(text: str, limits: Limits = DEFAULT_LIMITS):
    """``frontmatter.loads`` with the limits above. Raises ``yaml.YAMLError`` (``YamlLimitError`` for a limit)."""
    return frontmatter.loads(text, handler=_Handler(limits))
