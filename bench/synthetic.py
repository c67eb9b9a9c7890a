"""Deterministic synthetic samkart data at any size (N-Quads, streamed), for benchmarks.

The generated graph uses the real ontology, concept schemes and IRI patterns and is valid under the
project's SHACL shapes. Like the real build it has one named graph per (synthetic) document, holding
that document's facts with line-span provenance, plus the registry graph (entities) and the meta
graph (documents). The ontology graph is not part of :func:`generate`; :func:`with_ontology` writes
it first, taken from ontology/ exactly as ``samkart build`` does.

    python -m samkart_bench.synthetic --triples 100000 --seed 0 /tmp/syn-100k.nq [--with-ontology]
"""

import argparse
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from rdflib import Dataset, URIRef
from rdflib.namespace import ORG

from samkart.graph.build import sorted_lines
from samkart.graph.project import load_ontology
from samkart.namespaces import CPSV, CV, ONTOLOGY_GRAPH, SK
from samkart.settings import Settings

from . import blocks as b
from . import subjects as s
from .emit import BASE, Emitter

TEMPLATE: dict[str, float] = {
    # block kind: expected number per document (the real graph's mix per ministry area, see the report)
    "agency": 8.4, "public-company": 0.65, "unit": 0.55, "municipal": 0.3, "company": 0.45,
    "interest-organisation": 0.18, "coordination-body": 1.9, "person": 0.18, "change": 0.18,
    "common-solution": 1.5, "service": 0.3, "strategy": 1.9, "action-plan": 0.3, "measure": 1.2,
    "reassess": 0.9, "project": 1.5, "programme": 0.65, "funding-scheme": 0.95, "white-paper": 0.55,
    "roadmap": 0.3, "portfolio": 0.4, "agreement": 0.25, "life-event": 0.18,
}
BUILDERS = {
    "government": b.government, "ministry": b.ministry, "agency": b.agency, "public-company": b.public_company,
    "unit": b.unit, "municipal": b.municipal, "company": b.company, "interest-organisation": b.interest,
    "coordination-body": b.body, "person": b.person, "change": b.change,
    "common-solution": s.common_solution, "service": s.service, "strategy": s.strategy,
    "action-plan": s.action_plan, "plan-section": s.action_plan, "measure": s.measure, "reassess": s.reassess,
    "project": s.project, "programme": s.programme, "funding-scheme": s.funding, "white-paper": s.white_paper,
    "roadmap": s.roadmap, "portfolio": s.portfolio, "agreement": s.agreement, "life-event": s.life_event,
}
DOC_TYPES = {"fact-sheet": ("faktaark", 35), "action-plan-chapter": ("handlingsplankapittel", 20),
             "experience-report": ("erfaringsrapport", 20), "press-release": ("pressemelding", 15),
             "strategy-foreword": ("strategiforord", 10)}
DOC_TRIPLES = 850
"""About how many triples one synthetic document holds (sets the spread of issue years)."""
FIRST_YEAR, YEARS = 2014, 12
REPORTED = {"organisations": ORG.Organization, "participations": CV.Participation, "memberships": ORG.Membership,
            "services": CPSV.PublicService, "measures": SK.Measure, "status assessments": SK.StatusAssessment,
            "statements": URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement"),
            "documents": URIRef("http://xmlns.com/foaf/0.1/Document")}


class Generator:
    """Streams one synthetic dataset of about ``target`` triples; same target and seed, same bytes."""

    def __init__(self, target: int, seed: int = 0, base: str = BASE):
        self.target = target
        self.rng = random.Random(seed)
        self.em = Emitter(base)
        self.world = b.World(self.rng)
        self.docs_estimate = max(1, target // DOC_TRIPLES)
        self.documents = 0

    def lines(self) -> Iterator[str]:
        """N-Quads lines (each ending in a newline), document by document, until the target is reached."""
        while self.em.triples < self.target:
            self.documents += 1
            yield from self.document(self.documents)

    def document(self, n: int) -> list[str]:
        """Every line of synthetic document ``n``: its entities, facts, registry provenance and metadata."""
        self.em.start_document(f"synthetic-{n}")
        self.world.measures_before = self.world.count["measure"]
        doc_type = self.rng.choices(list(DOC_TYPES), [w for _, w in DOC_TYPES.values()])[0]
        d = b.Doc(self.em, self.world, self.rng, self.issued(n, doc_type))
        d.builders = BUILDERS
        if n == 1:
            b.government(d)
        b.ministry(d)
        publishers = [b.eid("ministry", d.home)] + ([b.eid("government", 1)] if d.chance(0.15) else [])
        word = DOC_TYPES[doc_type][0]
        self.em.document(f"Syntetisk {word} {n}", d.issued, f"synthetic-{n}.txt", doc_type, publishers,
                         f"Synthetic {doc_type.replace('-', ' ')} number {n}, generated for benchmarks.")
        for kind in self.schedule():
            if self.em.triples + len(self.em.refs) >= self.target:
                break
            BUILDERS[kind](d)
        return self.em.finish_document()

    def schedule(self) -> list[str]:
        """The blocks of one document: the template's expected counts, rounded at random, shuffled."""
        kinds = []
        for kind, expected in TEMPLATE.items():
            kinds += [kind] * (int(expected) + (self.rng.random() < expected % 1))
        self.rng.shuffle(kinds)
        return kinds

    def issued(self, n: int, doc_type: str) -> str:
        """Issue dates rise with the document number; forewords carry a full date, the rest a year."""
        year = FIRST_YEAR + min(YEARS - 1, (n - 1) * YEARS // self.docs_estimate)
        if doc_type == "strategy-foreword":
            return f"{year}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"
        return str(year)

    def summary(self) -> dict[str, int]:
        """Counts of what was generated so far: triples, documents and the main kinds of node."""
        counts = {"triples": self.em.triples, "synthetic documents": self.documents}
        counts.update({name: self.em.classes[str(cls)] for name, cls in REPORTED.items() if name != "documents"})
        return counts


def generate(target_triples: int, seed: int = 0) -> Iterator[str]:
    """N-Quads lines of a synthetic dataset of about ``target_triples`` triples (ontology graph excluded)."""
    return Generator(target_triples, seed).lines()


def ontology_nquads(ontology_dir: Path | None = None) -> bytes:
    """The ontology graph as ``samkart build`` writes it: ontology/*.ttl in graph <https://w3id.org/samkart/def>."""
    ds = Dataset()
    graph = ds.graph(URIRef(ONTOLOGY_GRAPH))
    for triple in load_ontology(ontology_dir or Settings().ontology_dir):
        graph.add(triple)
    return sorted_lines(ds.serialize(format="nquads"))


def write(path: Path | str, target_triples: int, seed: int = 0, ontology: bool = False) -> dict[str, int]:
    """Write a synthetic .nq file atomically (temporary file, then rename); return the counts.

    With ``ontology`` the ontology graph comes first, so the file loads on its own for benchmarks.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    gen = Generator(target_triples, seed)
    with open(tmp, "w", encoding="utf-8", newline="\n") as out:
        if ontology:
            out.write(ontology_nquads().decode("utf-8"))
        for line in gen.lines():
            out.write(line)
    tmp.replace(path)
    return gen.summary()


def with_ontology(path_out: Path | str, target: int, seed: int = 0) -> dict[str, int]:
    """Write ontology graph + synthetic data of about ``target`` triples to one .nq file."""
    return write(path_out, target, seed, ontology=True)


def main(argv: list[str] | None = None) -> int:
    """``python -m samkart_bench.synthetic --triples N [--seed S] [--with-ontology] OUT.nq``."""
    parser = argparse.ArgumentParser(prog="python -m samkart_bench.synthetic", description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="the .nq file to write")
    parser.add_argument("--triples", type=int, required=True, help="about how many triples to generate")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--with-ontology", action="store_true", help="also write the ontology graph (first)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    counts = write(args.out, args.triples, args.seed, ontology=args.with_ontology)
    seconds = time.perf_counter() - started
    for name, value in counts.items():
        print(f"{name:>20}: {value}")
    print(f"{'bytes':>20}: {args.out.stat().st_size}")
    print(f"{'seconds':>20}: {seconds:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
