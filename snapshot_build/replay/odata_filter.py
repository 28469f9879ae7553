"""The ``$filter`` subset of OData v3 that CBS clients use: parser and row predicates.

Supported: ``Field eq 'value'``, ``substringof('x',Field)``, ``startswith(Field,'x')``, combined
with ``and`` / ``or`` (``and`` binds tighter) and parentheses. Anything else is a
:class:`FilterError` naming the bit that could not be parsed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "And",
    "Eq",
    "FilterError",
    "FilterNode",
    "Or",
    "StartsWith",
    "SubstringOf",
    "compile_filter",
    "filter_fields",
    "matches",
    "parse_filter",
]


class FilterError(ValueError):
    """A ``$filter`` expression uses syntax this feed does not implement."""


@dataclass(frozen=True)
class Eq:
    """``Field eq 'value'``: exact string comparison (CBS keys are padded)."""

    field: str
    value: str


@dataclass(frozen=True)
class SubstringOf:
    """``substringof('needle',Field)``: the needle occurs in the field's value."""

    needle: str
    field: str


@dataclass(frozen=True)
class StartsWith:
    """``startswith(Field,'prefix')``: the field's value starts with the prefix."""

    field: str
    prefix: str


@dataclass(frozen=True)
class And:
    """Both sides match."""

    left: FilterNode
    right: FilterNode


@dataclass(frozen=True)
class Or:
    """At least one side matches."""

    left: FilterNode
    right: FilterNode


FilterNode = Eq | SubstringOf | StartsWith | And | Or

_TOKEN_RE = re.compile(
    r"(?P<string>'(?:[^']|'')*')"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<number>-?\d+(?:\.\d+)?)"
    r"|(?P<punct>[(),])"
)
_KEYWORDS = {"and", "or", "eq"}
_UNSUPPORTED_OPERATORS = {"ne", "gt", "ge", "lt", "le", "not", "add", "sub", "mul", "div", "mod"}


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    pos: int


def _tokenise(expression: str) -> list[_Token]:
    """Split a ``$filter`` expression into tokens, or fail naming the bit that is not a token."""
    tokens: list[_Token] = []
    pos = 0
    while pos < len(expression):
        if expression[pos].isspace():
            pos += 1
            continue
        match = _TOKEN_RE.match(expression, pos)
        if match is None:
            bit = expression[pos : pos + 20]
            if bit.startswith("'"):
                raise FilterError(f"unterminated string literal at position {pos}: {bit!r}")
            raise FilterError(f"cannot parse $filter at position {pos}: {bit!r}")
        kind = match.lastgroup or ""
        tokens.append(_Token(kind, match.group(), pos))
        pos = match.end()
    return tokens


class _Parser:
    """Recursive-descent parser: ``or`` binds weaker than ``and``; parentheses group."""

    def __init__(self, expression: str) -> None:
        self.tokens = _tokenise(expression)
        self.index = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self, what: str) -> _Token:
        token = self.peek()
        if token is None:
            raise FilterError(f"$filter ends where {what} was expected")
        self.index += 1
        return token

    def expect_punct(self, char: str) -> None:
        token = self.take(repr(char))
        if token.text != char:
            raise FilterError(f"expected {char!r} at position {token.pos}, found {token.text!r}")

    def expect_string(self) -> str:
        token = self.take("a string literal")
        if token.kind == "number":
            raise FilterError(f"number literals are not supported: {token.text!r}")
        if token.kind != "string":
            raise FilterError(
                f"expected a string literal at position {token.pos}, found {token.text!r}"
            )
        return token.text[1:-1].replace("''", "'")

    def expect_property(self) -> str:
        token = self.take("a property name")
        if token.kind != "name" or token.text in _KEYWORDS:
            raise FilterError(
                f"expected a property name at position {token.pos}, found {token.text!r}"
            )
        return token.text

    def parse(self) -> FilterNode:
        node = self.parse_or()
        token = self.peek()
        if token is not None:
            raise FilterError(f"unexpected {token.text!r} at position {token.pos}")
        return node

    def parse_or(self) -> FilterNode:
        node = self.parse_and()
        while (token := self.peek()) is not None and token.text == "or":
            self.index += 1
            node = Or(node, self.parse_and())
        return node

    def parse_and(self) -> FilterNode:
        node = self.parse_primary()
        while (token := self.peek()) is not None and token.text == "and":
            self.index += 1
            node = And(node, self.parse_primary())
        return node

    def parse_primary(self) -> FilterNode:
        token = self.take("a condition")
        if token.text == "(":
            node = self.parse_or()
            self.expect_punct(")")
            return node
        if token.kind != "name" or token.text in _KEYWORDS:
            raise FilterError(
                f"a condition cannot start with {token.text!r} (position {token.pos})"
            )
        following = self.peek()
        if token.text == "substringof":
            self.expect_punct("(")
            needle = self.expect_string()
            self.expect_punct(",")
            prop = self.expect_property()
            self.expect_punct(")")
            return SubstringOf(needle, prop)
        if token.text == "startswith":
            self.expect_punct("(")
            prop = self.expect_property()
            self.expect_punct(",")
            prefix = self.expect_string()
            self.expect_punct(")")
            return StartsWith(prop, prefix)
        if token.text in _UNSUPPORTED_OPERATORS:
            raise FilterError(f"unsupported operator {token.text!r} at position {token.pos}")
        if following is not None and following.text == "(":
            raise FilterError(f"unsupported function {token.text!r} at position {token.pos}")
        operator = self.take("an operator")
        if operator.text in _UNSUPPORTED_OPERATORS:
            raise FilterError(f"unsupported operator {operator.text!r} at position {operator.pos}")
        if operator.text != "eq":
            raise FilterError(
                f"expected 'eq' after {token.text!r} at position {operator.pos}, "
                f"found {operator.text!r}"
            )
        return Eq(token.text, self.expect_string())


def parse_filter(expression: str) -> FilterNode:
    """Parse the ``$filter`` subset CBS clients use.

    Parameters
    ----------
    expression : str
        For example ``"(WijkenEnBuurten eq 'GM0080    ') or substringof('0080',Codering_3)"``.
        Supported: ``Field eq 'value'``, ``substringof('x',Field)``, ``startswith(Field,'x')``,
        combined with ``and`` / ``or`` (``and`` binds tighter) and parentheses.

    Returns
    -------
    FilterNode
        The expression tree.

    Raises
    ------
    FilterError
        For anything else (other operators and functions, number literals, bad syntax); the
        message names the bit that could not be parsed.
    """
    if not expression.strip():
        raise FilterError("empty $filter")
    return _Parser(expression).parse()


def filter_fields(node: FilterNode) -> frozenset[str]:
    """Return the property names an expression refers to."""
    if isinstance(node, And | Or):
        return filter_fields(node.left) | filter_fields(node.right)
    return frozenset({node.field})


def _as_text(value: Any) -> str | None:
    """Return a field value as the text a filter compares with (None never matches)."""
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def compile_filter(
    node: FilterNode, getter: Callable[[str], Callable[[Any], Any]]
) -> Callable[[Any], bool]:
    """Turn an expression tree into a predicate over rows.

    Comparisons are on the raw (padded) value and case-sensitive: ``eq`` needs the padded key
    (``'GM0080    '``); ``substringof`` and ``startswith`` work with an unpadded needle because
    padding is trailing. A null value never matches.

    Parameters
    ----------
    node : FilterNode
        A tree from :func:`parse_filter`.
    getter : callable
        ``getter(field)`` returns a function that reads that field from a row.

    Returns
    -------
    callable
        ``predicate(row) -> bool``.
    """
    if isinstance(node, And):
        left, right = compile_filter(node.left, getter), compile_filter(node.right, getter)
        return lambda row: left(row) and right(row)
    if isinstance(node, Or):
        left, right = compile_filter(node.left, getter), compile_filter(node.right, getter)
        return lambda row: left(row) or right(row)
    read = getter(node.field)
    if isinstance(node, Eq):
        value = node.value
        return lambda row: _as_text(read(row)) == value
    if isinstance(node, SubstringOf):
        needle = node.needle
        return lambda row: (text := _as_text(read(row))) is not None and needle in text
    prefix = node.prefix
    return lambda row: (text := _as_text(read(row))) is not None and text.startswith(prefix)


def matches(node: FilterNode, row: Mapping[str, Any]) -> bool:
    """Return whether one record (a mapping) satisfies an expression; a missing field is null."""
    return compile_filter(node, lambda name: lambda r: r.get(name))(row)
