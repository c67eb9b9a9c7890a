"""The DCAT-AP-NO catalogue of the published graph: one dataset, its dumps and the SPARQL endpoint.

Everything that is a fact about the publisher (name, organisation number, contact, licence,
public address) comes from the settings through :class:`CatalogMeta`; a missing mandatory value
is a :class:`SamkartError` naming the setting, never a guess. Every catalogue, dataset, data
service and distribution node (and also the contact, checksum and period nodes) is an IRI:
data.norge.no's harvester drops blank-node catalogues, datasets and services.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from samkart.errors import SamkartError
from samkart.formats import OTHER_MEDIA_TYPES, iana_iri
from samkart.settings import Settings

from . import DumpInfo

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
EU = "http://publications.europa.eu/resource/authority/"
NOB = URIRef(f"{EU}language/NOB")
ENG = URIRef(f"{EU}language/ENG")
NOR = URIRef(f"{EU}country/NOR")
GOVE = URIRef(f"{EU}data-theme/GOVE")
DATA_THEME = URIRef(f"{EU}data-theme")
PUBLIC = URIRef(f"{EU}access-right/PUBLIC")
SPARQLQ = URIRef(f"{EU}file-type/SPARQLQ")
SPARQL_PROTOCOL = URIRef("https://www.w3.org/TR/sparql11-protocol/")
ORG_CATALOG = "https://organization-catalog.fellesdatakatalog.digdir.no/organizations/"
KEYWORDS = (("digitalisering", "nb"), ("offentlig sektor", "nb"), ("samarbeid", "nb"),
            ("digitalisation", "en"), ("public sector", "en"), ("knowledge graph", "en"))
"""DCAT-AP-NO's (interim) IRI pattern for organisations in Enhetsregisteret."""

# Our own wording (nb + en); settings may replace them.
DEFAULT_TITLE = {
    "nb": "Samkart: hvem gjør hva i digitaliseringen av offentlig sektor",
    "en": "Samkart: who does what in Norwegian public-sector digitalisation",
}
DEFAULT_DESCRIPTION = {
    "nb": "Kunnskapsgraf over virksomhetene, strategiene, tiltakene, tjenestene og fellesløsningene i "
          "digitaliseringen av norsk offentlig sektor, og over hvilke virksomheter som samarbeider om hva. "
          "Hvert faktum viser til dokumentet og linjene det er hentet fra.",
    "en": "Knowledge graph of the bodies, strategies, measures, services and common solutions in the "
          "digitalisation of the Norwegian public sector, and of which bodies collaborate on what. "
          "Every fact points to the document and the lines it comes from.",
}


@dataclass(frozen=True)
class CatalogMeta:
    """What the catalogue says about its publisher; every field is a setting (see :func:`catalog_meta`)."""

    publisher_name: str
    publisher_iri: str
    contact_name: str
    contact_email: str
    licence: str  # an EU licence authority IRI, e.g. …/licence/CC_BY_4_0
    public_base_url: str  # where the catalogue, dumps and endpoint are published; ends with '/'
    publisher_orgnr: str | None = None  # Enhetsregisteret number; only if given, never derived
    title_nb: str = DEFAULT_TITLE["nb"]
    title_en: str = DEFAULT_TITLE["en"]
    description_nb: str = DEFAULT_DESCRIPTION["nb"]
    description_en: str = DEFAULT_DESCRIPTION["en"]
    issued: str | None = None  # xsd:date of first publication (a setting, else the documents; no clock)
    modified: str | None = None  # xsd:date of this release (a setting, else the documents; no clock)

    def __post_init__(self) -> None:
        missing = [setting for field, setting in MANDATORY.items() if not (getattr(self, field) or "").strip()]
        if missing:
            examples = "; ".join(f"{setting}={EXAMPLES[setting]}" for setting in missing)
            raise SamkartError(f"the catalogue needs {len(missing)} setting(s) that are not set: {', '.join(missing)}. "
                               f"Set them in the environment or in a .env file, e.g. {examples}")
        if not self.public_base_url.endswith("/"):
            raise SamkartError(f"the setting SAMKART_PUBLIC_BASE_URL must end with '/': {self.public_base_url}")
        if self.contact_email.startswith("mailto:") or "@" not in self.contact_email:
            raise SamkartError(f"the setting SAMKART_CONTACT_EMAIL must be a plain e-mail address: {self.contact_email}")
        if self.publisher_orgnr is not None and not (self.publisher_orgnr.isdigit() and len(self.publisher_orgnr) == 9):
            raise SamkartError(f"the setting SAMKART_PUBLISHER_ORGNR must be 9 digits: {self.publisher_orgnr}")


MANDATORY = {
    "publisher_name": "SAMKART_PUBLISHER_NAME",
    "publisher_iri": "SAMKART_PUBLISHER_IRI",
    "contact_name": "SAMKART_CONTACT_NAME",
    "contact_email": "SAMKART_CONTACT_EMAIL",
    "licence": "SAMKART_LICENCE",
    "public_base_url": "SAMKART_PUBLIC_BASE_URL",
}
"""CatalogMeta field → the setting (environment variable) that supplies it."""

EXAMPLES = {
    "SAMKART_PUBLISHER_NAME": '"Eksempeletaten"',
    "SAMKART_PUBLISHER_IRI": "https://data.example.org/org/eksempeletaten",
    "SAMKART_CONTACT_NAME": '"Dataforvaltning"',
    "SAMKART_CONTACT_EMAIL": "data@example.org",
    "SAMKART_LICENCE": "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0",
    "SAMKART_PUBLIC_BASE_URL": "https://data.example.org/samkart/",
}
"""A line to paste for each mandatory setting: placeholders (example.org), never a real organisation's values."""


def catalog_meta(settings: Settings) -> CatalogMeta:
    """The catalogue facts from the settings (fields ``publisher_name``, ``publisher_orgnr``, …).

    ``publisher_iri`` may be left out when ``publisher_orgnr`` is given: it is then the
    Enhetsregisteret IRI DCAT-AP-NO prescribes. Settings that do not exist yet read as unset.
    """

    def get(name: str) -> str | None:
        return getattr(settings, name, None) or None

    orgnr = get("publisher_orgnr")
    iri = get("publisher_iri") or (f"{ORG_CATALOG}{orgnr}" if orgnr else None)
    optional = {k: get(f"catalog_{k}") for k in ("title_nb", "title_en", "description_nb", "description_en")}
    return CatalogMeta(
        publisher_name=get("publisher_name") or "", publisher_iri=iri or "",
        contact_name=get("contact_name") or "", contact_email=get("contact_email") or "",
        licence=get("licence") or "", public_base_url=get("public_base_url") or "",
        publisher_orgnr=orgnr, issued=get("catalog_issued"), modified=get("catalog_modified"),
        **{k: v for k, v in optional.items() if v},
    )


def documents_temporal(union: Graph) -> tuple[str, str]:
    """The coverage of the source documents' years as (start, end) xsd:date strings.

    NOTE: these are full-year bounds (YYYY-01-01 … YYYY-12-31) of the earliest and latest
    year in which a source document was issued. They describe the span of years the
    documents cover, not any date stated in a document.
    """
    years = sorted({str(d)[:4] for s, d in union.subject_objects(DCTERMS.issued)
                    if (s, RDF.type, FOAF.Document) in union and str(d)[:4].isdigit()})
    if not years:
        raise SamkartError("the graph has no documents with dct:issued; cannot state the temporal coverage")
    return f"{years[0]}-01-01", f"{years[-1]}-12-31"


def documents_date(union: Graph) -> str:
    """The date of the newest source document as an xsd:date: the earliest day the built data can date
    from, and what ``dct:issued`` / ``dct:modified`` say when the settings do not (never the clock).

    NOTE: a document dated only by its year counts from 1 January of that year.
    """
    dates = sorted(str(d) for s, d in union.subject_objects(DCTERMS.issued)
                   if (s, RDF.type, FOAF.Document) in union and str(d)[:4].isdigit())
    if not dates:
        raise SamkartError("the graph has no documents with dct:issued; set SAMKART_CATALOG_ISSUED and _MODIFIED")
    newest = max(dates, key=lambda d: (d[:4], d))
    return newest if len(newest) == 10 else f"{newest[:4]}-01-01"


def with_dates(meta: CatalogMeta, union: Graph) -> CatalogMeta:
    """``meta`` with issued and modified filled from the documents where the settings leave them unset."""
    from dataclasses import replace

    if meta.issued and meta.modified:
        return meta
    fallback = documents_date(union)
    return replace(meta, issued=meta.issued or fallback, modified=meta.modified or fallback)


def catalog_graph(meta: CatalogMeta, dumps: list[DumpInfo], dump_base_url: str, endpoint_url: str,
                  sd_url: str, temporal: tuple[str, str], profile: str = "dcat-ap-no-3") -> Graph:
    """The DCAT-AP-NO catalogue: catalogue, dataset, one distribution per dump, the SPARQL data service.

    ``profile`` picks between two contradictory versions of the distribution properties:
    DCAT-AP-NO 3 (default; DCAT 3) wants ``dcat:byteSize`` as ``xsd:nonNegativeInteger`` and
    allows a SHA-256 ``spdx:checksum``; the 2.2 shapes (DCAT-AP 2.x) demand ``xsd:decimal``
    and accept only ``spdx:checksumAlgorithm_sha1``, with at most one value each. With
    ``"dcat-ap-no-2"`` the byte size is ``xsd:decimal`` and the checksum is left out (we only
    have SHA-256; SHA-1 is not computed for a deprecated profile).
    """
    if profile not in ("dcat-ap-no-2", "dcat-ap-no-3"):
        raise SamkartError(f"unknown catalogue profile {profile!r}; choose dcat-ap-no-2 or dcat-ap-no-3")
    if not dump_base_url.endswith("/"):
        raise SamkartError(f"the dump base URL must end with '/': {dump_base_url}")
    base = meta.public_base_url
    g = Graph()
    for prefix, ns in (("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF), ("vcard", VCARD),
                       ("spdx", SPDX), ("dcatap", DCATAP), ("xsd", XSD)):
        g.bind(prefix, ns)
    dataset, service = URIRef(f"{base}dataset/samkart"), URIRef(f"{base}service/sparql")
    home = URIRef(base)  # the service's home page: the query page with the named queries and links to all else
    writer = _CatalogWriter(g, meta, contact=URIRef(f"{base}catalog#contact"))
    writer.catalog(URIRef(f"{base}catalog"), dataset, service, home)
    writer.agents()
    writer.dataset(dataset, home, temporal)
    for dump in sorted(dumps, key=lambda d: d.path.name):
        writer.distribution(dataset, dump, dump_base_url, v3=profile == "dcat-ap-no-3")
    writer.service(service, dataset, home, endpoint_url, sd_url)
    return g


class _CatalogWriter:
    """Adds the catalogue's nodes to one graph, each with the publisher, contact and licence they share."""

    def __init__(self, g: Graph, meta: CatalogMeta, contact: URIRef):
        self.g, self.meta, self.contact = g, meta, contact
        self.publisher, self.licence = URIRef(meta.publisher_iri), URIRef(meta.licence)

    def texts(self, node: URIRef, prop: URIRef, nb: str, en: str) -> None:
        """A Norwegian and an English text of ``prop``."""
        self.g.add((node, prop, Literal(nb, lang="nb")))
        self.g.add((node, prop, Literal(en, lang="en")))

    def common(self, node: URIRef, identifier: str) -> None:
        """Identifier, publisher, contact point, licence and dates: what the catalogue, dataset and service share."""
        g, meta = self.g, self.meta
        g.add((node, DCTERMS.identifier, Literal(identifier)))
        g.add((node, DCTERMS.publisher, self.publisher))
        g.add((node, DCAT.contactPoint, self.contact))
        g.add((node, DCTERMS.license, self.licence))
        for prop, value in ((DCTERMS.issued, meta.issued), (DCTERMS.modified, meta.modified)):
            if value:
                g.add((node, prop, Literal(value, datatype=XSD.date)))

    def catalog(self, catalog: URIRef, dataset: URIRef, service: URIRef, home: URIRef) -> None:
        """The catalogue node, listing the dataset and the data service."""
        g, meta = self.g, self.meta
        g.add((catalog, RDF.type, DCAT.Catalog))
        self.common(catalog, str(catalog))
        self.texts(catalog, DCTERMS.title, f"Datakatalog: {meta.title_nb}", f"Data catalogue: {meta.title_en}")
        self.texts(catalog, DCTERMS.description,
                   "Katalog over kunnskapsgrafen Samkart: datasettet, nedlastbare filer og SPARQL-endepunktet.",
                   "Catalogue of the Samkart knowledge graph: the dataset, its downloadable files and the SPARQL endpoint.")
        g.add((catalog, DCTERMS.language, NOB))
        g.add((catalog, DCTERMS.spatial, NOR))
        g.add((catalog, DCAT.themeTaxonomy, DATA_THEME))
        g.add((catalog, FOAF.homepage, home))
        g.add((home, RDF.type, FOAF.Document))
        g.add((catalog, DCAT.dataset, dataset))
        g.add((catalog, DCAT.service, service))

    def agents(self) -> None:
        """The publisher and the contact point."""
        g, meta, publisher, contact = self.g, self.meta, self.publisher, self.contact
        g.add((publisher, RDF.type, FOAF.Agent))
        g.add((publisher, FOAF.name, Literal(meta.publisher_name, lang="nb")))
        if meta.publisher_orgnr:
            g.add((publisher, DCTERMS.identifier, Literal(meta.publisher_orgnr)))
        g.add((contact, RDF.type, VCARD.Organization))
        g.add((contact, RDF.type, VCARD.Kind))
        g.add((contact, VCARD.fn, Literal(meta.contact_name, lang="nb")))
        g.add((contact, VCARD.hasEmail, URIRef(f"mailto:{meta.contact_email}")))

    def dataset(self, dataset: URIRef, home: URIRef, temporal: tuple[str, str]) -> None:
        """The dataset node, with its themes, keywords, coverage and period."""
        g, meta = self.g, self.meta
        g.add((dataset, RDF.type, DCAT.Dataset))
        g.add((dataset, DCAT.landingPage, home))
        self.common(dataset, str(dataset))
        self.texts(dataset, DCTERMS.title, meta.title_nb, meta.title_en)
        self.texts(dataset, DCTERMS.description, meta.description_nb, meta.description_en)
        g.add((dataset, DCAT.theme, GOVE))
        for word, lang in KEYWORDS:
            g.add((dataset, DCAT.keyword, Literal(word, lang=lang)))
        g.add((dataset, DCTERMS.language, NOB))
        g.add((dataset, DCTERMS.spatial, NOR))
        g.add((dataset, DCTERMS.accessRights, PUBLIC))
        start, end = temporal
        period = URIRef(f"{dataset}#temporal")
        g.add((dataset, DCTERMS.temporal, period))
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        g.add((period, DCAT.startDate, Literal(start, datatype=XSD.date)))
        g.add((period, DCAT.endDate, Literal(end, datatype=XSD.date)))

    def distribution(self, dataset: URIRef, dump: DumpInfo, dump_base_url: str, v3: bool) -> None:
        """One dump as a distribution of the dataset (DCAT-AP-NO 3: with its SHA-256 checksum)."""
        g = self.g
        url = URIRef(f"{dump_base_url}{dump.path.name}")
        dist = URIRef(f"{self.meta.public_base_url}distribution/{dump.path.name}")
        g.add((dataset, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCAT.accessURL, url))
        g.add((dist, DCAT.downloadURL, url))
        g.add((dist, DCTERMS.format, URIRef(dump.file_type)))
        g.add((URIRef(dump.file_type), RDF.type, DCTERMS.MediaTypeOrExtent))  # what DCAT-AP's range wants
        _media_type(g, dist, DCAT.mediaType, dump.media_type)
        if dump.compressed:
            _media_type(g, dist, DCAT.compressFormat, OTHER_MEDIA_TYPES[".gz"])
        g.add((dist, DCAT.byteSize, Literal(str(dump.byte_size), datatype=XSD.nonNegativeInteger if v3 else XSD.decimal)))
        g.add((dist, DCTERMS.license, self.licence))
        zipped = " (gzip)" if dump.compressed else ""
        self.texts(dist, DCTERMS.title, f"Hele grafen som fil: {dump.path.name}{zipped}",
                   f"The whole graph as a file: {dump.path.name}{zipped}")
        self.texts(dist, DCTERMS.description,
                   f"Alle navngitte grafer i ett datasett ({dump.media_type}{zipped}).",
                   f"All named graphs in one dataset file ({dump.media_type}{zipped}).")
        if not v3:
            return
        checksum = URIRef(f"{dist}#sha256")
        g.add((dist, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((checksum, SPDX.checksumValue, Literal(dump.sha256, datatype=XSD.hexBinary)))

    def service(self, service: URIRef, dataset: URIRef, home: URIRef, endpoint_url: str, sd_url: str) -> None:
        """The SPARQL endpoint as a data service serving the dataset."""
        g = self.g
        g.add((service, RDF.type, DCAT.DataService))
        self.common(service, str(service))
        self.texts(service, DCTERMS.title, "SPARQL-endepunkt for Samkart", "SPARQL endpoint of Samkart")
        self.texts(service, DCTERMS.description, "Lesetilgang til hele kunnskapsgrafen med SPARQL 1.1-spørringer.",
                   "Read access to the whole knowledge graph through SPARQL 1.1 queries.")
        g.add((service, DCAT.endpointURL, URIRef(endpoint_url)))
        g.add((service, DCAT.endpointDescription, URIRef(sd_url)))
        g.add((service, DCAT.servesDataset, dataset))
        g.add((service, DCAT.landingPage, home))
        for word, lang in KEYWORDS + (("SPARQL", "nb"), ("SPARQL", "en")):
            g.add((service, DCAT.keyword, Literal(word, lang=lang)))
        g.add((service, DCTERMS.language, NOB))
        g.add((service, DCAT.theme, GOVE))
        g.add((service, DCTERMS.format, SPARQLQ))
        g.add((SPARQLQ, RDF.type, DCTERMS.MediaTypeOrExtent))
        g.add((service, DCTERMS.accessRights, PUBLIC))
        g.add((service, DCTERMS.conformsTo, SPARQL_PROTOCOL))
        g.add((SPARQL_PROTOCOL, RDF.type, DCTERMS.Standard))
        g.add((SPARQL_PROTOCOL, DCTERMS.title, Literal("SPARQL 1.1 Protocol", lang="en")))
        g.add((SPARQL_PROTOCOL, SKOS.prefLabel, Literal("SPARQL 1.1 Protocol", lang="en")))  # data.norge.no reads this


def _media_type(g: Graph, node: URIRef, prop: URIRef, media_type: str) -> None:
    """An IANA media type (DCAT-AP-NO 3's IRI form), typed and named as harvesters read it."""
    iri = URIRef(iana_iri(media_type))
    g.add((node, prop, iri))
    g.add((iri, RDF.type, DCTERMS.MediaType))
    g.add((iri, DCTERMS.identifier, Literal(media_type)))
    g.add((iri, DCTERMS.title, Literal(media_type)))
