"""Every SHACL shape of shapes/ has a tiny failing data file in tests/data/shapes/ and reports its message.

Each case is validated as a temporary project (the repository's ontology/ and shapes/, plus the case as
data/<case>.ttl) with `oerkg validate`; the exit code is 1 for violations and 0 when only warnings remain.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import SH

from oerkg.cli import main

ROOT = Path(__file__).resolve().parents[1]
CASES_DIR = ROOT / "tests" / "data" / "shapes"
SHAPES_NS = "https://w3id.org/oerdc/shapes#"

# case file name (without .ttl): (expected exit code, exact sh:message expected in the output)
CASES = {
    "label-english-missing": (1, "Give exactly one rdfs:label in English (a literal tagged @en)."),
    "label-languages": (
        1,
        "Write rdfs:label only as language-tagged literals in en, fr or sv, at most one per language.",
    ),
    "label-french-missing": (0, "Add an rdfs:label in French (@fr)."),
    "label-swedish-missing": (0, "Add an rdfs:label in Swedish (@sv)."),
    "description-english-missing": (1, "Give a schema:description in English (a literal tagged @en)."),
    "description-languages": (
        1,
        "Write schema:description only as language-tagged literals in en, fr or sv, at most one per language.",
    ),
    "derived-from-missing": (
        1,
        "Give at least one prov:wasDerivedFrom that points to a source entity (a oerdc:Source).",
    ),
    "preflabel-equals-label": (
        1,
        "Give the concept skos:prefLabel values identical to its rdfs:label values (one per language).",
    ),
    "in-scheme-missing": (
        1,
        "Put the concept in its concept scheme with skos:inScheme (a skos:ConceptScheme).",
    ),
    "sameas-wikidata": (
        1,
        "Use owl:sameAs only once, with a verified Wikidata entity IRI of the form http://www.wikidata.org/entity/Q123.",
    ),
    "url-is-iri": (1, "Give at most one schema:url, written as an IRI <https://…>, not as a string."),
    "coalition-type": (1, "Also type the coalition as schema:Organization."),
    "coalition-hasunit": (
        1,
        "Link the coalition with org:hasUnit only to its working groups (oerdc:WorkingGroup).",
    ),
    "coalition-foundingdate": (
        1,
        "Give the coalition at most one schema:foundingDate as an xsd:date (YYYY-MM-DD).",
    ),
    "coalition-stakeholdercategory": (
        1,
        "Link oerdc:stakeholderCategory only to a stakeholder category concept (oerdc:StakeholderCategory).",
    ),
    "coalition-guidingprinciple": (
        1,
        "Link oerdc:guidingPrinciple only to a guiding principle concept (oerdc:GuidingPrinciple).",
    ),
    "coalition-supportsimplementationof": (
        1,
        "Link oerdc:supportsImplementationOf only to a Recommendation (oerdc:Recommendation).",
    ),
    "workinggroup-type": (1, "Also type the working group as org:OrganizationalUnit."),
    "workinggroup-dedicatedto": (
        1,
        "Give the working group exactly one oerdc:dedicatedTo, pointing to an Area of Action (oerdc:AreaOfAction).",
    ),
    "workinggroup-unitof": (
        1,
        "Give the working group exactly one org:unitOf, pointing to its coalition (oerdc:Coalition).",
    ),
    "concept-type": (1, "Also type the concept as skos:Concept."),
    "areaofaction-notation": (
        1,
        "Give the Area of Action exactly one skos:notation, its number 1 to 5 as a plain string.",
    ),
    "role-type": (1, "Also type the role as org:Role."),
    "concept-exactmatch": (
        1,
        "Give skos:exactMatch as the IRI of an external concept, not as a string.",
    ),
    "conceptscheme-hastopconcept": (
        1,
        "List the scheme's concepts with skos:hasTopConcept (each a skos:Concept).",
    ),
    "recommendation-type": (1, "Also type the Recommendation as schema:CreativeWork."),
    "recommendation-adoptiondate": (
        1,
        "Give the Recommendation exactly one oerdc:adoptionDate (the preferred one) as an xsd:date (YYYY-MM-DD); record variant dates as qualified claims.",
    ),
    "recommendation-adoptedat": (
        1,
        "Give at most one oerdc:adoptedAt, pointing to the session (oerdc:Event) that adopted the Recommendation.",
    ),
    "document-type": (
        1,
        "Also type the document as schema:CreativeWork or a subtype (schema:Report, schema:BlogPosting…).",
    ),
    "document-inlanguage": (
        1,
        'Give schema:inLanguage as a plain two-letter language code string such as "en" or "fr".',
    ),
    "document-translationofwork": (
        1,
        "Give at most one schema:translationOfWork, pointing to the original document (oerdc:Document).",
    ),
    "document-worktranslation": (
        1,
        "Point schema:workTranslation only to documents (oerdc:Document) that translate this one.",
    ),
    "event-type": (1, "Also type the event as schema:Event."),
    "event-startdate": (1, "Give the event exactly one schema:startDate as an xsd:date (YYYY-MM-DD)."),
    "event-startdate-unknown": (
        0,
        "No source gives this event's start date: add its schema:startDate (xsd:date) once one does.",
    ),
    "event-enddate": (1, "Give the event at most one schema:endDate as an xsd:date (YYYY-MM-DD)."),
    "event-start-after-end": (
        1,
        "Make the event's schema:startDate the same as or earlier than its schema:endDate.",
    ),
    "event-attendancemode": (
        1,
        "Give the event exactly one schema:eventAttendanceMode: schema:OnlineEventAttendanceMode, schema:OfflineEventAttendanceMode or schema:MixedEventAttendanceMode.",
    ),
    "event-location": (
        1,
        "Give the event a schema:location that is a place (oerdc:Place) or a virtual location (oerdc:VirtualLocation).",
    ),
    "event-organizer": (1, "Point schema:organizer only to organisations (typed schema:Organization)."),
    "event-participants": (
        1,
        "Give at most one oerdc:approximateParticipantCount as a positive xsd:integer.",
    ),
    "eventseries-type": (1, "Also type the event series as schema:EventSeries."),
    "context-type": (1, "Also type the event as schema:Event."),
    "place-type": (1, "Also type the place as schema:Place."),
    "place-containedinplace": (
        1,
        "Give at most one schema:containedInPlace, pointing to a place (oerdc:Place).",
    ),
    "virtuallocation-type": (1, "Also type the virtual location as schema:VirtualLocation."),
    "organization-type": (1, "Also type the organisation as schema:Organization."),
    "organization-location": (
        1,
        "Point the organisation's schema:location only to a place (oerdc:Place).",
    ),
    "person-type": (1, "Also type the person as schema:Person."),
    "person-worksfor": (1, "Point schema:worksFor only to organisations (typed schema:Organization)."),
    "membership-type": (1, "Also type the role assignment as org:Membership."),
    "membership-member": (
        1,
        "Give the role assignment exactly one org:member: the person or organisation that holds the role.",
    ),
    "membership-organization": (
        1,
        "Give the role assignment exactly one org:organization, an organisation typed schema:Organization.",
    ),
    "membership-role": (
        1,
        "Give the role assignment exactly one org:role, a role concept typed org:Role.",
    ),
    "membership-startdate": (
        1,
        "Give at most one schema:startDate, as an xsd:date, xsd:gYearMonth or xsd:gYear (as precise as the source).",
    ),
    "claim-type": (1, "Also type the claim as schema:Claim."),
    "claim-about": (1, "Give the claim exactly one oerdc:claimAbout: the entity it gives a value for."),
    "claim-property": (
        1,
        "Give the claim exactly one oerdc:claimProperty: a property defined in the ontology.",
    ),
    "claim-value": (
        1,
        "Give the claim exactly one oerdc:claimValue, a literal (typed, e.g. xsd:date or xsd:integer).",
    ),
    "claim-rank": (1, "Give the claim exactly one oerdc:rank: oerdc:PreferredRank or oerdc:NormalRank."),
    "claim-text": (
        1,
        "Give at most one schema:text: the exact words of the source, tagged with their language.",
    ),
    "claim-text-unknown": (
        0,
        "No source gives the exact words of this claim: add its schema:text (tagged with its language) once one does.",
    ),
    "quotation-text": (
        1,
        "Give exactly one schema:text: the exact words of the source, tagged with their language.",
    ),
    "verificationstatus-one": (
        1,
        "Give exactly one oerdc:verificationStatus (oerdc:Verified, PartlyVerified, SingleSource, Unverified or Conflict).",
    ),
    "quotation-type": (1, "Also type the quotation as schema:Quotation."),
    "quotation-about": (1, "Give the quotation at least one schema:about: the entity it speaks about."),
    "quotation-attributedto": (
        1,
        "Give the quotation a prov:wasAttributedTo: the person, organisation or source that says it.",
    ),
    "source-url-or-citation": (
        1,
        "Give the source a schema:url (an IRI) or, if it has no URL, a dcterms:bibliographicCitation.",
    ),
    "principle-preflabel": (
        1,
        "Give the concept skos:prefLabel values identical to its rdfs:label values (one per language).",
    ),
    "rank-preflabel": (
        1,
        "Give the concept skos:prefLabel values identical to its rdfs:label values (one per language).",
    ),
}

# Node shapes whose own sh:message is never reported (they only group property shapes):
# the case that makes each of them fail through one of its property shapes.
NODE_SHAPE_CASES = {
    "CoalitionShape": "coalition-type",
    "WorkingGroupShape": "workinggroup-dedicatedto",
    "AreaOfActionShape": "areaofaction-notation",
    "StakeholderCategoryShape": "in-scheme-missing",
    "GuidingPrincipleShape": "principle-preflabel",
    "RoleShape": "role-type",
    "ConceptShape": "concept-exactmatch",
    "ConceptSchemeShape": "conceptscheme-hastopconcept",
    "RankShape": "rank-preflabel",
    "RecommendationShape": "recommendation-adoptiondate",
    "DocumentShape": "document-inlanguage",
    "EventShape": "event-start-after-end",
    "EventSeriesShape": "eventseries-type",
    "ContextShape": "context-type",
    "PlaceShape": "place-containedinplace",
    "VirtualLocationShape": "virtuallocation-type",
    "OrganizationShape": "organization-location",
    "PersonShape": "person-worksfor",
    "MembershipShape": "membership-role",
    "ClaimShape": "claim-rank",
    "AttributedQuotationShape": "quotation-attributedto",
    "SourceShape": "source-url-or-citation",
}


def make_project(tmp_path: Path, case: str) -> Path:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "ontology", project / "ontology")
    shutil.copytree(ROOT / "shapes", project / "shapes")
    (project / "data").mkdir()
    shutil.copy(CASES_DIR / f"{case}.ttl", project / "data" / f"{case}.ttl")
    return project


@pytest.mark.parametrize("case", sorted(CASES))
def test_case_fails_with_its_message(case, tmp_path, capsys):
    expected_code, message = CASES[case]
    code = main(["validate", str(make_project(tmp_path, case))])
    out = capsys.readouterr().out
    assert message in out, out
    assert code == expected_code, out
    severity = "Warning" if expected_code == 0 else "Violation"
    assert any(
        severity in line and message in line and f"data/{case}.ttl:" in line for line in out.splitlines()
    ), out


def test_every_case_file_is_listed():
    assert {p.stem for p in CASES_DIR.glob("*.ttl")} == set(CASES)


def test_every_shape_has_a_case():
    shapes = rdflib.Graph().parse(
        ROOT / "shapes" / "oerdc-shapes.ttl", format="turtle", publicID="https://w3id.org/oerdc/"
    )
    named = {
        str(s)[len(SHAPES_NS) :]: str(m)
        for s, m in shapes.subject_objects(SH.message)
        if str(s).startswith(SHAPES_NS)
    }
    tested_messages = {message for _, message in CASES.values()}
    for name, message in named.items():
        if name in NODE_SHAPE_CASES:
            assert NODE_SHAPE_CASES[name] in CASES, name
        else:
            assert message in tested_messages, f"no failing case for oerdcsh:{name}"


def test_every_shape_has_an_english_message():
    shapes = rdflib.Graph().parse(
        ROOT / "shapes" / "oerdc-shapes.ttl", format="turtle", publicID="https://w3id.org/oerdc/"
    )
    for shape in set(shapes.subjects(SH.path, None)) | set(
        shapes.subjects(rdflib.RDF.type, SH.NodeShape)
    ):
        assert shapes.value(shape, SH.message) is not None, shape


def test_the_project_graph_conforms(capsys):
    code = main(["validate", str(ROOT)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert " 0 violation(s)" in out, out
    # issue 19: every warning that remains says what no source gives
    warnings = [line for line in out.splitlines() if ": Warning: " in line]
    assert all("No source gives" in line for line in warnings), out
