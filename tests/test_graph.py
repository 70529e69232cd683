"""The graph built from the bundled report, checked against what the report says."""
from decimal import Decimal

import pytest

from ogp_graph.vocab import sparql_prefixes


def rows(store, query: str) -> list[dict]:
    """SELECT results as dicts of plain string values."""
    results = store.query(sparql_prefixes() + query)
    names = [v.value for v in results.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in results]


def test_summary_counts(built):
    _, summary, _ = built
    assert summary.commitments == 22
    assert summary.conforms is True and summary.violations == 0
    assert summary.laws >= 9 and summary.institutions >= 25 and summary.metrics >= 40


def test_22_commitments_numbered_1_to_22_with_titles(store):
    found = rows(store, "SELECT ?n ?t WHERE { ?c a ogp:Commitment ; ogp:commitmentNumber ?n ; dct:title ?t } ORDER BY ?n")
    assert [int(r["n"]) for r in found] == list(range(1, 23))
    titles = {int(r["n"]): r["t"] for r in found}
    assert titles[1] == "CAPACITACIÓN EN ACCESO A LA INFORMACIÓN PÚBLICA Y ARCHIVOS INSTITUCIONALES."
    assert titles[13] == "DIVULGAR LA TEMÁTICA DE GOBIERNO ABIERTO COMO MECANISMO DE PARTICIPACIÓN CIUDADANA."
    assert titles[17].startswith("ACCIONES PARA AVANZAR EN EL CUMPLIMIENTO DEL CÓDIGO Y MANUAL DE TRANSPARENCIA FISCAL")


def _responsible(store) -> dict[int, set[str]]:
    found = rows(store, """SELECT ?n ?name WHERE {
        ?c ogp:commitmentNumber ?n ; ogp:responsibleOrganization ?o . ?o skos:prefLabel ?name }""")
    result: dict[int, set[str]] = {}
    for r in found:
        result.setdefault(int(r["n"]), set()).add(r["name"])
    return result


@pytest.mark.parametrize(
    "number, names",
    [
        (1, {"Instituto Nacional de Administración Pública"}),
        (2, {"Ministerio de Educación", "Universidad de San Carlos de Guatemala"}),
        (3, {"Acción Ciudadana", "Guatecambia"}),
        (4, {"Congreso de la República de Guatemala"}),
        (6, {"Secretaría Nacional de Ciencia y Tecnología"}),  # written "SEENACYT" in the report
        (10, {"Superintendencia de Telecomunicaciones"}),
        (11, {"Instituto de Fomento Municipal", "Asociación Nacional de Municipalidades"}),
        (13, {"Secretaría de Comunicación Social de la Presidencia de la República"}),
        (15, {"Coordinadora Nacional para la Reducción de Desastres"}),
        (16, {"Ministerio de Finanzas Públicas", "Secretaría de Planificación y Programación de la Presidencia",
              "Contraloría General de Cuentas", "Congreso de la República de Guatemala"}),
        (20, {"Superintendencia de Administración Tributaria"}),
        (21, {"Ministerio de Salud Pública y Asistencia Social"}),
    ],
)
def test_responsible_institutions_resolved_to_full_names(store, number, names):
    assert _responsible(store)[number] == names


def test_every_commitment_has_a_responsible_institution(store):
    assert set(_responsible(store)) == set(range(1, 23))


def test_acronyms_and_full_names_are_one_node(store):
    found = rows(store, """SELECT ?o (COUNT(DISTINCT ?c) AS ?n) WHERE {
        ?o ogp:acronym "MINFIN" ; skos:prefLabel "Ministerio de Finanzas Públicas"@es .
        ?c ogp:mentions ?o } GROUP BY ?o""")
    assert len(found) == 1
    # named in 16-19 as MINFIN, in 20 and 22 in running text
    commitments = rows(store, """SELECT DISTINCT ?n WHERE { ?c ogp:mentions ?o ; ogp:commitmentNumber ?n .
        ?o ogp:acronym "MINFIN" }""")
    assert {16, 17, 18, 19, 20, 22} <= {int(r["n"]) for r in commitments}


def test_acronym_learnt_from_its_definition(store):
    found = rows(store, 'SELECT ?name WHERE { ?o ogp:acronym "DNCAE" ; skos:prefLabel ?name }')
    assert [r["name"] for r in found] == ["Dirección Normativa de Contrataciones y Adquisiciones del Estado"]


def _citing(store, label_or_name: str) -> set[int]:
    found = rows(store, f"""SELECT ?n WHERE {{
        ?law a eli:LegalResource . {{ ?law rdfs:label "{label_or_name}"@es }} UNION {{ ?law skos:prefLabel "{label_or_name}"@es }}
        ?c ogp:citesLegislation ?law ; ogp:commitmentNumber ?n }}""")
    return {int(r["n"]) for r in found}


@pytest.mark.parametrize(
    "law, commitments",
    [
        ("Decreto 37-2016", {20}),
        ("Decreto 63-94", {12}),
        ("Decreto 9-2017", {17}),
        ("Decreto 9-2015", {17}),
        ("Decreto 46-2016", {17}),
        ("Acuerdo Ministerial 194-2017", {18}),
        ("Ley de Acceso a la Información Pública", {1, 2}),
        ("Decreto 57-92", {17}),
        ("Iniciativa 5210", {4}),
    ],
)
def test_laws_linked_to_the_commitments_citing_them(store, law, commitments):
    assert _citing(store, law) == commitments


def test_law_nodes_follow_the_contract(store):
    found = rows(store, """SELECT ?id ?type ?year WHERE { ?law a eli:LegalResource ; eli:id_local ?id ;
        eli:type_document ?type ; rdfs:label "Decreto 63-94"@es ; ogp:year ?year }""")
    assert found == [{"id": "63-94", "type": "https://w3id.org/ogp-kg/ontology#Decreto", "year": "1994"}]
    laip = rows(store, 'SELECT ?label WHERE { ?law skos:altLabel "LAIP" ; rdfs:label ?label }')
    assert laip == [{"label": "Decreto 57-2008"}]
    article = rows(store, """SELECT ?n WHERE { ?c ogp:commitmentNumber 12 ; ogp:citesProvision ?a .
        ?a eli:number ?n ; eli:is_part_of ?law . ?law eli:id_local "63-94" }""")
    assert article == [{"n": "36"}]
    amended = rows(store, 'SELECT ?id WHERE { ?law eli:id_local "46-2016" ; eli:amends ?o . ?o eli:id_local ?id }')
    assert amended == [{"id": "57-92"}]


def _places(store, number: int) -> dict[str, tuple[str, str]]:
    found = rows(store, f"""SELECT ?name ?kind ?parent WHERE {{
        ?c ogp:commitmentNumber {number} ; dct:spatial ?p . ?p schema:name ?name ; a ?kind .
        FILTER(?kind IN (ogp:Department, ogp:Municipality))
        ?p schema:containedInPlace ?up . ?up schema:name ?parent }}""")
    return {r["name"]: (r["kind"].rsplit("#", 1)[1], r["parent"]) for r in found}


def test_places_of_commitment_10(store):
    places = _places(store, 10)
    assert places["Patzún"] == ("Municipality", "Chimaltenango")
    assert places["San Pedro La Laguna"] == ("Municipality", "Sololá")
    assert places["Gualán"] == ("Municipality", "Zacapa")
    assert places["Pachalum"] == ("Municipality", "Quiché")
    assert places["Sololá"] == ("Department", "Guatemala")


def test_places_of_commitment_11_are_municipalities(store):
    places = _places(store, 11)
    expected = {"San Lucas Sacatepéquez": "Sacatepéquez", "Villa Nueva": "Guatemala", "Santa Cruz Naranjo": "Santa Rosa",
                "Jalapa": "Jalapa", "Cobán": "Alta Verapaz", "Quetzaltenango": "Quetzaltenango",
                "Totonicapán": "Totonicapán"}
    assert places == {name: ("Municipality", dept) for name, dept in expected.items()}


def test_places_of_commitment_21_are_departments(store):
    places = _places(store, 21)
    expected = {"Alta Verapaz", "Chiquimula", "San Marcos", "Huehuetenango", "Totonicapán", "Sololá", "Quetzaltenango",
                "Baja Verapaz", "Quiché", "Zacapa", "Petén", "Retalhuleu", "Suchitepéquez", "Santa Rosa",
                "Sacatepéquez", "Jalapa", "Jutiapa", "Izabal"}
    assert places == {name: ("Department", "Guatemala") for name in expected}


def test_department_codes_and_municipality_codes(store):
    found = rows(store, """SELECT ?code ?ine WHERE { ?m ogp:ineCode ?ine ; schema:name "Patzún" ;
        schema:containedInPlace ?d . ?d ogp:iso3166_2 ?code ; schema:containedInPlace ?gt . ?gt ogp:iso3166_1 "GT" }""")
    assert found == [{"code": "GT-04", "ine": "0407"}]


def _metrics(store, number: int, kind: str) -> dict[Decimal, dict]:
    found = rows(store, f"""SELECT ?v ?unit ?what WHERE {{ ?c ogp:commitmentNumber {number} ; ogp:metric ?m .
        ?m ogp:metricKind "{kind}" ; schema:value ?v ; schema:unitText ?unit ; schema:description ?what }}""")
    return {Decimal(r["v"]): r for r in found}


def test_money_normalised_to_quetzales(store):
    money21 = _metrics(store, 21, "money")
    assert set(money21) == {Decimal(139988000), Decimal(95613729)}
    assert all(r["unit"] == "GTQ" for r in money21.values())
    assert "Funcionamiento" in money21[Decimal(139988000)]["what"]
    money22 = _metrics(store, 22, "money")
    assert {Decimal(x) for x in (226100000, 200600000, 157700000, 53200000, 662500000, 110500000, 19300000)} == set(money22)


def test_counts_and_percentages(store):
    counts14 = _metrics(store, 14, "count")
    assert counts14[Decimal(210)]["unit"] == "municipalidades" and Decimal(340) in counts14
    assert set(_metrics(store, 14, "percent")) == {Decimal(62), Decimal(40)}
    assert _metrics(store, 1, "count")[Decimal(48)]["unit"] == "personas"
    assert _metrics(store, 21, "count")[Decimal(4439)]["unit"] == "personas"
    assert Decimal(1014) in _metrics(store, 10, "count")
    assert set(_metrics(store, 19, "percent")) == {Decimal(4)}


def test_every_mention_points_at_its_text(store):
    found = rows(store, """SELECT ?text ?b ?e ?anchor WHERE { ?m itsrdf:taIdentRef ?x ; nif:referenceContext ?d ;
        nif:beginIndex ?b ; nif:endIndex ?e ; nif:anchorOf ?anchor . ?d nif:isString ?text }""")
    assert len(found) > 150
    for r in found:
        assert r["text"][int(r["b"]) : int(r["e"])] == r["anchor"]


def test_provenance_of_a_law_mention(store):
    found = rows(store, """SELECT ?anchor ?extractor WHERE { ?law eli:id_local "194-2017" .
        ?m itsrdf:taIdentRef ?law ; nif:anchorOf ?anchor ; prov:wasAttributedTo ?x ; ogp:mentionedIn ?c .
        ?c ogp:commitmentNumber 18 . ?x rdfs:label ?extractor }""")
    assert found == [{"anchor": "Acuerdo Ministerial No. 194-2017", "extractor": "ogp-kg ogp_laws"}]


def test_completion_status_only_where_the_text_says_so(store):
    found = rows(store, "SELECT ?n WHERE { ?c ogp:completionStatus ogp:Complete ; ogp:commitmentNumber ?n }")
    assert {int(r["n"]) for r in found} == {16, 22}


def test_iris_are_stable_across_builds(tmp_path, store):
    from api.pipeline import build_all
    from ogp_graph.store import open_store

    build_all(data_dir=tmp_path)
    query = "SELECT ?c WHERE { ?c a ogp:Commitment } ORDER BY ?c"
    assert rows(open_store(tmp_path), query) == rows(store, query)
