"""SHACL constraints as SPARQL violation patterns, for :mod:`samkart.shacl.compiler`.

Every constraint gives a *violation pattern*, a SPARQL group with a solution for each violation at a focus
node. The forms are chosen for how pyoxigraph evaluates them, each measured on 10M synthetic triples (CPU s):
- FILTER NOT EXISTS is evaluated once per solution, which grows quadratically with the data, so no
  top-level query uses it. A top-level "no value on the path" (sh:minCount, sh:hasValue,
  sh:qualifiedMinCount) is ``OPTIONAL { … } FILTER(!BOUND(…))``, a lookup per focus node (1.4 s against
  2.9 s with ``MINUS``, which hashes every triple of the path); "no such class" is ``MINUS`` (hashing the
  class's members is cheaper than a lookup per value: 1.6 s against 2.0 s).
- sh:node and sh:or of shapes that each ask for something to be there (:func:`_presence`) are ``MINUS``
  of that pattern (sh:or of two classes: 0.35 s against 6.4 s as nested NOT EXISTS).
- Classes are a VALUES block or the one class, not ``FILTER(?t IN …)`` (which reads every rdf:type triple).
Inside a referenced shape the focus is bound from outside the group, where MINUS would remove nothing,
so NOT EXISTS stays there (or an expression, where the shape's constraints need no triple pattern).
Subclass closures (sh:class) come from the rdfs:subClassOf triples of the data, as in pyshacl.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import count
from typing import NamedTuple

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Identifier, Node

from samkart.errors import SamkartError
from samkart.namespaces import SH

PARAMETERS = {SH[n] for n in (
    "targetClass targetSubjectsOf targetObjectsOf path property minCount maxCount class datatype nodeKind "
    "hasValue in languageIn uniqueLang lessThanOrEquals qualifiedValueShape qualifiedMinCount qualifiedMaxCount "
    "qualifiedValueShapesDisjoint or node not sparql severity message name description order group deactivated "
    "select prefixes declare prefix namespace minInclusive maxInclusive minExclusive maxExclusive").split()}
"""The sh: predicates we know how to compile (or that carry no constraint); any other is an error."""

NODE_KINDS: dict[Node, str] = {SH.IRI: "isIRI({v})", SH.BlankNode: "isBlank({v})", SH.Literal: "isLiteral({v})",
              SH.BlankNodeOrIRI: "!isLiteral({v})", SH.BlankNodeOrLiteral: "!isIRI({v})",
              SH.IRIOrLiteral: "!isBlank({v})"}
PYTHON_TYPES: dict[Node, type] = {XSD.integer: int, XSD.float: float, XSD.boolean: bool}
"""Datatypes whose parsed value pyshacl checks beyond rdflib's ill-typed flag (dates via ill_typed)."""
INTEGER_SUBTYPES = {XSD.nonNegativeInteger, XSD.positiveInteger, XSD.nonPositiveInteger, XSD.negativeInteger,
                    XSD.long, XSD.int, XSD.short, XSD.byte, XSD.unsignedLong, XSD.unsignedInt, XSD.unsignedShort,
                    XSD.unsignedByte}
"""Types oxigraph stores as xsd:integer: a shape that asks for one cannot be checked on an oxigraph store."""
RANGES: dict[Node, str] = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
NOT_CONSTRAINTS = {SH[n] for n in (
    "targetClass targetSubjectsOf targetObjectsOf path severity message name description order group").split()}
"""Parameters of a shape that carry no constraint (or none that matters where the shape is referenced)."""
PATH_ONLY = {SH.minCount, SH.maxCount, SH.uniqueLang, SH.qualifiedMinCount, SH.qualifiedMaxCount}
"""Parameters that constrain a path's values, so only a property shape may have them."""
Ctx = tuple[str, str | None] | None
"""How a value node was reached: (subject, predicate IRI or None), or None at a focus node."""


class UnsupportedShape(SamkartError):
    """A shape uses a SHACL feature this validator does not compile."""


class Violation(NamedTuple):
    """One compiled constraint: a group with a solution per violation at the focus node, the variables that
    tell its results apart, the component's name, (for a constraint on the focus node itself that needs
    no triple pattern) the same as a FILTER expression, and whether the group is the path's triples with a
    condition on the value alone (then evaluated value first, see :func:`_query`)."""

    pattern: str
    keys: list[str]
    name: str
    test: str | None = None
    per_value: bool = False


@dataclass
class Compiler:
    """Compiles shapes of one shapes graph against one store (subclass closures, ill-typed literals)."""

    shapes: Graph
    store: ox.Store
    names: "count[int]" = field(default_factory=count)  # a string: itertools.count is not subscriptable at run time
    closures: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    ill_typed: dict[tuple[Node, str | None], list[str]] = field(default_factory=dict)
    stack: list[Node] = field(default_factory=list)

    def var(self, stem: str = "v") -> str:
        """A fresh SPARQL variable."""
        return f"?_{stem}{next(self.names)}"

    def one(self, node: Node, param: URIRef) -> Node | None:
        """The single value of ``param`` on ``node`` (or None)."""
        return self.shapes.value(node, param)

    def select(self, query: str) -> ox.QuerySolutions:
        """The solutions of a SELECT ``query`` on the union of the store's graphs."""
        solutions = self.store.query(query, use_default_graph_as_union=True)
        if not isinstance(solutions, ox.QuerySolutions):
            raise TypeError(f"a SELECT query was expected: {query}")
        return solutions

    def subclasses(self, cls: Node) -> list[str]:
        """The class and all its subclasses (rdfs:subClassOf* in the data), as SPARQL IRIs."""
        if not self.closures:
            down: dict[str, set[str]] = {}
            for row in self.select(f"SELECT DISTINCT ?s ?o WHERE {{ ?s <{RDFS.subClassOf}> ?o }}"):
                if isinstance(row["s"], ox.NamedNode) and isinstance(row["o"], ox.NamedNode):
                    down.setdefault(row["o"].value, set()).add(row["s"].value)
            self.closures["down"] = down
        seen: set[str] = set()
        todo = [str(cls)]
        while todo:
            c = todo.pop()
            if c not in seen:
                seen.add(c)
                todo.extend(self.closures["down"].get(c, ()))
        return [f"<{c}>" for c in sorted(seen)]


# ---- shapes graph helpers ------------------------------------------------------------------------

def sorted_nodes(nodes: Iterable[Node]) -> list[Identifier]:
    """Nodes of the shapes graph in rdflib's order (a parsed graph's nodes are all identifiers, not formulas)."""
    found = list(nodes)
    terms = [n for n in found if isinstance(n, Identifier)]
    if len(terms) != len(found):
        raise UnsupportedShape("a shapes graph with formulas (graphs as nodes) is not supported")
    return sorted(terms)


def sparql_term(node: Node | None) -> str:
    """An IRI or literal of the shapes graph in SPARQL syntax (blank nodes cannot be named)."""
    if isinstance(node, (URIRef, Literal)):
        return node.n3()
    raise UnsupportedShape(f"a blank node ({node}) as a constraint value is not supported")


def _path(c: Compiler, shape: Node) -> str | None:
    """The SPARQL property path of a property shape (IRI or sh:inversePath of an IRI), else None."""
    path = c.one(shape, SH.path)
    if path is None or isinstance(path, URIRef):
        return f"<{path}>" if path else None
    inverse = c.one(path, SH.inversePath)
    if isinstance(inverse, URIRef) and len(set(c.shapes.predicate_objects(path))) == 1:
        return f"^<{inverse}>"
    raise UnsupportedShape(f"shape {shape}: only IRI paths and sh:inversePath of an IRI are supported")


def check_parameters(c: Compiler, shape: Node) -> None:
    """Refuse a shape that uses an sh: predicate we do not compile."""
    for p in set(c.shapes.predicates(shape)):
        if str(p).startswith(str(SH)) and p not in PARAMETERS:
            raise UnsupportedShape(f"shape {shape} uses {p}, which fastshacl does not support")
    if c.one(shape, SH.qualifiedValueShapesDisjoint) == Literal(True):
        raise UnsupportedShape(f"shape {shape} uses sh:qualifiedValueShapesDisjoint true")
    if c.shapes.value(shape, SH.deactivated) == Literal(True):
        raise UnsupportedShape(f"shape {shape} is sh:deactivated; remove it or teach fastshacl")


def _items(c: Compiler, head: Node) -> list[Node]:
    """The members of an RDF list in the shapes graph."""
    return list(Collection(c.shapes, head))


def _integer(obj: Node) -> int:
    """The value of a count parameter (sh:minCount …), an integer literal."""
    if not isinstance(obj, Literal):
        raise UnsupportedShape(f"a count must be an integer literal, not {obj}")
    return int(obj)

# ---- violation patterns --------------------------------------------------------------------------

def _distinct_values(c: Compiler, focus: str, path: str, n: int, test: Callable[[str], str] | None = None,
                     first: str | None = None) -> str:
    """A pattern matching ``n`` pairwise different values of ``path`` (each passing ``test``); ``first``
    names the variable of the first value (default: a fresh one)."""
    vs = [first or c.var()] + [c.var() for _ in range(n - 1)]
    parts = [f"{focus} {path} {v} ." + (f" FILTER({test(v)})" if test else "") for v in vs]
    parts += [f"FILTER(!sameTerm({a}, {b}))" for i, a in enumerate(vs) for b in vs[i + 1:]]
    return " ".join(parts)


def _conforms(c: Compiler, shape: Node, node: str, ctx: Ctx = None) -> str:
    """A SPARQL expression: true iff ``node`` conforms to ``shape`` (no violation of any constraint)."""
    present = _presence(c, shape, node, ctx)
    if present:
        return f"EXISTS {{ {present} }}"
    c.stack.append(shape)
    found = violations(c, shape, node, ctx=ctx)
    c.stack.pop()
    if not found:
        return "true"
    if all(v.test for v in found):  # tests on the node itself: no pattern to evaluate per node
        return "!(" + " || ".join(f"({v.test})" for v in found) + ")"
    return "NOT EXISTS { " + " UNION ".join(f"{{ {v.pattern} }}" for v in found) + " }"


def _presence(c: Compiler, shape: Node, node: str, ctx: Ctx = None) -> str | None:
    """A group with a solution exactly when ``node`` conforms to ``shape``, for a shape whose one constraint
    asks for something to be there (sh:class, sh:minCount or sh:hasValue on a path, and sh:node, sh:or or
    sh:property of such shapes); None for any other shape. A top-level sh:node or sh:or on such shapes then
    compiles to ``MINUS`` (a hash join) instead of a NOT EXISTS per value, which pyoxigraph evaluates
    slowly (sh:or of two classes at 10M triples: 6.4 s against 0.35 s)."""
    if shape in c.stack:
        raise UnsupportedShape(f"recursive shape reference through {shape}")
    check_parameters(c, shape)
    constraints = [(p, o) for p, o in c.shapes.predicate_objects(shape)
                   if str(p).startswith(str(SH)) and p not in NOT_CONSTRAINTS]
    if len(constraints) != 1:
        return None
    (param, obj), path = constraints[0], _path(c, shape)
    c.stack.append(shape)
    try:
        if path:
            if param == SH.minCount and _integer(obj) > 0:
                return _distinct_values(c, node, path, _integer(obj))
            return f"{node} {path} {sparql_term(obj)} ." if param == SH.hasValue else None
        if param == SH["class"]:
            return _typed(c, obj, node)
        if param in (SH.node, SH.property):
            return _presence(c, obj, node, ctx)
        return _any_present(c, _items(c, obj), node, ctx) if param == SH["or"] else None
    finally:
        c.stack.pop()


def _any_present(c: Compiler, shapes: list[Node], node: str, ctx: Ctx) -> str | None:
    """A group with a solution when ``node`` conforms to one of ``shapes`` (see :func:`_presence`), or None."""
    groups = [_presence(c, s, node, ctx) for s in shapes]
    if not groups or None in groups:
        return None
    return " UNION ".join(f"{{ {g} }}" for g in groups)


def violations(c: Compiler, shape: Node, focus: str, properties: bool = True, ctx: Ctx = None) -> list[Violation]:
    """Every constraint of ``shape`` (and of its sh:property shapes if ``properties``) as
    (violation pattern at ``focus``, result key variables, component name). ``ctx`` is (subject, predicate
    IRI or None) of the triple that reached ``focus``, for the integer-subtype marks of :func:`samkart.shacl.fast.load_store`."""
    check_parameters(c, shape)
    path = _path(c, shape)
    value = c.var() if path else focus
    values = f"{focus} {path} {value} ." if path else ""
    if path:
        ctx = (focus, path[1:-1] if path.startswith("<") else None)
    out = []
    for param, obj in sorted(c.shapes.predicate_objects(shape)):
        compiled = _constraint(c, shape, param, obj, focus, path, value, values, ctx)
        if compiled:
            out.append(compiled)
    for prop in sorted_nodes(c.shapes.objects(shape, SH.property)) if properties else ():
        if not path:
            out += [Violation(v.pattern, [], v.name) for v in violations(c, prop, focus)]
        else:
            raise UnsupportedShape(f"sh:property on property shape {shape}")
    return out


def _constraint(c: Compiler, shape: Node, param: Node, obj: Node, focus: str, path: str | None, value: str,
                values: str, ctx: Ctx) -> Violation | None:
    """One constraint component as a :class:`Violation`, None for non-constraints."""
    name = str(param).removeprefix(str(SH))
    if param in PATH_ONLY:
        if not path:
            raise UnsupportedShape(f"{name} on node shape {shape}")
        return _path_constraint(c, shape, param, obj, focus, path, ctx)
    if param == SH.hasValue:
        return _has_value(c, obj, focus, path)
    keys = [value] if path else []
    if param in (SH["class"], SH.node, SH["or"]) and not c.stack:
        found = _absence_at_top(c, param, obj, value, values, ctx, keys, per_value=bool(path))
        if found:
            return found
    if param == SH.lessThanOrEquals:
        return _less_than_or_equals(c, obj, focus, value, values)
    test = _value_test(c, shape, param, obj, value, ctx)
    if not test:
        return None
    return Violation(f"{values} FILTER({test})", keys, name, None if path else test, per_value=bool(path))


def _path_constraint(c: Compiler, shape: Node, param: Node, obj: Node, focus: str, path: str,
                     ctx: Ctx) -> Violation | None:
    """sh:minCount, sh:maxCount, sh:uniqueLang and the qualified counts: constraints on a path's values."""
    if param == SH.minCount:
        v = c.var()
        return Violation(_absent(c, _distinct_values(c, focus, path, _integer(obj), first=v), v), [], "minCount")
    if param == SH.maxCount:
        return Violation(_distinct_values(c, focus, path, _integer(obj) + 1), [], "maxCount")
    if param == SH.uniqueLang:
        return _unique_lang(c, focus, path) if obj == Literal(True) else None
    return _qualified(c, shape, param, _integer(obj), focus, path, ctx)


def _has_value(c: Compiler, obj: Node, focus: str, path: str | None) -> Violation:
    """sh:hasValue: no such value on the path (or, on a node shape, the focus node is not it)."""
    if path:
        if c.stack:
            return Violation(_absent(c, f"{focus} {path} {sparql_term(obj)}"), [], "hasValue")
        v = c.var()
        return Violation(_absent(c, f"{focus} {path} {v} . FILTER(sameTerm({v}, {sparql_term(obj)}))", v), [],
                         "hasValue")
    test = f"!sameTerm({focus}, {sparql_term(obj)})"
    return Violation(f"FILTER({test})", [], "hasValue", test)


def _absence_at_top(c: Compiler, param: Node, obj: Node, value: str, values: str, ctx: Ctx, keys: list[str],
                    per_value: bool) -> Violation | None:
    """sh:class, and sh:node or sh:or of shapes that ask for something to be there, at the top level: the values
    ``MINUS`` what is there (see the module notes); None where sh:node or sh:or needs a per-value test."""
    name = str(param).removeprefix(str(SH))
    if param == SH["class"]:
        return Violation(f"{values} {_absent(c, _typed(c, obj, value))}", keys, name, per_value=per_value)
    present = _presence(c, obj, value, ctx) if param == SH.node else _any_present(c, _items(c, obj), value, ctx)
    return Violation(f"{values} MINUS {{ {present} }}", keys, name, per_value=per_value) if present else None


def _less_than_or_equals(c: Compiler, obj: Node, focus: str, value: str, values: str) -> Violation:
    """sh:lessThanOrEquals: a value greater than (or not comparable with) a value of the other property."""
    other = c.var("o")
    ok = f"IF(isIRI({value}) && isIRI({other}), STR({value}) <= STR({other}), {value} <= {other})"
    return Violation(f"{values} {focus} <{obj}> {other} . FILTER(!COALESCE({ok}, false))", [value, other],
                     "lessThanOrEquals")


def _absent(c: Compiler, pattern: str, var: str | None = None) -> str:
    """A violation when ``pattern`` (which binds the focus node) has no solution. Inside a referenced shape
    FILTER NOT EXISTS (the focus is bound from outside the group); at the top level, with ``var`` (a fresh
    variable every solution of ``pattern`` binds), OPTIONAL + !BOUND: a lookup per focus node; without,
    MINUS: a hash of the pattern's solutions (see the module notes)."""
    if c.stack:
        return f"FILTER NOT EXISTS {{ {pattern} }}"
    if var:
        return f"OPTIONAL {{ {pattern} }} FILTER(!BOUND({var}))"
    return f"MINUS {{ {pattern} }}"


def _typed(c: Compiler, cls: Node, v: str) -> str:
    """A pattern matching when ``v`` is typed ``cls`` or one of its subclasses. The classes are a VALUES
    block (or the one class), not ``FILTER(?t IN …)``: pyoxigraph then reads only those classes' members
    instead of every rdf:type triple (a class check at 10M triples: 1.2 s against 2.4 s)."""
    classes = c.subclasses(cls)
    if len(classes) == 1:
        return f"{v} <{RDF.type}> {classes[0]} ."
    t = c.var("t")
    return f"VALUES {t} {{ {' '.join(classes)} }} {v} <{RDF.type}> {t} ."


def _value_test(c: Compiler, shape: Node, param: Node, obj: Node, v: str, ctx: Ctx) -> str | None:
    """A FILTER expression true when value node ``v`` violates a per-value constraint (None if not one)."""
    if param == SH["class"]:
        return f"NOT EXISTS {{ {_typed(c, obj, v)} }}"
    if param == SH.datatype:
        return _datatype_test(c, obj, v, ctx)
    if param == SH.nodeKind:
        return "!" + NODE_KINDS[obj].format(v=v)
    if param in RANGES:  # incomparable values violate too
        return f"!COALESCE({v} {RANGES[param]} {sparql_term(obj)}, false)"
    if param == SH["in"]:
        return "!(" + " || ".join(f"sameTerm({v}, {sparql_term(i)})" for i in _items(c, obj)) + ")"
    if param == SH.languageIn:
        tags = " || ".join(f"langMatches(LANG({v}), {Literal(str(t)).n3()})" for t in _items(c, obj))
        return f"!isLiteral({v}) || !({tags or 'false'})"
    if param == SH.node:
        return "!" + _conforms(c, obj, v, ctx)
    if param == SH["not"]:
        return _conforms(c, obj, v, ctx)
    if param == SH["or"]:
        return "!(" + " || ".join(f"({_conforms(c, s, v, ctx)})" for s in _items(c, obj)) + ")"
    if param == SH.sparql and c.stack:
        raise UnsupportedShape(f"sh:sparql in shape {shape} referenced from another shape")
    return None


def _datatype_test(c: Compiler, datatype: Node, v: str, ctx: Ctx) -> str:
    """True when ``v`` is not a well-formed literal of ``datatype`` (ill-typed per rdflib, as pyshacl)."""
    if datatype == RDFS.Literal:
        return f"!isLiteral({v})"
    if datatype in INTEGER_SUBTYPES:
        raise UnsupportedShape(f"sh:datatype {datatype}: oxigraph stores integer subtypes as xsd:integer, so it "
                               "cannot be checked here; use xsd:integer with sh:minInclusive/sh:maxInclusive")
    if not isinstance(datatype, URIRef):
        raise UnsupportedShape(f"sh:datatype {datatype} is not an IRI")
    bad = "".join(f" || sameTerm({v}, {lit})" for lit in _ill_typed(c, datatype, ctx[1] if ctx else None))
    return f"!isLiteral({v}) || DATATYPE({v}) != <{datatype}>{bad}"


def _ill_typed(c: Compiler, datatype: URIRef, predicate: str | None) -> list[str]:
    """The literals of ``datatype`` in the store that rdflib (hence pyshacl) finds ill-formed: among the
    objects of ``predicate`` when the values are reached through it (an index lookup), else among all."""
    if datatype in (RDF.langString, XSD.string):
        return []
    if (datatype, predicate) not in c.ill_typed:
        triple = f"?s <{predicate}> ?o" if predicate else "?s ?p ?o"
        rows = c.select(f"SELECT DISTINCT ?o WHERE {{ {triple} FILTER(isLiteral(?o) && DATATYPE(?o) = <{datatype}>) }}")
        lits = [Literal(row["o"].value, datatype=datatype) for row in rows]
        want = PYTHON_TYPES.get(datatype)
        c.ill_typed[datatype, predicate] = [lit.n3() for lit in lits
                                            if lit.ill_typed or (want and not isinstance(lit.value, want))]
    return c.ill_typed[datatype, predicate]


def _unique_lang(c: Compiler, focus: str, path: str) -> Violation:
    """Violation per focus node and language tag used by two different values."""
    a, b, lang = c.var(), c.var(), c.var("lang")
    pattern = (f"{focus} {path} {a} . {focus} {path} {b} . BIND(LCASE(LANG({a})) AS {lang}) "
               f"FILTER(!sameTerm({a}, {b}) && {lang} != \"\" && {lang} = LCASE(LANG({b})))")
    return Violation(pattern, [lang], "uniqueLang")


def _qualified(c: Compiler, shape: Node, param: Node, n: int, focus: str, path: str, ctx: Ctx) -> Violation | None:
    """sh:qualifiedMinCount / sh:qualifiedMaxCount: too few / too many values conforming to the qualified shape."""
    qshape = c.one(shape, SH.qualifiedValueShape)
    if qshape is None:
        raise UnsupportedShape(f"shape {shape}: {param} without sh:qualifiedValueShape")

    def test(v: str) -> str:
        return _conforms(c, qshape, v, ctx)

    if param == SH.qualifiedMaxCount:
        return Violation(_distinct_values(c, focus, path, n + 1, test), [], "qualifiedMaxCount")
    if n == 0:
        return None
    v = c.var()
    return Violation(_absent(c, _distinct_values(c, focus, path, n, test, first=v), v), [], "qualifiedMinCount")
