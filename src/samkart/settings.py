"""The one typed settings object; every setting can be given as a SAMKART_* environment variable."""

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    """All samkart settings. Each field's description is its documentation (see docs/settings.md)."""

    model_config = SettingsConfigDict(env_prefix="SAMKART_", env_file=".env", extra="ignore")

    base: str = Field(
        "https://w3id.org/samkart/id/",
        description="Instance base IRI; every entity IRI is {base}{kind}/{slug}. Must end with '/'.",
    )
    project_dir: Path = Field(
        PROJECT_ROOT,
        description="Folder holding ontology/, shapes/, data/ and queries/.",
    )
    sources_dir: Path = Field(
        PROJECT_ROOT.parent / "shared" / "sources",
        description="Folder of the source documents (read by `samkart extract` and the re-extraction test).",
    )
    build_file: Path = Field(
        PROJECT_ROOT / "build" / "samkart.trig",
        description="Where `samkart build` writes the dataset and where other commands look for it.",
    )
    query_timeout: float = Field(
        30.0, description="Seconds a SPARQL query may run before it is stopped.", gt=0
    )
    max_rows: int = Field(
        100_000, description="Most result rows a query returns; more is an error, never a silent cut.", gt=0
    )

    host: str = Field("127.0.0.1", description="Address `samkart serve` listens on.")
    port: int = Field(8000, description="Port `samkart serve` listens on.", ge=0, le=65535)
    endpoint: str | None = Field(
        None, description="A SPARQL 1.1 query endpoint to serve instead of the embedded store (remote mode)."
    )
    data: list[Path] = Field(
        default_factory=list,
        description="RDF dataset files to serve instead of the build (any format pyoxigraph reads, by extension).",
    )
    federation: bool = Field(
        False, description="Allow SERVICE (federated) queries. Off: such queries are refused with 400."
    )
    cors_origins: list[str] = Field(
        default_factory=lambda: ["*"], description="Origins allowed to call the API from a browser (CORS)."
    )

    @property
    def data_dir(self) -> Path:
        """The data/ folder."""
        return self.project_dir / "data"

    @property
    def ontology_dir(self) -> Path:
        """The ontology/ folder."""
        return self.project_dir / "ontology"

    @property
    def shapes_dir(self) -> Path:
        """The shapes/ folder."""
        return self.project_dir / "shapes"

    @property
    def queries_dir(self) -> Path:
        """The queries/ folder."""
        return self.project_dir / "queries"
