"""Each seed imports with its expected title, loses its page furniture and keeps its real text."""

import pytest

from tests.conftest import SEED_FILES

EXPECTED = {
    "000": {
        "title": "Facebook Groups Raise Over $100,000 to Help Gay Men in Chechnya",
        "publisher": "NBC News",
        "first": "Two online fundraisers have pulled in more than $100,000 for the LGBTQ humanitarian crisis",
        "last": "such people shouldn't exist in Chechnya.\"",
        "furniture": [" - NBC News"],
    },
    "001": {
        "title": "In an age where gay men are being allegedly persecuted from the southern Russian republic",
        "inferred": True,
        "first": "In an age where gay men are being allegedly persecuted",
        "last": "you can participate in this Facebook fundraiser here",
        "furniture": ["BidVertiser", "ClickADu", "HilltopAds"],
    },
    "002": {
        "title": "Worldwide LGBT Community Raising Funds to Get Gays to Safety",
        "first": "News broke two weeks ago with details on illegal detentions",
        "last": "to check the information about the kidnapping of gays in Chechnya.",
        "furniture": ["hematoma.jpg", "Hematoma after tortures in prison", "Comments"],
    },
    "003": {
        "title": "These Russians helped 40 gay and bi men escape Chechnya",
        "first": "The Russian LGBT Network, an organization for LGBT people in the Russian Federation",
        "last": "like, how do they look like, like monsters?”",
        "furniture": [
            "News (World)",
            "Photo: Shutterstock",
            "A protest was held in Tel Aviv",
            "Texas considers banning trans athletes",
            "Previous article",
            "Men who beat victims found on Grindr",
            "Next article",
        ],
    },
    "004": {
        "title": "A ‘Rainbow Railroad’ Is Helping Gay Men Flee Violence In Chechnya",
        "publisher": "QN Magazine",
        "first": "A Canadian charity ‘Rainbow Railroad’ helping gay men",
        "last": "we are preparing for their evacuation from the country.”",
        "furniture": [
            "Chechnya Gay Concentration Camps",
            "(Photo via Kremlin.ru)",
            "For the latest lesbiangaybisexualtransgenderintersex",
            "Nerelle Harper",
            "Nerelle is a contributor",
            "Brisbane Gay, App",
            "No Comment",
            "Leave a reply",
            "Your email address will not be published",
        ],
    },
}


@pytest.mark.parametrize("code", EXPECTED)
def test_each_seed_gets_its_expected_title(seeded, code):
    seed, expected = seeded[code], EXPECTED[code]
    assert seed.title.startswith(expected["title"])
    assert seed.title_inferred == expected.get("inferred", False)


@pytest.mark.parametrize("code", EXPECTED)
def test_the_body_lacks_every_furniture_line(seeded, code):
    seed, expected = seeded[code], EXPECTED[code]
    for furniture in expected["furniture"]:
        assert furniture not in seed.body
        assert furniture not in seed.title


@pytest.mark.parametrize("code", EXPECTED)
def test_the_body_keeps_the_real_first_and_last_sentences(seeded, code):
    seed, expected = seeded[code], EXPECTED[code]
    assert seed.body.startswith(expected["first"])
    assert seed.body.endswith(expected["last"])


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:3])
def test_raw_is_exactly_the_file_as_received(seeded, path):
    article = seeded[path.name[:3]]
    assert bytes(article.raw) == path.read_bytes()
    assert article.raw_text == path.read_text(encoding="utf-8")


def test_the_repeated_headline_appears_once_as_the_title_only(seeded):
    article = seeded["003"]
    assert "These Russians helped 40 gay and bi men escape Chechnya" not in article.body


def test_bullet_lists_and_paragraphs_survive(seeded):
    body = seeded["004"].body
    assert "• legal assistance.\n• visas.\n• transportation.\n• other necessities to the Chechen men." in body
    assert body.count("\n\n") >= 15


def test_subheadings_inside_the_article_are_kept(seeded):
    assert "\n\nSet-ups for gays\n\n" in seeded["002"].body
    assert "\n\nThe Rainbow Railroad\n\n" in seeded["004"].body


def test_the_json_seed_keeps_its_url_and_eastern_time_date(seeded):
    article = seeded["000"]
    assert article.url.startswith("http://www.nbcnews.com/feature/nbc-out/")
    assert article.published_at.isoformat() == "2017-04-28T21:06:00+00:00"  # 5:06 pm EDT
