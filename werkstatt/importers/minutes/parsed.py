"""What the parser recognised in a document: a session, its items and the findings about them.

Texts are normalised (NFC, known variant spellings corrected through ``core.text.normalise_text``),
results are sanitised rich text (``core.richtext.sanitise_html``). Nothing here is in the database
yet: persons and organisations are names as written; ``services`` matches them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

INFO = "info"  # something was corrected on the way in (a known typo); not uncertain
WARNING = "warning"  # recognised, but uncertain or incomplete: highlighted in the preview
ERROR = "error"  # cannot be imported like this: nothing is stored
LEVELS = (INFO, WARNING, ERROR)


@dataclass(frozen=True)
class Finding:
    level: str  # INFO, WARNING or ERROR
    message: str  # German, names the place: "Zeile 14: Datum „24.1.24“ als 24.01.2024 gelesen."
    where: str = ""  # the block's place ("Zeile 14"), empty for the document as a whole
    line: int | None = None  # index into SourceDocument.lines, for highlighting


@dataclass
class ParsedPerson:
    """A person (or a group such as "Alle Werkstattmitglieder") as the minutes name them."""

    raw: str  # as written (normalised), e.g. "Prof. Dr.-Ing. Eckart Kramer, Hochschule für …"
    title: str = ""  # academic title, e.g. "Prof. Dr.-Ing."
    given_name: str = ""
    family_name: str = ""
    function: str = ""  # as stated then, e.g. "Werkstattsprecher"
    organization: str = ""  # as stated, e.g. "Wirtschaftsregion Lausitz"; empty if none
    group_label: str = ""  # instead of a person; then the name fields are empty

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.title, self.given_name, self.family_name) if part)


@dataclass
class ParsedPlace:
    raw: str
    description: str = ""  # building or room, e.g. "Bürgerzentrum"
    street_address: str = ""
    postal_code: str = ""
    locality: str = ""
    online: bool = False  # a video conference; then the address fields may be empty


@dataclass
class ParsedProject:
    """A project an item presents or discusses."""

    title: str  # without quotes, e.g. "WerteGesellschaft Lausitz"
    instrument: str = ""  # projects.workflow.FundingInstrument value if the text says ("stark"); else ""
    kind_label: str = ""  # as written: "STARK-Projekt", "Investitionsprojekt"
    outcome: str = ""  # projects.models.ConsultationOutcome value where the minutes state one for this session
    lead_workshop: int | None = None  # "in der federführenden Werkstatt 2"
    lead_outcome: str = ""  # the outcome the minutes report from the lead workshop
    lead_date: dt.date | None = None  # when the lead workshop heard it, e.g. 16.01.2024


@dataclass
class ParsedItem:
    number: str  # "1", "4.1"
    title: str
    kind: str  # meetings.models.AgendaItemKind value
    note: str = ""  # plain text, e.g. the focus areas under TOP 3
    presenters: list[ParsedPerson] = field(default_factory=list)
    result: str = ""  # sanitised HTML, lists kept as lists
    approves_number: int | None = None  # minutes approval: "Protokolls der 15. Sitzung"
    approves_date: dt.date | None = None  # "vom 21.11.2023"
    projects: list[ParsedProject] = field(default_factory=list)
    where: str = ""
    line: int | None = None


@dataclass
class ParsedSession:
    workshop_number: int | None = None
    workshop_name: str = ""
    number: int | None = None
    date: dt.date | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    place: ParsedPlace | None = None
    chair: ParsedPerson | None = None
    minute_taker: ParsedPerson | None = None
    attachments: list[str] = field(default_factory=list)
    items: list[ParsedItem] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == WARNING]

    @property
    def previous_session(self) -> tuple[int | None, dt.date | None] | None:
        """The session whose minutes this one approved (number, date), if an item says so."""
        for item in self.items:
            if item.approves_number is not None or item.approves_date is not None:
                return item.approves_number, item.approves_date
        return None
