"""Our SHACL shapes compiled to SPARQL SELECT queries (run by :mod:`samkart.shacl.fast` on pyoxigraph).

Each constraint of a shape becomes one query over all its focus nodes (never one query per node).
Only the SHACL features our ``shapes/*.ttl`` use are compiled (see ``PARAMETERS``);
a shape using anything else raises :class:`UnsupportedShape` naming it, rather than being skipped.

How a shape compiles: every constraint gives a *violation pattern*, a SPARQL group with a solution for each
violation at a focus node ``?F``. Top-level queries join it with the shape's targets; a shape referenced by
sh:node, sh:or, sh:not or sh:qualifiedValueShape is checked on a value node ``?V`` with
``NOT EXISTS { {violation 1} UNION {violation 2} … }`` (the node conforms iff no violation exists).
A top-level "no such value" violation (sh:minCount, sh:hasValue, sh:qualifiedMinCount, sh:class) is written
``MINUS { … }`` rather than ``FILTER NOT EXISTS { … }``: the same solutions there (the group binds the focus
node the targets bound before it, and its fresh variables occur nowhere else), but pyoxigraph evaluates
FILTER NOT EXISTS once per solution, which grew quadratically with the data (measured at 3M triples:
4.1 s against 0.4 s with MINUS for one check). Inside a referenced shape the focus is bound from outside
the group, where MINUS would remove nothing, so NOT EXISTS stays there.
Subclass closures (sh:targetClass, sh:class) come from the rdfs:subClassOf triples of the data, as in pyshacl.
"""

import re
from dataclasses import dataclass, field
from itertools import count

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, XSD

from samkart.errors import SamkartError
from samkart.namespaces import SH

from .findings import SEVERITIES

PARAMETERS = {SH[n] for n in (
    "targetClass targetSubjectsOf targetObjectsOf path property minCount maxCount class datatype nodeKind "
    "hasValue in languageIn uniqueLang lessThanOrEquals qualifiedValueShape qualifiedMinCount qualifiedMaxCount "
    "qualifiedValueShapesDisjoint or node not sparql severity message name description order group deactivated "
    "select prefixes declare prefix namespace minInclusive maxInclusive minExclusive maxExclusive").split()}
"""The sh: predicates we know how to compile (or that carry no constraint); any other is an error."""

NODE_KINDS = {SH.IRI: "isIRI({v})", SH.BlankNode: "isBlank({v})", SH.Literal: "isLiteral({v})",
              SH.BlankNodeOrIRI: "!isLiteral({v})", SH.BlankNodeOrLiteral: "!isIRI({v})",
              SH.IRIOrLiteral: "!isBlank({v})"}
PYTHON_TYPES = {XSD.integer: int, XSD.float: float, XSD.boolean: bool}
"""Datatypes whose parsed value pyshacl checks beyond rdflib's ill-typed flag (dates via ill_typed)."""
INTEGER_SUBTYPES = {XSD.nonNegativeInteger, XSD.positiveInteger, XSD.nonPositiveInteger, XSD.negativeInteger,
                    XSD.long, XSD.int, XSD.short, XSD.byte, XSD.unsignedLong, XSD.unsignedInt, XSD.unsignedShort,
                    XSD.unsignedByte}
"""Types oxigraph stores as xsd:integer: a shape that asks for one cannot be checked on an oxigraph store."""
RANGES = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}


class UnsupportedShape(SamkartError):
    """A shape uses a SHACL feature this validator does not compile."""


@dataclass
class Check:
    """One compiled top-level constraint: a query and how to report its rows."""

    query: str
    severity: str
    message: str
    path: str
    source: str
    sparql: bool = False


@dataclass
class Compiler:
    """Compiles shapes of one shapes graph against one store (subclass closures, ill-typed literals)."""

    shapes: Graph
    store: ox.Store
    names: count = field(default_factory=count)
    closures: dict = field(default_factory=dict)
    ill_typed: dict = field(default_factory=dict)
    stack: list = field(default_factory=list)

    def var(self, stem: str = "v") -> str:
        """A fresh SPARQL variable."""
        return f"?_{stem}{next(self.names)}"

    def one(self, node, param):
        """The single value of ``param`` on ``node`` (or None)."""
        return self.shapes.value(node, param)

    def subclasses(self, cls) -> list[str]:
        """The class and all its subclasses (rdfs:subClassOf* in the data), as SPARQL IRIs."""
        if not self.closures:
            down: dict[str, set[str]] = {}
            for row in self.store.query(f"SELECT DISTINCT ?s ?o WHERE {{ ?s <{RDFS.subClassOf}> ?o }}",
                                        use_default_graph_as_union=True):
                if isinstance(row["s"], ox.NamedNode) and isinstance(row["o"], ox.NamedNode):
                    down.setdefault(row["o"].value, set()).add(row["s"].value)
            self.closures["down"] = down
        seen, todo = set(), [str(cls)]
        while todo:
            c = todo.pop()
            if c not in seen:
                seen.add(c)
                todo.extend(self.closures["down"].get(c, ()))
        return [f"<{c}>" for c in sorted(seen)]


# ---- shapes graph helpers ------------------------------------------------------------------------

def _sparql_term(node) -> str:
    """An IRI or literal of the shapes graph in SPARQL syntax (blank nodes cannot be named)."""
    if isinstance(node, (URIRef, Literal)):
        return node.n3()
    raise UnsupportedShape(f"a blank node ({node}) as a constraint value is not supported")


def _path(c: Compiler, shape):
    """The SPARQL property path of a property shape (IRI or sh:inversePath of an IRI), else None."""
    path = c.one(shape, SH.path)
    if path is None or isinstance(path, URIRef):
        return path and f"<{path}>"
    inverse = c.one(path, SH.inversePath)
    if isinstance(inverse, URIRef) and len(set(c.shapes.predicate_objects(path))) == 1:
        return f"^<{inverse}>"
    raise UnsupportedShape(f"shape {shape}: only IRI paths and sh:inversePath of an IRI are supported")


def _check_parameters(c: Compiler, shape) -> None:
    """Refuse a shape that uses an sh: predicate we do not compile."""
    for p in set(c.shapes.predicates(shape)):
        if str(p).startswith(str(SH)) and p not in PARAMETERS:
            raise UnsupportedShape(f"shape {shape} uses {p}, which fastshacl does not support")
    if c.one(shape, SH.qualifiedValueShapesDisjoint) == Literal(True):
        raise UnsupportedShape(f"shape {shape} uses sh:qualifiedValueShapesDisjoint true")
    if c.shapes.value(shape, SH.deactivated) == Literal(True):
        raise UnsupportedShape(f"shape {shape} is sh:deactivated; remove it or teach fastshacl")


def _items(c: Compiler, head) -> list:
    """The members of an RDF list in the shapes graph."""
    return list(Collection(c.shapes, head))

# ---- violation patterns --------------------------------------------------------------------------

def _distinct_values(c: Compiler, focus: str, path: str, n: int, test=None) -> str:
    """A pattern matching ``n`` pairwise different values of ``path`` (each passing ``test``)."""
    vs = [c.var() for _ in range(n)]
    parts = [f"{focus} {path} {v} ." + (f" FILTER({test(v)})" if test else "") for v in vs]
    parts += [f"FILTER(!sameTerm({a}, {b}))" for i, a in enumerate(vs) for b in vs[i + 1:]]
    return " ".join(parts)


def _conforms(c: Compiler, shape, node: str, ctx=None) -> str:
    """A SPARQL expression: true iff ``node`` conforms to ``shape`` (no violation of any constraint)."""
    if shape in c.stack:
        raise UnsupportedShape(f"recursive shape reference through {shape}")
    c.stack.append(shape)
    groups = [pattern for pattern, _keys, _name in _violations(c, shape, node, ctx=ctx)]
    c.stack.pop()
    return "NOT EXISTS { " + " UNION ".join(f"{{ {g} }}" for g in groups) + " }" if groups else "true"


def _violations(c: Compiler, shape, focus: str, properties: bool = True, ctx=None) -> list[tuple[str, list[str], str]]:
    """Every constraint of ``shape`` (and of its sh:property shapes if ``properties``) as
    (violation pattern at ``focus``, result key variables, component name). ``ctx`` is (subject, predicate
    IRI or None) of the triple that reached ``focus``, for the integer-subtype marks of :func:`samkart.shacl.fast.load_store`."""
    _check_parameters(c, shape)
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
    for prop in sorted(c.shapes.objects(shape, SH.property)) if properties else ():
        if not path:
            out += [(p, [], name) for p, _keys, name in _violations(c, prop, focus)]
        else:
            raise UnsupportedShape(f"sh:property on property shape {shape}")
    return out


def _constraint(c: Compiler, shape, param, obj, focus, path, value, values, ctx):
    """One constraint component as (pattern, key variables, component name), None for non-constraints."""
    name = str(param).removeprefix(str(SH))
    if param in (SH.minCount, SH.maxCount, SH.uniqueLang, SH.qualifiedMinCount, SH.qualifiedMaxCount) and not path:
        raise UnsupportedShape(f"{name} on node shape {shape}")
    if param == SH.minCount:
        return _absent(c, _distinct_values(c, focus, path, int(obj))), [], name
    if param == SH.maxCount:
        return _distinct_values(c, focus, path, int(obj) + 1), [], name
    if param == SH.hasValue:
        if path:
            return _absent(c, f"{focus} {path} {_sparql_term(obj)}"), [], name
        return f"FILTER(!sameTerm({focus}, {_sparql_term(obj)}))", [], name
    if param == SH["class"] and not c.stack:
        return f"{values} {_absent(c, _typed(c, obj, value))}", [value] if path else [], name
    if param == SH.uniqueLang:
        return _unique_lang(c, focus, path) if obj == Literal(True) else None
    if param == SH.lessThanOrEquals:
        other = c.var("o")
        ok = f"IF(isIRI({value}) && isIRI({other}), STR({value}) <= STR({other}), {value} <= {other})"
        return f"{values} {focus} <{obj}> {other} . FILTER(!COALESCE({ok}, false))", [value, other], name
    if param in (SH.qualifiedMinCount, SH.qualifiedMaxCount):
        return _qualified(c, shape, param, int(obj), focus, path, ctx)
    test = _value_test(c, shape, param, obj, value, ctx)
    return (f"{values} FILTER({test})", [value] if path else [], name) if test else None


def _absent(c: Compiler, pattern: str) -> str:
    """A violation when ``pattern`` (which binds the focus node) has no solution: MINUS at the top level,
    FILTER NOT EXISTS inside a referenced shape (see the module notes)."""
    return f"FILTER NOT EXISTS {{ {pattern} }}" if c.stack else f"MINUS {{ {pattern} }}"


def _typed(c: Compiler, cls, v: str) -> str:
    """A pattern matching when ``v`` is typed ``cls`` or one of its subclasses."""
    t = c.var("t")
    return f"{v} <{RDF.type}> {t} . FILTER({t} IN ({', '.join(c.subclasses(cls))}))"


def _value_test(c: Compiler, shape, param, obj, v: str, ctx):
    """A FILTER expression true when value node ``v`` violates a per-value constraint (None if not one)."""
    if param == SH["class"]:
        return f"NOT EXISTS {{ {_typed(c, obj, v)} }}"
    if param == SH.datatype:
        return _datatype_test(c, obj, v, ctx)
    if param == SH.nodeKind:
        return "!" + NODE_KINDS[obj].format(v=v)
    if param in RANGES:  # incomparable values violate too
        return f"!COALESCE({v} {RANGES[param]} {_sparql_term(obj)}, false)"
    if param == SH["in"]:
        return "!(" + " || ".join(f"sameTerm({v}, {_sparql_term(i)})" for i in _items(c, obj)) + ")"
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


def _datatype_test(c: Compiler, datatype, v: str, ctx) -> str:
    """True when ``v`` is not a well-formed literal of ``datatype`` (ill-typed per rdflib, as pyshacl)."""
    if datatype == RDFS.Literal:
        return f"!isLiteral({v})"
    if datatype in INTEGER_SUBTYPES:
        raise UnsupportedShape(f"sh:datatype {datatype}: oxigraph stores integer subtypes as xsd:integer, so it "
                               "cannot be checked here; use xsd:integer with sh:minInclusive/sh:maxInclusive")
    bad = "".join(f" || sameTerm({v}, {lit})" for lit in _ill_typed(c, datatype))
    return f"!isLiteral({v}) || DATATYPE({v}) != <{datatype}>{bad}"


def _ill_typed(c: Compiler, datatype) -> list[str]:
    """The literals of ``datatype`` in the store that rdflib (hence pyshacl) finds ill-formed."""
    if datatype in (RDF.langString, XSD.string):
        return []
    if datatype not in c.ill_typed:
        rows = c.store.query(f"SELECT DISTINCT ?o WHERE {{ ?s ?p ?o FILTER(isLiteral(?o) && DATATYPE(?o) = <{datatype}>) }}",
                             use_default_graph_as_union=True)
        lits = [Literal(row["o"].value, datatype=datatype) for row in rows]
        want = PYTHON_TYPES.get(datatype)
        c.ill_typed[datatype] = [lit.n3() for lit in lits
                                 if lit.ill_typed or (want and not isinstance(lit.value, want))]
    return c.ill_typed[datatype]


def _unique_lang(c: Compiler, focus: str, path: str):
    """Violation per focus node and language tag used by two different values."""
    a, b, lang = c.var(), c.var(), c.var("lang")
    pattern = (f"{focus} {path} {a} . {focus} {path} {b} . BIND(LCASE(LANG({a})) AS {lang}) "
               f"FILTER(!sameTerm({a}, {b}) && {lang} != \"\" && {lang} = LCASE(LANG({b})))")
    return pattern, [lang], "uniqueLang"


def _qualified(c: Compiler, shape, param, n: int, focus: str, path: str, ctx):
    """sh:qualifiedMinCount / sh:qualifiedMaxCount: too few / too many values conforming to the qualified shape."""
    qshape = c.one(shape, SH.qualifiedValueShape)
    if qshape is None:
        raise UnsupportedShape(f"shape {shape}: {param} without sh:qualifiedValueShape")
    test = lambda v: _conforms(c, qshape, v, ctx)
    if param == SH.qualifiedMaxCount:
        return _distinct_values(c, focus, path, n + 1, test), [], "qualifiedMaxCount"
    if n == 0:
        return None
    return _absent(c, _distinct_values(c, focus, path, n, test)), [], "qualifiedMinCount"


# ---- top-level shapes ----------------------------------------------------------------------------

def _target(c: Compiler, shape) -> str | None:
    """A subquery binding ``?this`` to each focus node of ``shape`` once, or None without targets."""
    parts = []
    classes = sorted({cls for t in c.shapes.objects(shape, SH.targetClass) for cls in c.subclasses(t)})
    if classes:
        parts.append(f"VALUES ?_class {{ {' '.join(classes)} }} ?this <{RDF.type}> ?_class .")
    for param, pattern in ((SH.targetSubjectsOf, "?this ?_p ?_x ."), (SH.targetObjectsOf, "?_x ?_p ?this .")):
        preds = sorted(c.shapes.objects(shape, param))
        if preds:
            parts.append(f"VALUES ?_p {{ {' '.join(_sparql_term(p) for p in preds)} }} {pattern}")
    return parts and "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(f"{{ {p} }}" for p in parts) + " } }"


def _severity(c: Compiler, shape) -> str:
    """The shape's severity as the report names it (default sh:Violation)."""
    sev = c.one(shape, SH.severity) or SH.Violation
    return SEVERITIES.get(sev, str(sev))


def _message(c: Compiler, node, component: str, constraint) -> str:
    """The sh:message of ``node`` (first by text), else pyshacl's generic message where it is node-free."""
    messages = sorted(str(m) for m in c.shapes.objects(node, SH.message))
    if messages:
        return messages[0]
    ns = c.shapes.namespace_manager
    generic = {"nodeKind": "Value is not of Node Kind {}", "datatype": "Value is not Literal with datatype {}"}
    if component in generic:
        return generic[component].format(c.one(constraint, SH[component]).n3(ns))
    if component == "uniqueLang":
        return "More than one String shares the same Language"
    return f"{component} constraint of {constraint} not satisfied"


def _checks(c: Compiler, top, target: str, shape) -> list[Check]:
    """The queries for one shape (the top shape itself or one of its sh:property shapes) on a target."""
    checks = []
    path = c.one(shape, SH.path)
    for pattern, keys, name in _violations(c, shape, "?this", properties=False):
        query = f"SELECT DISTINCT ?this {' '.join(keys)} WHERE {{ {target} {pattern} }}"
        checks.append(Check(query, _severity(c, shape), _message(c, shape, name, shape),
                            str(path or ""), str(shape)))
    for constraint in sorted(c.shapes.objects(shape, SH.sparql)):
        checks.append(_sparql_check(c, shape, constraint, target))
    if shape == top:
        for prop in sorted(c.shapes.objects(shape, SH.property)):
            checks += _checks(c, top, target, prop)
    return checks


def _sparql_check(c: Compiler, shape, constraint, target: str) -> Check:
    """An sh:SPARQLConstraint: its SELECT with the shape's targets joined in first (pre-binding ``$this``)."""
    _check_parameters(c, constraint)
    select = str(c.one(constraint, SH.select) or "")
    if not select or re.search(r"\$(PATH|value|shapesGraph|currentShape)\b", select):
        raise UnsupportedShape(f"SPARQL constraint {constraint}: needs sh:select without $PATH/$value/$shapesGraph")
    where = re.search(r"\bWHERE\s*\{", select, re.I) or re.search(r"\{", select)
    query = select[:where.end()] + f" {target} " + select[where.end():]
    prefixes = [(c.one(d, SH.prefix), c.one(d, SH.namespace))
                for p in c.shapes.objects(constraint, SH.prefixes) for d in c.shapes.objects(p, SH.declare)]
    header = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes))
    message = _message(c, constraint, "sparql", constraint) if c.one(constraint, SH.message) \
        else _message(c, shape, "sparql", constraint)
    return Check(header + query, _severity(c, shape), message, str(c.one(shape, SH.path) or ""),
                 str(constraint), sparql=True)


def compile_shapes(store: ox.Store, shapes: Graph) -> list[Check]:
    """Every top-level check of every targeted shape, compiled against ``store``."""
    c = Compiler(shapes, store)
    tops = sorted({s for p in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf) for s in shapes.subjects(p)})
    for p in (SH.targetNode, SH.target):
        if next(shapes.subjects(p), None) is not None:
            raise UnsupportedShape(f"{p} is not supported")
    if next(shapes.subjects(RDF.type, RDFS.Class), None) is not None:
        raise UnsupportedShape("implicit class targets (a shape that is an rdfs:Class) are not supported")
    return [check for top in tops for check in _checks(c, top, _target(c, top), top)]
