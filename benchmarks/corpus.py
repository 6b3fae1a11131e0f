"""A generator of synthetic but realistic corpora of annotation documents, deterministic with a seed.

Each document looks like the seed's annotation (``seeds/us-japan-first-round-2025-04.yaml``): an article
text, actors (gazetteer aliases and unnamed sources), a negotiation with its round, and events: meetings,
requests with trade items, claims that statistics contradict, complaints, gifts, invitations,
announcements, notifications, responses. Every event quotes a sentence of the article text, so the loader
finds its offsets and SHACL validates it. Sizes vary (2 to about 30 statements, seed-sized on average).

The actors come from the packaged gazetteer plus a generated extension file (``gazetteer-extension.ttl``:
more countries, their capitals, trade ministries and invented officials), which is passed to tradekg with
``--gazetteer``. Negotiations are weighted the way 2025 news was: many involve the United States, so a
question about one pair (US and Japan) selects a small, realistic share of a large store.

    python benchmarks/corpus.py OUT_DIR --docs 1000 [--seed 7] [--start 0]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

try:
    _Dumper: type = yaml.CSafeDumper
except AttributeError:  # libyaml missing: the pure-Python dumper writes the same YAML, slower
    _Dumper = yaml.SafeDumper

EXTENSION = "gazetteer-extension.ttl"  # beside the docs/ folder, so a folder ingest does not take it

# Packaged gazetteer countries (id, label, demonym) and the extra ones this generator adds.
PACKAGED = [
    ("united-states", "United States", "American"), ("japan", "Japan", "Japanese"),
    ("united-kingdom", "United Kingdom", "British"), ("china", "China", "Chinese"),
    ("canada", "Canada", "Canadian"), ("mexico", "Mexico", "Mexican"), ("south-korea", "South Korea", "South Korean"),
    ("india", "India", "Indian"), ("vietnam", "Vietnam", "Vietnamese"), ("indonesia", "Indonesia", "Indonesian"),
    ("philippines", "Philippines", "Philippine"), ("switzerland", "Switzerland", "Swiss"),
    ("european-union", "European Union", "European"),
]
EXTRA = [
    ("brazil", "Brazil", "Brazilian", "BR", "Brasilia"), ("argentina", "Argentina", "Argentine", "AR", "Buenos Aires"),
    ("australia", "Australia", "Australian", "AU", "Canberra"), ("chile", "Chile", "Chilean", "CL", "Santiago"),
    ("peru", "Peru", "Peruvian", "PE", "Lima"), ("colombia", "Colombia", "Colombian", "CO", "Bogota"),
    ("thailand", "Thailand", "Thai", "TH", "Bangkok"), ("malaysia", "Malaysia", "Malaysian", "MY", "Kuala Lumpur"),
    ("singapore", "Singapore", "Singaporean", "SG", "Singapore City"),
    ("new-zealand", "New Zealand", "New Zealand", "NZ", "Wellington"),
    ("turkey", "Turkey", "Turkish", "TR", "Ankara"), ("egypt", "Egypt", "Egyptian", "EG", "Cairo"),
    ("south-africa", "South Africa", "South African", "ZA", "Pretoria"),
    ("nigeria", "Nigeria", "Nigerian", "NG", "Abuja"),
    ("kenya", "Kenya", "Kenyan", "KE", "Nairobi"), ("saudi-arabia", "Saudi Arabia", "Saudi", "SA", "Riyadh"),
    ("united-arab-emirates", "United Arab Emirates", "Emirati", "AE", "Abu Dhabi"),
    ("israel", "Israel", "Israeli", "IL", "Jerusalem"), ("norway", "Norway", "Norwegian", "NO", "Oslo"),
    ("poland", "Poland", "Polish", "PL", "Warsaw"), ("ukraine", "Ukraine", "Ukrainian", "UA", "Kyiv"),
    ("pakistan", "Pakistan", "Pakistani", "PK", "Islamabad"),
    ("bangladesh", "Bangladesh", "Bangladeshi", "BD", "Dhaka"),
    ("morocco", "Morocco", "Moroccan", "MA", "Rabat"), ("cambodia", "Cambodia", "Cambodian", "KH", "Phnom Penh"),
    ("sri-lanka", "Sri Lanka", "Sri Lankan", "LK", "Colombo"), ("taiwan", "Taiwan", "Taiwanese", "TW", "Taipei"),
    ("iceland", "Iceland", "Icelandic", "IS", "Reykjavik"), ("jordan", "Jordan", "Jordanian", "JO", "Amman"),
    ("ecuador", "Ecuador", "Ecuadorian", "EC", "Quito"),
    ("guatemala", "Guatemala", "Guatemalan", "GT", "Guatemala City"),
    ("kazakhstan", "Kazakhstan", "Kazakh", "KZ", "Astana"), ("serbia", "Serbia", "Serbian", "RS", "Belgrade"),
]
ITEMS = ["rice", "wheat", "corn", "soybeans", "potatoes", "meat", "beef", "pork", "seafood", "automobiles",
         "auto-parts", "steel", "aluminum", "semiconductors", "pharmaceuticals", "aircraft", "energy-products", "lng"]
EXTRA_ITEMS = [("coffee", "Coffee", "0901"), ("textiles", "Textiles", "50"), ("copper", "Copper", "74"),
               ("lumber", "Lumber", "4407"), ("dairy-products", "Dairy products", "04"), ("fruit", "Fruit", "08"),
               ("machinery", "Machinery", "84"), ("solar-panels", "Solar panels", "854143"),
               ("critical-minerals", "Critical minerals", "2530"), ("ships", "Ships", "89")]
PLACES = ["washington-dc", "white-house", "tokyo", "london", "beijing", "geneva", "stockholm", "osaka"]
SYLLABLES = ["ka", "ren", "mo", "ta", "li", "sa", "vo", "del", "an", "mi", "ro", "to", "ne", "ha", "bel", "os",
             "ur", "ki", "da", "lin", "mar", "es", "po", "zan", "te", "fi", "qu", "ol", "ny", "ra"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
PUBLISHERS = ["Harbor Ledger", "Meridian Wire", "Trade Desk Daily", "Pacific Courier", "Atlas Business Report"]
GIFTS = ["a lacquered tea set", "a signed golf ball", "a silver fountain pen", "a framed map of old trade routes",
         "a hand-woven scarf", "a ceramic vase", "a model sailing ship", "a book of landscape photographs"]


@dataclass(frozen=True)
class Country:
    id: str
    label: str
    demonym: str
    capital: str | None  # a generated place id, or None for packaged countries


@dataclass(frozen=True)
class Official:
    id: str
    label: str
    surname: str
    country: str
    title: str


def _name(rng: random.Random) -> tuple[str, str]:
    first = "".join(rng.choice(SYLLABLES) for _ in range(2)).capitalize()
    last = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3)))).capitalize()
    return f"{first} {last}", last


class World:
    """The countries, officials, items and places every document of one corpus draws from."""

    def __init__(self, seed: int) -> None:
        rng = random.Random(f"world-{seed}")
        self.countries = [Country(i, lab, dem, None) for i, lab, dem in PACKAGED]
        self.countries += [Country(i, lab, dem, f"{i}-capital") for i, lab, dem, _iso, _cap in EXTRA]
        self.by_id = {c.id: c for c in self.countries}
        self.officials: dict[str, list[Official]] = {}
        used: set[str] = set()
        for c in self.countries:
            staff = []
            for title in ("Trade Minister", "Chief Negotiator", "Deputy Trade Minister"):
                label, surname = _name(rng)
                # The gazetteer refuses one label naming two entries: names and surnames are unique.
                while label in used or surname in used:
                    label, surname = _name(rng)
                used.update((label, surname))
                staff.append(Official(f"synth-{c.id}-{title.lower().replace(' ', '-')}", label, surname, c.id, title))
            self.officials[c.id] = staff
        self.items = ITEMS + [i for i, _l, _h in EXTRA_ITEMS]
        self.item_labels = {i: i.replace("-", " ") for i in ITEMS} | {i: lab.lower() for i, lab, _h in EXTRA_ITEMS}
        self.item_labels["lng"] = "liquefied natural gas"

    def extension_turtle(self) -> str:
        """The gazetteer extension: extra countries, capitals, ministries, officials and items."""
        out = [
            "# Generated by benchmarks/corpus.py: synthetic actors for scale tests (invented people).",
            "@prefix tk: <https://w3id.org/tradekg/ontology#> .",
            "@prefix tkid: <https://w3id.org/tradekg/id/> .",
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
            "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
            "",
        ]
        taken = _packaged_labels()
        for cid, label, _dem, iso, capital in EXTRA:
            if cid not in taken.values():  # the packaged gazetteer may hold the country already
                out.append(f'tkid:{cid} a tk:Country ; skos:prefLabel "{label}"@en ; rdfs:label "{label}"@en ; '
                           f'tk:iso3166 "{iso}" .')
            # A packaged country may have its capital as an alias: the place is then named apart.
            capital = capital if capital.lower() not in taken else f"{capital} city"
            out.append(f'tkid:{cid}-capital a tk:Place ; skos:prefLabel "{capital}"@en ; rdfs:label "{capital}"@en .')
            ministry = f"{label} Ministry of Trade"
            out.append(f'tkid:{cid}-trade-ministry a tk:GovernmentBody ; skos:prefLabel "{ministry}"@en ; '
                       f'rdfs:label "{ministry}"@en ; tk:affiliation tkid:{cid} .')
        for staff in self.officials.values():
            for o in staff:
                out.append(f'tkid:{o.id} a tk:Person ; skos:prefLabel "{o.label}"@en ; rdfs:label "{o.label}"@en ; '
                           f'skos:altLabel "{o.surname}"@en ; tk:nationality tkid:{o.country} .')
        for iid, label, hs in EXTRA_ITEMS:
            label = label if taken.get(label.lower(), iid) == iid else f"{label} (trade item)"
            out.append(f'tkid:{iid} a tk:TradeItem ; skos:inScheme tkid:trade-items ; skos:prefLabel "{label}"@en ; '
                       f'rdfs:label "{label}"@en ; tk:hsCode "{hs}" .')
        return "\n".join(out) + "\n"

    def pair(self, rng: random.Random) -> tuple[Country, Country]:
        """Two negotiating parties: the US in about a third of the talks, China and the EU often."""
        r = rng.random()
        first = "united-states" if r < 0.35 else "china" if r < 0.5 else "european-union" if r < 0.6 else None
        a = self.by_id[first] if first else rng.choice(self.countries)
        b = rng.choice([c for c in self.countries if c.id != a.id])
        return (a, b) if rng.random() < 0.7 else (b, a)


class _Doc:
    """One document being built: YAML data and the sentences of its article text."""

    def __init__(self, world: World, rng: random.Random, doc_id: str) -> None:
        self.w, self.rng, self.id = world, rng, doc_id
        self.sentences: list[str] = []
        self.events: list[dict] = []
        self.stats: list[dict] = []
        self.actors: dict[str, object] = {}
        self.concepts: dict[str, object] = {}
        self.n = 0

    def say(self, sentence: str) -> str:
        self.sentences.append(sentence)
        return sentence

    def nid(self, kind: str) -> str:
        self.n += 1
        return f"{kind}-{self.n}"

    def actor(self, local: str, target: str) -> str:
        self.actors.setdefault(local, target)
        return local


def _packaged_labels() -> dict[str, str]:
    """Every label of the packaged gazetteer, lower-cased, with the local id of the entry it names."""
    import pyoxigraph as ox

    from tradekg.resources import gazetteer_paths

    labels = {"http://www.w3.org/2004/02/skos/core#prefLabel", "http://www.w3.org/2004/02/skos/core#altLabel",
              "http://www.w3.org/2000/01/rdf-schema#label"}
    out: dict[str, str] = {}
    for path in gazetteer_paths():
        for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            if t.predicate.value in labels and isinstance(t.object, ox.Literal):
                out[t.object.value.lower()] = t.subject.value.rsplit("/", 1)[-1]
    return out


def _date_text(d: dt.date) -> str:
    return f"{MONTHS[d.month - 1]} {d.day}"


def make_document(world: World, index: int, seed: int = 0, prefix: str = "synth") -> tuple[str, str]:
    """One annotation document as YAML text, and its id. Deterministic in (seed, index)."""
    rng = random.Random(f"{seed}-{index}")
    doc_id = f"{prefix}-{index:07d}"
    d = _Doc(world, rng, doc_id)
    a, b = world.pair(rng)
    neg = f"synth-{a.id}-{b.id}-talks" if a.id < b.id else f"synth-{b.id}-{a.id}-talks"
    round_no = rng.randint(1, 6)
    talks = dt.date(2025, 3, 1) + dt.timedelta(days=21 * (round_no - 1) + rng.randint(0, 6))
    published = talks + dt.timedelta(days=rng.randint(1, 3))
    place = a.capital or b.capital or rng.choice(PLACES)
    ca, cb = d.actor("party-a", a.id), d.actor("party-b", b.id)
    off_a, off_b = world.officials[a.id], world.officials[b.id]
    la, lb = d.actor("lead-a", off_a[0].id), d.actor("lead-b", off_b[1].id)
    deputy = d.actor("deputy-a", off_a[2].id)
    d.actors["sources"] = {"type": "UnnamedSource", "label": f"multiple {b.demonym} government sources",
                           "affiliation": cb}
    d.actors["customs-b"] = {"type": "GovernmentBody", "label": f"{b.demonym} customs agency", "affiliation": cb}
    d.actors["officials-b"] = {"type": "Group", "label": f"officials of the {b.demonym} trade ministry",
                               "affiliation": cb}
    rnd = f"{neg}-round-{round_no}"
    common = {"date": talks.isoformat(), "partOf": rnd}
    when = _date_text(talks)
    lead_a, lead_b = off_a[0], off_b[1]

    d.say(f"{a.label} and {b.label} held round {round_no} of their trade negotiations on {when}.")
    # Size: seed-sized on average (the seed has 20 statements), from a handful to about thirty.
    n_events = max(2, min(30, int(rng.gauss(17, 7))))
    kinds = ["meeting", "request", "request", "request", "claim", "complaint", "gift", "invitation",
             "announcement", "response"]
    for k in range(n_events):
        kind = kinds[0] if k == 0 else rng.choice(kinds)
        ev_id = d.nid(kind)
        if kind == "meeting":
            s = d.say(f"{lead_a.title} {lead_a.label} of {a.label} met {lead_b.title} {lead_b.label} "
                      f"of {b.label} on {when}, and the two sides discussed tariffs for several hours"
                      f"{'' if k == 0 else ' again'} (meeting {ev_id}).")
            d.events.append({"id": ev_id, "type": "Meeting", "participant": [la, lb], **common,
                             "location": place, "attributedTo": "sources", "reportingStatus": "confirmed",
                             "summary": f"{lead_a.label} met {lead_b.label}.", "evidence": s})
        elif kind == "request":
            items = rng.sample(world.items, rng.randint(1, 4))
            names = ", ".join(world.item_labels[i] for i in items)
            hedge = rng.random() < 0.3
            s = d.say(f"The sources said {a.label} {'reportedly ' if hedge else ''}asked {b.label} to open "
                      f"its market to {names} (request {ev_id}).")
            ev = {"id": ev_id, "type": "Request", "requester": ca, "addressee": cb, "topic": items, **common,
                  "attributedTo": "sources", "reportingStatus": "reported",
                  "summary": f"{a.label} asked {b.label} to open its market to {names}.", "evidence": s}
            if hedge:
                ev["hedge"] = "reportedly"
            d.events.append(ev)
        elif kind == "response":
            s = d.say(f"In response, {lead_b.label} asked the {a.demonym} side to spread the cuts over "
                      f"several years (reply {ev_id}).")
            d.events.append({"id": ev_id, "type": "Request", "requester": lb, "addressee": ca,
                             "topic": [rng.choice(world.items)], **common, "attributedTo": "sources",
                             "reportingStatus": "reported",
                             "summary": f"{lead_b.label} asked for the cuts to be phased in.", "evidence": s})
        elif kind == "claim":
            item = rng.choice(world.items)
            s = d.say(f"{lead_a.label} claimed that {b.label} buys almost no {a.demonym} "
                      f"{world.item_labels[item]} (claim {ev_id}).")
            d.events.append({"id": ev_id, "type": "Claim", "claimant": la, "topic": [item],
                             "content": f"{b.label} buys almost no {a.demonym} {world.item_labels[item]}.",
                             **common, "hedge": "alleged", "attributedTo": "sources",
                             "reportingStatus": "reported", "summary": f"{lead_a.label} made a claim about trade.",
                             "evidence": s})
            value = round(rng.uniform(0.5, 40.0), 1)
            st_id = d.nid("stat")
            s2 = d.say(f"Customs data show {b.label} imported {value} billion dollars of {a.demonym} "
                       f"{world.item_labels[item]} in 2024 (figure {st_id}).")
            d.stats.append({"id": st_id, "measure": f"{b.label} imports of {a.demonym} {world.item_labels[item]}",
                            "value": value * 1_000_000_000, "unit": "USD", "comparison": "about",
                            "period": "2024", "statisticSource": "customs-b",
                            "attributedTo": "customs-b", "contradicts": [ev_id], "evidence": s2})
        elif kind == "complaint":
            s = d.say(f"{lead_a.label} complained that {b.label} keeps its currency weak (complaint {ev_id}).")
            d.events.append({"id": ev_id, "type": "Complaint", "complainant": la, "target": cb,
                             "topic": ["non-tariff-barriers"], **common, "attributedTo": "sources",
                             "reportingStatus": "reported", "summary": f"{lead_a.label} complained about currency.",
                             "evidence": s})
        elif kind == "gift":
            gift = rng.choice(GIFTS)
            obj = d.nid("gift-object")
            d.concepts[obj] = {"type": "Artifact", "label": gift}
            s = d.say(f"{lead_b.label} gave {lead_a.label} {gift} at the end of the meeting (gift {ev_id}).")
            d.events.append({"id": ev_id, "type": "Gift", "giver": lb, "recipient": la, "object": obj, **common,
                             "timeNote": "at the end of the meeting", "attributedTo": lb,
                             "reportingStatus": "reported", "summary": f"{lead_b.label} gave a gift.",
                             "evidence": s})
        elif kind == "invitation":
            s = d.say(f"{lead_b.label} invited {lead_a.label} to visit {b.label} next month (invitation {ev_id}).")
            d.events.append({"id": ev_id, "type": "Invitation", "inviter": lb, "invitee": la,
                             "topic": [rnd], **common, "attributedTo": lb, "reportingStatus": "reported",
                             "summary": f"{lead_b.label} invited {lead_a.label}.", "evidence": s})
        else:  # announcement, then the notification that told the other side about it
            s = d.say(f"{lead_a.label} announced on social media that the talks would continue (post {ev_id}).")
            d.events.append({"id": ev_id, "type": "Announcement", "announcer": la, "channel": "social media",
                             "topic": [rnd], "date": talks.isoformat(), "attributedTo": deputy,
                             "reportingStatus": "reported",
                             "summary": f"{lead_a.label} announced more talks.", "evidence": s})
            nt_id = d.nid("notice")
            s2 = d.say(f"Officials of the {b.demonym} trade ministry showed {lead_b.label} the post "
                       f"before the session (notice {nt_id}).")
            d.events.append({"id": nt_id, "type": "Notification", "notifier": "officials-b", "addressee": lb,
                             "topic": [ev_id], "date": talks.isoformat(), "timeNote": "before the session",
                             "attributedTo": "sources",
                             "reportingStatus": "reported", "summary": "Officials passed on the post.",
                             "evidence": s2})
        if rng.random() < 0.3:
            d.say(f"Analysts in {rng.choice(world.countries).label} said the outcome was hard to predict.")

    data = {
        "document": {
            "id": doc_id,
            "title": f"{a.label} and {b.label} trade talks, round {round_no}",
            "publisherName": rng.choice(PUBLISHERS),
            "published": published.isoformat(),
            "language": "en",
            "text": " ".join(d.sentences) + "\n",
        },
        "actors": d.actors,
        **({"concepts": d.concepts} if d.concepts else {}),
        "negotiations": [{
            "id": neg, "label": f"{a.label}–{b.label} trade negotiations, 2025", "party": [ca, cb],
            "rounds": [{"id": rnd, "label": f"Round {round_no} of the {a.label}–{b.label} negotiations",
                        "roundNumber": round_no, "date": talks.isoformat(), "location": place}],
        }],
        "events": d.events,
        **({"statistics": d.stats} if d.stats else {}),
    }
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000), doc_id


def generate(out: Path, docs: int, seed: int = 0, start: int = 0, prefix: str = "synth") -> list[Path]:
    """Write ``docs`` documents (indexes ``start`` … ``start+docs-1``) into ``out/docs/`` and the gazetteer
    extension into ``out/``; returns the document paths. Files already there are rewritten identically.

    >>> import tempfile
    >>> paths = generate(Path(tempfile.mkdtemp()), 2, seed=1)
    >>> [p.name for p in paths]
    ['synth-0000000.yaml', 'synth-0000001.yaml']
    """
    world = World(seed)
    out.mkdir(parents=True, exist_ok=True)
    (out / EXTENSION).write_text(world.extension_turtle(), encoding="utf-8")
    (out / "docs").mkdir(exist_ok=True)
    paths = []
    for i in range(start, start + docs):
        text, doc_id = make_document(world, i, seed, prefix)
        p = out / "docs" / f"{doc_id}.yaml"
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python benchmarks/corpus.py OUT --docs N [--seed S] [--start I]``."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--docs", type=int, default=100)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--start", type=int, default=0)
    args = ap.parse_args(argv)
    paths = generate(args.out, args.docs, args.seed, args.start)
    sys.stderr.write(f"wrote {len(paths)} documents to {args.out / 'docs'} and {args.out / EXTENSION}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
