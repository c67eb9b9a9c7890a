"""Our SHACL shapes compiled to SPARQL SELECT queries (run by :mod:`samkart.shacl.fast` on pyoxigraph).

Each constraint of a shape becomes one query over all its focus nodes (never one query per node).
Only the SHACL features our ``shapes/*.ttl`` use are compiled (see ``patterns.PARAMETERS``);
a shape using anything else raises :class:`UnsupportedShape` naming it, rather than being skipped.

Every constraint gives a violation pattern (:mod:`samkart.shacl.patterns`); this module joins each with
its shape's targets: class targets as plain triple patterns (each query ends in SELECT DISTINCT; the
DISTINCT subquery cost a fifth of a check at 10M triples), and a condition on a path's values alone
value first (:func:`_query`). Subclass closures of sh:targetClass come from the data, as in pyshacl.
"""

import re
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from samkart.namespaces import SH

from .findings import SEVERITIES
from .patterns import Compiler, UnsupportedShape, Violation, check_parameters, sorted_nodes, sparql_term, violations

__all__ = ["Check", "UnsupportedShape", "compile_shapes"]


@dataclass
class Check:
    """One compiled top-level constraint: a query and how to report its rows."""

    query: str
    severity: str
    message: str
    path: str
    source: str
    sparql: bool = False


def _target(c: Compiler, shape: Node, distinct: bool = True) -> str:
    """A group binding ``?this`` to each focus node of ``shape`` (UnsupportedShape without targets). With ``distinct``
    (as a SPARQL constraint's own aggregates need) each focus node once, in a DISTINCT subquery. Without,
    class targets are plain triple patterns, a node typed with two of the classes bound twice: the checks
    end in SELECT DISTINCT, and the subquery cost a fifth of a check at 10M triples; the other targets
    (subjects or objects of a predicate, many times over) stay in the subquery."""
    parts = []
    classes = sorted({cls for t in c.shapes.objects(shape, SH.targetClass) for cls in c.subclasses(t)})
    if classes:
        parts.append(f"?this <{RDF.type}> {classes[0]} ." if len(classes) == 1 else
                     f"VALUES ?_class {{ {' '.join(classes)} }} ?this <{RDF.type}> ?_class .")
    others = [o for p in (SH.targetSubjectsOf, SH.targetObjectsOf) for o in c.shapes.objects(shape, p)]
    if parts and not distinct and not others:
        return parts[0]
    for param, pattern in ((SH.targetSubjectsOf, "?this ?_p ?_x ."), (SH.targetObjectsOf, "?_x ?_p ?this .")):
        preds = sorted_nodes(c.shapes.objects(shape, param))
        if preds:
            parts.append(f"VALUES ?_p {{ {' '.join(sparql_term(p) for p in preds)} }} {pattern}")
    if not parts:  # never for a top shape: it is one because it has targets
        raise UnsupportedShape(f"shape {shape} has no targets")
    return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(f"{{ {p} }}" for p in parts) + " } }"


def _severity(c: Compiler, shape: Node) -> str:
    """The shape's severity as the report names it (default sh:Violation)."""
    sev = c.one(shape, SH.severity) or SH.Violation
    return SEVERITIES.get(sev, str(sev)) if isinstance(sev, URIRef) else str(sev)


def _message(c: Compiler, node: Node, component: str, constraint: Node) -> str:
    """The sh:message of ``node`` (first by text), else pyshacl's generic message where it is node-free."""
    messages = sorted(str(m) for m in c.shapes.objects(node, SH.message))
    if messages:
        return messages[0]
    ns = c.shapes.namespace_manager
    generic = {"nodeKind": "Value is not of Node Kind {}", "datatype": "Value is not Literal with datatype {}"}
    if component in generic:
        value = c.one(constraint, SH[component])
        if not isinstance(value, URIRef):  # never: a node kind or datatype that compiled is an IRI
            raise UnsupportedShape(f"sh:{component} of {constraint} is not an IRI")
        return generic[component].format(value.n3(ns))
    if component == "uniqueLang":
        return "More than one String shares the same Language"
    return f"{component} constraint of {constraint} not satisfied"


def _checks(c: Compiler, top: Node, shape: Node) -> list[Check]:
    """The queries for one shape (the top shape itself or one of its sh:property shapes) on the top shape's targets."""
    checks = []
    path = c.one(shape, SH.path)
    target = _target(c, top, distinct=False)
    for found in violations(c, shape, "?this", properties=False):
        checks.append(Check(_query(found, target), _severity(c, shape), _message(c, shape, found.name, shape),
                            str(path or ""), str(shape)))
    for constraint in sorted_nodes(c.shapes.objects(shape, SH.sparql)):
        checks.append(_sparql_check(c, shape, constraint, _target(c, top)))
    if shape == top:
        for prop in sorted_nodes(c.shapes.objects(shape, SH.property)):
            checks += _checks(c, top, prop)
    return checks


def _query(found: Violation, target: str) -> str:
    """The SELECT of one top-level constraint on its targets. A per-value condition (sh:class, sh:datatype,
    sh:in, sh:node … on a path) runs value first: the path's triples that violate it, in a subquery, then
    joined with the targets; pyoxigraph scans a predicate's triples with a cheap condition much faster than
    it looks each target's values up (sh:datatype on skos:prefLabel at 10M triples: 1.0 s against 2.2 s)."""
    keys = " ".join(found.keys)
    if found.per_value:
        return f"SELECT DISTINCT ?this {keys} WHERE {{ {{ SELECT ?this {keys} WHERE {{ {found.pattern} }} }} {target} }}"
    return f"SELECT DISTINCT ?this {keys} WHERE {{ {target} {found.pattern} }}"


def _sparql_check(c: Compiler, shape: Node, constraint: Node, target: str) -> Check:
    """An sh:SPARQLConstraint: its SELECT with the shape's targets joined in first (pre-binding ``$this``)."""
    check_parameters(c, constraint)
    select = str(c.one(constraint, SH.select) or "")
    if not select or re.search(r"\$(PATH|value|shapesGraph|currentShape)\b", select):
        raise UnsupportedShape(f"SPARQL constraint {constraint}: needs sh:select without $PATH/$value/$shapesGraph")
    where = re.search(r"\bWHERE\s*\{", select, re.I) or re.search(r"\{", select)
    if where is None:
        raise UnsupportedShape(f"SPARQL constraint {constraint}: sh:select has no WHERE group")
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
    tops = sorted_nodes({s for p in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf) for s in shapes.subjects(p)})
    for p in (SH.targetNode, SH.target):
        if next(shapes.subjects(p), None) is not None:
            raise UnsupportedShape(f"{p} is not supported")
    if next(shapes.subjects(RDF.type, RDFS.Class), None) is not None:
        raise UnsupportedShape("implicit class targets (a shape that is an rdfs:Class) are not supported")
    return [check for top in tops for check in _checks(c, top, top)]
