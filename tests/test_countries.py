"""Country knowledge lives in one data file: every gazetteer file is assigned there, and nothing else."""
from importlib import resources

import pytest

from ogp_graph.countries import UNKNOWN_COUNTRY, countries, country_locale, country_name, data_files
from ogp_graph.institutions import INTERNATIONAL, INTERNATIONAL_FILE, InstitutionGazetteer
from ogp_graph.laws import LawGazetteer

DATA = resources.files("ogp_graph") / "data"


@pytest.mark.parametrize("kind, folder, pattern", [
    ("institutions", "institutions", ".csv"), ("laws", "laws", ".csv"), ("municipalities", "places", "_municipalities.csv")])
def test_every_gazetteer_file_is_assigned_to_one_country(kind, folder, pattern):
    assigned = [name for _, name in data_files(kind)]
    present = {e.name for e in (DATA / folder).iterdir() if e.name.endswith(pattern)}
    shared = {INTERNATIONAL_FILE, "instruments.csv", "alt_names.csv", "cues.csv"}
    assert len(assigned) == len(set(assigned)) and set(assigned) == present - shared


def test_the_gazetteers_hold_the_assigned_countries():
    assert InstitutionGazetteer.default().countries() == {INTERNATIONAL, *(c for c, _ in data_files("institutions"))}
    assert {key.split("/")[0] for key in LawGazetteer.default().laws} == {c for c, _ in data_files("laws")}


def test_every_country_entry_is_complete():
    for iso, country in countries().items():
        assert len(iso) == 2 and iso.isupper() and country.languages and len(country.currency) == 3
        assert set(country.names) >= {"es", "en"} and str(country_locale(iso)) == country.locale


def test_locales_and_names_for_countries_not_in_the_file():
    assert str(country_locale("GT")) == "es_GT" and str(country_locale("EC", "es")) == "es_EC"
    assert str(country_locale("US", "es")) == "es_US" and str(country_locale("GT", "en")) == "en"
    assert str(country_locale("DE")) == "de_DE"  # CLDR's likely locale
    assert str(country_locale(UNKNOWN_COUNTRY)) == str(country_locale(None)) == "es"
    assert country_name("DE") == "Germany" and country_name(UNKNOWN_COUNTRY) == "Unknown country"
