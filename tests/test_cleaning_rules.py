"""The furniture rules on small inputs: each removes its kind of line and leaves article text alone."""

import pytest

from articles.text import Rule, blocks, clean_article, content_hash, infer_title, normalise

# Each rule with a page it cleans and the line it takes out (the README's cleaning table lists the same).
EXAMPLES = [
    (Rule.AD_NETWORK_LINE, "BidVertiser ClickADu HilltopAds\n\nHeadline here\n\nThe story begins.", 0),
    (Rule.ADVERTISEMENT_LABEL, "Advertisement\n\nHeadline here\n\nThe story begins.", 0),
    (Rule.ADVERTISEMENT_LABEL, "Headline here\n\nThe story begins.\n\nSponsored content", 2),
    (Rule.SECTION_LABEL, "News (World)\n\nHeadline here\n\nThe story begins.", 0),
    (Rule.REPEATED_HEADLINE, "Headline here\n\nHeadline here\n\nThe story begins.", 1),
    (Rule.LEAD_PHOTO_CAPTION, "Headline here\n\nA protest was held. Photo: Shutterstock\n\nThe story begins.", 1),
    (Rule.LEAD_PHOTO_CAPTION, "Headline here\n\nChechnya Gay Concentration Camps\n\nThe story begins.", 1),
    (Rule.IMAGE_FILE_NAME, "Headline here\n\nThe story begins.\n\nhematoma.jpg\n\nThe bruise\n\nIt goes on.", 2),
    (Rule.IMAGE_FILE_NAME, "Headline here\n\nThe story begins.\n\nhematoma.jpg\n\nThe bruise\n\nIt goes on.", 3),
    (Rule.PHOTO_CREDIT, "Headline here\n\nThe story begins.\n\n(Photo via Kremlin.ru)\n\nIt goes on.", 2),
    (Rule.PUBLISHER_FOOTER, "Headline here\n\nThe story begins.\n\nDaily Planet | News for all\n\nClark Kent", 2),
    (Rule.PUBLISHER_FOOTER, "Headline here\n\nThe story begins.\n\nDaily Planet | News for all\n\nClark Kent", 3),
    (Rule.COMMENT_BOX, "Headline here\n\nThe story begins.\n\nLeave a reply", 2),
    (Rule.TRAILING_PHOTO_CAPTION, "Headline here\n\nThe story begins.\n\nThe embassy. Photo by Jane Doe", 2),
    (Rule.ARTICLE_NAVIGATION, "Headline here\n\nThe story begins.\n\nOther story\n\nPrevious article", 2),
    (Rule.ARTICLE_NAVIGATION, "Headline here\n\nThe story begins.\n\nOther story\n\nPrevious article", 3),
    (
        Rule.NEWSLETTER_SIGN_UP,
        "Headline here\n\nThe story begins.\n\nSign up for the CorkBeo newsletter\n\nIt goes on.",
        2,
    ),
    (Rule.RELATED_LINK, "Headline here\n\nThe story begins.\n\nRead more: Looted colonial art\n\nIt goes on.", 2),
    (Rule.SHARE_PROMPT, "Headline here\n\nThe story begins.\n\nLike this story? Share it with a friend!", 2),
    (Rule.PAYWALL_PROMPT, "Headline here\n\nThe story begins.\n\nSubscribe to Independent Premium to bookmark this", 2),
]


def test_every_rule_has_an_example():
    assert {rule for rule, _, _ in EXAMPLES} == set(Rule)


@pytest.mark.parametrize("rule, text, line", EXAMPLES)
def test_each_rule_takes_out_its_line_and_says_so(rule, text, line):
    removed = text.split("\n\n")[line]
    cleaned = clean_article(text)
    assert (rule, removed) in cleaned.removed
    assert removed not in cleaned.body.split("\n\n")
    assert "The story begins." in cleaned.body


def test_an_ad_network_line_at_the_top_is_dropped():
    cleaned = clean_article("Adsterra Taboola\n\nHeadline here\n\nThe story begins.")
    assert cleaned.title == "Headline here"
    assert cleaned.body == "The story begins."


def test_ad_network_names_inside_a_sentence_are_kept():
    text = "Outbrain Taboola deal\n\nOutbrain and Taboola agreed to merge, regulators said."
    assert "Outbrain and Taboola agreed" in clean_article(text).body


def test_a_section_label_is_dropped_only_at_the_top():
    cleaned = clean_article("Opinion (Europe)\n\nA headline\n\nFirst line.\n\nMeeting (Brussels)\n\nLast line.")
    assert cleaned.title == "A headline"
    assert cleaned.body == "First line.\n\nMeeting (Brussels)\n\nLast line."


def test_a_text_without_headline_gets_an_inferred_title_from_its_first_sentence():
    cleaned = clean_article("The mayor resigned on Monday. She gave no reason.")
    assert (cleaned.title, cleaned.title_inferred) == ("The mayor resigned on Monday", True)


def test_a_long_inferred_title_is_cut_at_a_word_boundary():
    title = infer_title("word " * 60 + "end.")
    assert len(title) <= 121 and title.endswith("word…")


def test_next_and_previous_teasers_are_dropped_from_the_tail():
    text = "Headline\n\nBody sentence.\n\nOther story\n\nPrevious article\n\nAnother story\n\nNext article"
    assert clean_article(text).body == "Body sentence."


def test_a_publisher_footer_ends_the_article_and_names_the_publisher():
    text = "Headline\n\nBody sentence.\n\nDaily Planet | News for Metropolis\n\nClark Kent\n\nLeave a reply"
    cleaned = clean_article(text)
    assert (cleaned.body, cleaned.publisher) == ("Body sentence.", "Daily Planet")


def test_a_pipe_early_in_a_long_article_is_not_a_footer():
    paragraphs = ["Headline", "Alpha | beta is a sentence."] + [f"Paragraph {n}." for n in range(20)]
    assert "Alpha | beta" in clean_article("\n\n".join(paragraphs)).body


def test_an_image_file_name_and_its_caption_are_dropped_anywhere():
    text = "Headline\n\nFirst paragraph.\n\nphoto_123.JPG\n\nThe square at dawn\n\nSecond paragraph."
    assert clean_article(text).body == "First paragraph.\n\nSecond paragraph."


def test_control_characters_line_endings_and_no_break_spaces_are_normalised():
    assert normalise("a\r\nb\x00c\rd\x07 e\u00a0f") == "a\nbc\nd e f"


def test_the_content_hash_ignores_whitespace_only():
    assert content_hash("One two.\n\nThree.") == content_hash("  One  two.\r\n Three. ")
    assert content_hash("One two.") != content_hash("One, two.")


def test_blocks_tell_paragraphs_subheadings_and_bullet_lists_apart():
    body = "Intro.\n\n• one\n• two\n\nTaking action\n\n“A short quote”\n\nEnd."
    assert blocks(body) == [
        ("p", [(0, "Intro.")]),
        ("ul", [(10, "one"), (16, "two")]),
        ("h", [(21, "Taking action")]),
        ("p", [(36, "“A short quote”")]),
        ("p", [(53, "End.")]),
    ]


def test_block_offsets_slice_the_body_for_every_seed(seeded):
    for article in seeded.values():
        for _, items in blocks(article.body):
            for offset, text in items:
                assert article.body[offset : offset + len(text)] == text


def test_a_prompt_is_only_taken_out_as_a_line_of_its_own():
    reporting = (
        "Headline here\n\nThe story begins.\n\nThe council said residents could sign up for the newsletter at the "
        "library, where a new service will open next spring after a long consultation that drew more than two "
        "thousand responses from people across every ward of the city, the largest number it has ever received."
    )
    assert clean_article(reporting).body.endswith("the largest number it has ever received.")
    assert clean_article('Headline here\n\nShe said: "Read more: it helps."\n\nIt goes on.').removed == []
