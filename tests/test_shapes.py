"""The SHACL shapes themselves: they parse, are well-formed SHACL, and every one of them fires.

The firing test builds one small graph by hand in which every rule is broken once, validates it, and
checks that each shape in ``shapes/tradekg.shacl.ttl`` reported something, with a message naming a field.
"""

from __future__ import annotations

import warnings

import pyoxigraph
import pytest
from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SH, SKOS

from tradekg.annotation import Document
from tradekg.gazetteer import Gazetteer
from tradekg.namespaces import SCHEMA, TK, TKDOC
from tradekg.resources import load_ontology, shapes_path
from tradekg.validate import Validator

DOC_ID = "shape-test"
DOC = TKDOC[DOC_ID]
# A plain Namespace: pytest probing rdflib's closed XSD namespace at collection time makes it warn.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
TEXT = "The US asked Japan to cut tariffs on rice. Japan said it would think about it."


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(shapes_path(), format="turtle")


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator(Gazetteer.load())


def shape_names(shapes: Graph) -> set[str]:
    """Every top-level shape: the ones with a target."""
    targets = (SH.targetClass, SH.targetSubjectsOf, SH.targetNode, SH.targetObjectsOf)
    return {str(s).rsplit("#", 1)[-1] for t in targets for s in shapes.subjects(t, None) if isinstance(s, URIRef)}


def test_shapes_parse_in_rdflib_and_pyoxigraph(shapes):
    store = pyoxigraph.Store()
    store.load(path=str(shapes_path()), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(shapes) > 300


def test_shapes_are_well_formed_shacl(shapes):
    # pySHACL's meta-SHACL check validates the shapes graph against the SHACL-SHACL shapes (W3C).
    conforms, _, text = shacl_validate(Graph(), shacl_graph=shapes, meta_shacl=True)
    assert conforms, text


def test_every_constraint_has_a_message_naming_its_field(shapes):
    top = {s for s in shapes.subjects(RDF.type, SH.PropertyShape)} | {
        s for s in shapes.subjects(RDF.type, SH.NodeShape) if (s, SH.message, None) in shapes
    }
    assert len(top) > 100
    for shape in top:
        messages = [str(m) for m in shapes.objects(shape, SH.message)]
        for sparql in shapes.objects(shape, SH.sparql):
            messages += [str(m) for m in shapes.objects(sparql, SH.message)]
        assert messages, f"{shape} has no sh:message"
        for message in messages:
            assert "(field '" in message or "(tk:" in message, f"{shape}: {message!r} names no field"


def test_sparql_constraints_declare_their_prefixes(shapes):
    sparqls = list(shapes.subject_objects(SH.sparql))
    assert len(sparqls) == 2
    for _shape, node in sparqls:
        prefixes = shapes.value(node, SH.prefixes)
        declared = {str(p) for d in shapes.objects(prefixes, SH.declare) for p in shapes.objects(d, SH.prefix)}
        assert {"tk", "dcterms", "xsd"} <= declared


def test_every_event_class_and_ingestible_class_has_shapes(shapes):
    targeted = set(shapes.objects(None, SH.targetClass))
    ontology = load_ontology()
    event_classes = set(ontology.transitive_subjects(RDFS.subClassOf, TK.Event))
    assert len(event_classes) >= 15
    others = {TK.NewsArticle, TK.Evidence, TK.Statistic, TK.Negotiation, TK.NegotiationRound, TK.Actor,
              TK.UnnamedSource, TK.Artifact}
    missing = {str(c).rsplit("#", 1)[-1] for c in event_classes | others if c not in targeted}
    assert not missing, f"classes without a shape: {sorted(missing)}"


# -- one graph that breaks every rule once -----------------------------------------------------------------

def _everything_wrong() -> Document:
    g = Graph(identifier=DOC)
    n = 0

    def mint(local: str, cls: URIRef | None = None, label: str | None = None) -> URIRef:
        iri = URIRef(f"{DOC}#{local}")
        if cls is not None:
            g.add((iri, RDF.type, cls))
        if label is not None:
            g.add((iri, RDFS.label, Literal(label)))
        return iri

    def iri_lit() -> URIRef:  # an IRI where text belongs
        return URIRef(f"{DOC}#not-text")

    d = lambda s: Literal(s, datatype=XSD.date)  # noqa: E731
    us = mint("us", TK.Country, "United States")
    japan = mint("japan", TK.Country, "Japan")
    person = mint("someone", TK.Person, "Someone")
    rice = mint("rice", TK.TradeItem, "rice")

    # A good article, with a quote at the wrong offsets and an event dated after publication.
    g.add((DOC, RDF.type, TK.NewsArticle))
    g.add((DOC, TK.fullText, Literal(TEXT)))
    g.add((DOC, DCTERMS.title, Literal("Test")))
    g.add((DOC, DCTERMS.date, d("2025-04-19")))
    g.add((DOC, TK.publisherName, Literal("Test Wire")))

    def event(local: str, cls: URIRef, *, date: str | None = "2025-04-16", attributed: bool = True,
              evidence: bool = True) -> URIRef:
        nonlocal n
        n += 1
        e = mint(local, cls)
        g.add((e, TK.source, DOC))
        if date:
            g.add((e, TK.date, d(date)))
        if attributed:
            g.add((e, TK.attributedTo, us))
        if evidence:
            ev = URIRef(f"{e}-evidence")
            g.add((e, TK.evidence, ev))
            g.add((ev, RDF.type, TK.Evidence))
            g.add((ev, TK.quote, Literal(TEXT[:18])))
            g.add((ev, TK.startOffset, Literal(0)))
            g.add((ev, TK.endOffset, Literal(18)))
            g.add((ev, TK.inArticle, DOC))
        return e

    # Articles missing everything, and with everything ill-formed.
    bare = mint("bare-article", TK.NewsArticle)
    bad = mint("bad-article", TK.NewsArticle)
    g.add((bad, TK.fullText, iri_lit()))
    g.add((bad, DCTERMS.title, Literal("One")))
    g.add((bad, DCTERMS.title, Literal("Two")))
    g.add((bad, DCTERMS.date, d("2025-02-30")))
    g.add((bad, TK.publisher, person))
    g.add((bad, TK.publisherName, iri_lit()))
    g.add((bad, SCHEMA.url, Literal("not an address")))
    g.add((bad, DCTERMS.language, Literal("english!")))
    assert bare

    # Events with provenance problems.
    moved = event("quote-moved", TK.Claim)
    g.set((URIRef(f"{moved}-evidence"), TK.startOffset, Literal(1)))
    g.set((URIRef(f"{moved}-evidence"), TK.endOffset, Literal(19)))
    event("dated-later", TK.Claim, date="2025-05-01")
    orphan = mint("orphan", TK.Claim)  # no source, no evidence, no date, no attribution
    wrong_ev = event("wrong-evidence", TK.Claim, evidence=False)
    g.add((wrong_ev, TK.evidence, rice))
    lost = event("quote-not-found", TK.Claim, evidence=False)
    lost_ev = URIRef(f"{lost}-evidence")
    g.add((lost, TK.evidence, lost_ev))
    g.add((lost_ev, RDF.type, TK.Evidence))
    g.add((lost_ev, TK.quote, Literal("words that are not in the article")))
    g.add((lost_ev, TK.inArticle, DOC))
    odd_ev = URIRef(f"{DOC}#odd-evidence")  # no quote, no article, bad offsets
    g.add((odd_ev, RDF.type, TK.Evidence))
    g.add((odd_ev, TK.startOffset, Literal(-1)))
    g.add((odd_ev, TK.endOffset, Literal("x")))

    # Events whose fields hold the wrong kind of value.
    odd = event("odd-values", TK.Event)
    g.add((odd, TK.date, d("2025-04-15")))
    for prop in (TK.timeNote, TK.content, TK.reason, TK.channel, TK.hedge, TK.trigger):
        g.add((odd, prop, iri_lit()))
    g.add((odd, TK.summary, Literal("one")))
    g.add((odd, TK.summary, Literal("two")))
    g.add((odd, TK.topic, Literal("a topic")))
    g.add((odd, TK.partOf, Literal("round one")))
    g.add((odd, TK.attributedTo, rice))
    g.add((odd, TK.reportingStatus, TK.Curated))
    g.add((odd, TK.extractionMethod, TK.Reported))
    g.add((odd, TK.confidence, Literal("2", datatype=XSD.decimal)))
    for prop in (TK.location, TK.host, TK.object, TK.inResponseTo):
        g.add((odd, prop, person if prop != TK.inResponseTo else rice))
    g.add((odd, TK.host, person))
    for role in ("agent", "addressee", "participant", "requester", "claimant", "complainant", "giver",
                 "recipient", "inviter", "invitee", "announcer", "notifier", "imposer", "threatener",
                 "appearedBy", "target"):
        g.add((odd, TK[role], rice))

    # Each kind of event without its who and what.
    meeting = event("meeting", TK.Meeting)
    g.add((meeting, TK.participant, us))
    event("call", TK.Call)
    event("visit", TK.Visit)
    event("agreement", TK.Agreement)
    event("commitment", TK.Commitment)
    event("request", TK.Request)
    self_request = event("self-request", TK.Request)
    g.add((self_request, TK.requester, us))
    g.add((self_request, TK.addressee, us))
    event("claim", TK.Claim)
    event("complaint", TK.Complaint)
    event("gift", TK.Gift)
    self_gift = event("self-gift", TK.Gift)
    g.add((self_gift, TK.giver, us))
    g.add((self_gift, TK.recipient, us))
    event("invitation", TK.Invitation)
    self_invite = event("self-invitation", TK.Invitation)
    g.add((self_invite, TK.inviter, japan))
    g.add((self_invite, TK.invitee, japan))
    event("announcement", TK.Announcement)
    event("notification", TK.Notification)
    self_note = event("self-notification", TK.Notification)
    g.add((self_note, TK.notifier, japan))
    g.add((self_note, TK.addressee, japan))
    event("tariff-action", TK.TariffAction)
    event("threat", TK.Threat)
    event("appearance", TK.MediaAppearance)

    # Statistics: one empty, one with wrong values.
    event("empty-stat", TK.Statistic, date=None)
    stat = event("bad-stat", TK.Statistic, date=None)
    g.add((stat, TK.value, Literal("ten thousand", datatype=XSD.decimal)))
    g.add((stat, TK.statisticSource, person))
    g.add((stat, TK.comparison, TK.Reported))
    g.add((stat, TK.contradicts, rice))
    g.add((stat, TK.supports, rice))

    # Negotiations, rounds, actors and things.
    neg = mint("negotiation", TK.Negotiation)
    g.add((neg, TK.party, rice))
    rnd = mint("round", TK.NegotiationRound)
    g.add((rnd, TK.roundNumber, Literal(0)))
    g.add((rnd, TK.location, person))
    group = mint("nameless", TK.UnnamedSource)
    g.add((group, TK.affiliation, rice))
    g.add((group, TK.nationality, person))
    g.add((group, TK.memberOf, rice))
    g.add((group, TK.wikidata, Literal("123")))
    g.add((group, TK.iso3166, Literal("jpn")))
    with warnings.catch_warnings():  # rdflib warns about the ill-typed boolean this test wants
        warnings.simplefilter("ignore")
        g.add((group, TK.isNew, Literal("maybe", datatype=XSD.boolean)))
    mint("unaffiliated", TK.UnnamedSource, "some sources")
    mint("thing", TK.Artifact)
    item = mint("item", TK.TradeItem)
    g.add((item, TK.hsCode, Literal("abc")))
    mint("idea", SKOS.Concept)
    assert orphan and n
    return Document(DOC_ID, DOC, g, None, {})


@pytest.fixture(scope="module")
def everything_wrong(validator):
    return validator.validate(_everything_wrong())


def test_every_shape_fires(shapes, everything_wrong):
    fired = {f.shape for f in everything_wrong.findings}
    silent = shape_names(shapes) - fired
    assert not silent, f"shapes that never fired: {sorted(silent)}"


def test_every_finding_names_a_field_and_a_focus(everything_wrong):
    assert not everything_wrong.conforms
    for f in everything_wrong.findings:
        assert f.focus, f
        assert "(field '" in f.message or "(tk:" in f.message, f
        if f.field is not None:
            assert f.field.isidentifier(), f


@pytest.mark.parametrize(
    ("focus", "field", "words"),
    [
        ("quote-moved", "evidence", "not the article's text between offsets 1 and 19"),
        ("dated-later", "date", "2025-05-01 is after the article was published (2025-04-19)"),
        ("quote-not-found", "evidence", "does not occur in the article text"),
        ("self-request", "requester", "also the addressee"),
        ("self-gift", "giver", "also the recipient"),
        ("self-invitation", "inviter", "also the invitee"),
        ("self-notification", "notifier", "also the addressee"),
        ("bad-article", "published", "real calendar date"),
        ("bad-stat", "value", "must be a number"),
        ("odd-values", "requester", "must be an actor"),
        ("meeting", "participant", "at least two participants"),
    ],
)
def test_whole_article_and_core_checks_report_the_event_at_fault(everything_wrong, focus, field, words):
    hits = [f for f in everything_wrong.findings if f.focus == focus and f.field == field and words in f.message]
    assert hits, [f for f in everything_wrong.findings if f.focus == focus]
    assert hits[0].severity == "Violation"


def test_an_ill_typed_date_literal_is_refused_by_sh_datatype(validator):
    # rdflib marks "2025-02-30"^^xsd:date ill-typed; pySHACL's sh:datatype refuses ill-typed literals, so
    # no SPARQL check of the calendar is needed.
    assert Literal("2025-02-30", datatype=XSD.date).ill_typed
    doc = _minimal_request(date="2025-02-30")
    report = validator.validate(doc)
    assert [(f.severity, f.field) for f in report.violations] == [("Violation", "date")]


def test_a_minimal_request_conforms(validator):
    report = validator.validate(_minimal_request(date="2025-04-16"))
    assert report.conforms, report.findings
    assert report.events == 1
    assert report.triples == len(_minimal_request(date="2025-04-16").graph)


def _minimal_request(date: str) -> Document:
    g = Graph(identifier=DOC)
    e = URIRef(f"{DOC}#req")
    ev = URIRef(f"{e}-evidence")
    us, japan, rice = (URIRef(f"{DOC}#{x}") for x in ("us", "japan", "rice"))
    for node, cls, label in ((us, TK.Country, "US"), (japan, TK.Country, "Japan"), (rice, TK.TradeItem, "rice")):
        g.add((node, RDF.type, cls))
        g.add((node, RDFS.label, Literal(label)))
    g.add((DOC, RDF.type, TK.NewsArticle))
    g.add((DOC, TK.fullText, Literal(TEXT)))
    g.add((DOC, DCTERMS.title, Literal("Test")))
    g.add((DOC, DCTERMS.date, Literal("2025-04-19", datatype=XSD.date)))
    g.add((DOC, TK.publisherName, Literal("Test Wire")))
    for p, o in ((RDF.type, TK.Request), (TK.requester, us), (TK.addressee, japan), (TK.topic, rice),
                 (TK.source, DOC), (TK.evidence, ev), (TK.attributedTo, us),
                 (TK.date, Literal(date, datatype=XSD.date))):
        g.add((e, p, o))
    for p, o in ((RDF.type, TK.Evidence), (TK.quote, Literal(TEXT[:42])), (TK.startOffset, Literal(0)),
                 (TK.endOffset, Literal(42)), (TK.inArticle, DOC)):
        g.add((ev, p, o))
    return Document(DOC_ID, DOC, g, None, {})
