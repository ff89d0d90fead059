"""Properties of the blocklist: a listed word is found through the disguises the
module names (case, punctuation around it, letters held down or spread out,
leetspeak), and only as a whole word."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import example, given, settings
from hypothesis import strategies as st

from podium.domain.blocklist import Blocklist, normalise_entry

FAST = settings(max_examples=60, deadline=None)

# Entries from some letters, other words from others: an unrelated word can then never
# be a disguise of an entry, so "clean" is known for certain.
ENTRY_LETTERS = "bcdfghkmnpr"
OTHER_LETTERS = "uvwxyz"


def no_runs(word: str) -> bool:
    return all(a != b for a, b in pairwise(word))


entry_words = st.text(alphabet=ENTRY_LETTERS, min_size=3, max_size=8).filter(no_runs)
other_words = st.text(alphabet=OTHER_LETTERS, min_size=2, max_size=8)
punctuation = st.text(alphabet='!?.,;:()"«»-', max_size=3)


def cased(data: st.DataObject, word: str) -> str:
    flips = data.draw(st.lists(st.booleans(), min_size=len(word), max_size=len(word)))
    return "".join(c.upper() if up else c for c, up in zip(word, flips, strict=True))


def sentence(data: st.DataObject, word: str) -> str:
    before = data.draw(st.lists(other_words, max_size=3))
    after = data.draw(st.lists(other_words, max_size=3))
    around = data.draw(punctuation) + word + data.draw(punctuation)
    return " ".join([*before, around, *after])


@FAST
@given(entry_words, st.data())
def test_a_listed_word_is_found_in_any_case_among_other_words(entry: str, data) -> None:
    text = sentence(data, cased(data, entry))
    assert Blocklist([entry]).find(text) == [entry]


@FAST
@given(entry_words, st.data())
def test_held_down_and_spread_out_letters_do_not_hide_a_word(entry: str, data) -> None:
    held = "".join(c * data.draw(st.integers(1, 4)) for c in entry)
    gap = data.draw(st.sampled_from([".", "-", " ", "_", ". "]))
    blocklist = Blocklist([entry])
    assert blocklist.find(sentence(data, held)) == [entry]
    assert blocklist.find(sentence(data, gap.join(entry))) == [entry]


@FAST
@given(
    st.text(alphabet="aeost" + ENTRY_LETTERS, min_size=3, max_size=8)
    .filter(no_runs)
    .filter(lambda word: any(c in ENTRY_LETTERS for c in word))
)
def test_leetspeak_does_not_hide_a_word(entry: str) -> None:
    """(A word of digits only is a number, never a word: "455" is not "ass".)"""
    leet = entry.translate(str.maketrans({"a": "4", "e": "3", "o": "0", "s": "5", "t": "7"}))
    assert Blocklist([entry]).find(f"xy {leet} zu") == [entry]


@FAST
@given(entry_words, other_words, other_words, st.data())
def test_a_word_only_inside_a_longer_word_is_clean(entry: str, head: str, tail: str, data) -> None:
    """Scunthorpe: an entry matches whole words; with a star, word starts or ends."""
    longer = sentence(data, cased(data, head + entry + tail))
    assert Blocklist([entry]).find(longer) == []
    assert Blocklist([entry + "*"]).find(sentence(data, entry + tail)) == [entry + "*"]
    assert Blocklist(["*" + entry]).find(sentence(data, head + entry)) == ["*" + entry]
    assert Blocklist([entry + "*"]).find(sentence(data, head + entry)) == []


@FAST
@given(st.lists(other_words, max_size=8), st.lists(entry_words, min_size=1, max_size=4))
def test_words_of_other_letters_are_clean(words: list[str], entries: list[str]) -> None:
    assert Blocklist(entries).find(" ".join(words)) == []


@FAST
@given(st.lists(entry_words, min_size=2, max_size=4, unique=True), st.data())
def test_found_in_the_order_they_appear_each_once(entries: list[str], data) -> None:
    shown = data.draw(st.permutations(entries))
    text = " uvu ".join([*shown, shown[0]])  # the first one again at the end
    found = Blocklist(entries).find(text)
    assert found == shown
    assert Blocklist(entries).find_short(text) == tuple(found)


@FAST
@given(entry_words, entry_words, st.sampled_from([" ", "-", ""]))
@example("bcd", "dbc", "")  # one run of "d" across the words: found since the fix
def test_an_entry_of_two_words_is_found_as_written(first: str, second: str, gap: str) -> None:
    blocklist = Blocklist([f"{first} {second}"])
    assert blocklist.find(f"uvu {first}{gap}{second}!") == [f"{first} {second}"]
    assert blocklist.find(f"uvu {first} uvu {second}") == []


@FAST
@given(st.text(alphabet=ENTRY_LETTERS + "ÄÖÜäöüß*# 4@$-", max_size=20))
def test_a_listed_entry_lists_as_itself(raw: str) -> None:
    listed = normalise_entry(raw)
    if listed is not None:
        assert normalise_entry(listed) == listed
        assert Blocklist([raw]).entries == (listed,)
