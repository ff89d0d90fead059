"""Properties of a tally: it always equals a count of the current answers, however
they arrived, and what it shows is consistent with its counts."""

from __future__ import annotations

from fractions import Fraction
from math import floor

from hypothesis import given, settings
from hypothesis import strategies as st

from podium.domain.questions import Kind, Option, PercentBase, QuestionSpec
from podium.domain.tally import ChoiceResult, ScaleResult, Tally, WordsResult
from podium.domain.word_edits import EditAction, WordEdit
from podium.domain.words import fold_word

OPTIONS = tuple(Option(i, f"Option {i}") for i in range(1, 6))
OPTION_IDS = [o.id for o in OPTIONS]
# Spellings of a few words (one key each) and a few words of their own.
WORDS = ["Homeoffice", "homeoffice", "HOMEOFFICE", "Telearbeit", "telearbeit", "Kaffee", "Pause"]

picks = st.lists(st.sampled_from(OPTION_IDS), min_size=1, max_size=5, unique=True)
single = st.sampled_from(OPTION_IDS).map(lambda o: [o])
scale_values = st.integers(1, 5)
word_answers = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(
    lambda words: list(dict.fromkeys(words))  # the validation keeps one of each spelling
)
bases = st.sampled_from(list(PercentBase))

FAST = settings(max_examples=60, deadline=None)


def tally_of(spec: QuestionSpec, answers: list) -> Tally:
    tally = Tally(spec)
    for answer in answers:
        tally.add(answer)
    return tally


def choice(result: object) -> ChoiceResult:
    assert isinstance(result, ChoiceResult)
    return result


@FAST
@given(st.lists(picks, max_size=30), bases)
def test_choice_counts_percentages_and_totals_agree(answers: list[list[int]], base) -> None:
    spec = QuestionSpec(Kind.MULTIPLE, OPTIONS, max_choices=5, percent_base=base)
    result = choice(tally_of(spec, answers).result())
    assert result.respondents == len(answers)
    for option in result.options:
        assert option.count == sum(option.option_id in a for a in answers)
    assert result.answers == sum(o.count for o in result.options) == sum(map(len, answers))
    denominator = result.respondents if base is PercentBase.RESPONDENTS else result.answers
    for option in result.options:
        assert 0 <= option.percent <= 100
        exact = Fraction(100 * option.count, denominator) if denominator else Fraction(0)
        assert option.percent == float(exact)
        assert option.whole_percent == floor(exact + Fraction(1, 2))  # half up, never to even
    if base is PercentBase.ANSWERS and answers:
        assert abs(sum(o.percent for o in result.options) - 100) < 1e-9


@FAST
@given(st.lists(single, min_size=1, max_size=20), st.data())
def test_changing_an_answer_moves_exactly_one_count(answers: list[list[int]], data) -> None:
    spec = QuestionSpec(Kind.SINGLE, OPTIONS)
    tally = tally_of(spec, answers)
    before = {o.option_id: o.count for o in choice(tally.result()).options}
    old = data.draw(st.sampled_from(answers))
    new = data.draw(single.filter(lambda n: n != old))
    tally.replace(old, new)
    after = choice(tally.result())
    moved = {o.option_id: o.count - before[o.option_id] for o in after.options}
    assert moved == {o: (-1 if [o] == old else 1 if [o] == new else 0) for o in OPTION_IDS}
    assert after.respondents == len(answers)


@FAST
@given(st.lists(scale_values, max_size=30))
def test_scale_steps_and_mean_are_those_of_the_answers(values: list[int]) -> None:
    result = tally_of(QuestionSpec(Kind.SCALE), values).result()
    assert isinstance(result, ScaleResult)
    assert [s.value for s in result.steps] == [1, 2, 3, 4, 5]
    assert [s.count for s in result.steps] == [values.count(v) for v in range(1, 6)]
    assert sum(s.count for s in result.steps) == result.respondents == len(values)
    if values:
        assert result.mean is not None
        assert abs(result.mean - sum(values) / len(values)) < 1e-9
        assert 1 <= result.mean <= 5
    else:
        assert result.mean is None


@FAST
@given(st.lists(word_answers, max_size=20))
def test_a_word_counts_the_people_who_named_it(answers: list[list[str]]) -> None:
    result = tally_of(QuestionSpec(Kind.WORDS), answers).result()
    assert isinstance(result, WordsResult)
    assert result.respondents == len(answers)
    keys = [{fold_word(w) for w in answer} for answer in answers]
    assert {w.key: w.count for w in result.words} == {
        key: sum(key in k for k in keys) for key in set().union(*keys)
    }
    for word in result.words:
        assert word.word in word.spellings
        assert all(fold_word(s) == word.key for s in word.spellings)
    counts = [w.count for w in result.words]
    assert counts == sorted(counts, reverse=True)  # most frequent first


@FAST
@given(st.lists(word_answers, max_size=20))
def test_a_merge_counts_a_person_once(answers: list[list[str]]) -> None:
    tally = tally_of(QuestionSpec(Kind.WORDS), answers)
    home, tele = fold_word("Homeoffice"), fold_word("Telearbeit")
    tally.edits = (WordEdit(1, EditAction.MERGE, tele, home),)
    result = tally.result()
    assert isinstance(result, WordsResult)
    counts = {w.key: w.count for w in result.words}
    named = sum(bool({home, tele} & {fold_word(w) for w in answer}) for answer in answers)
    assert counts.get(home, 0) == named
    assert tele not in counts


def comparable(result: object) -> object:
    """The result, less which spelling a word is shown in when two are used equally
    often: that tie is broken by arrival order (the first one seen)."""
    if isinstance(result, WordsResult):
        return [(w.key, w.count, w.spellings) for w in result.words], result.respondents
    return result


def answers_of(kind: Kind) -> st.SearchStrategy:
    return {Kind.SINGLE: single, Kind.MULTIPLE: picks, Kind.SCALE: scale_values}.get(
        kind, word_answers
    )


kinds = st.sampled_from([Kind.SINGLE, Kind.MULTIPLE, Kind.SCALE, Kind.WORDS])


@FAST
@given(kinds, st.data())
def test_the_order_answers_arrive_in_does_not_matter(kind: Kind, data) -> None:
    spec = QuestionSpec(kind, OPTIONS, max_choices=5)
    answers = data.draw(st.lists(answers_of(kind), max_size=20))
    shuffled = data.draw(st.permutations(answers))
    assert comparable(tally_of(spec, answers).result()) == comparable(
        tally_of(spec, shuffled).result()
    )


@FAST
@given(kinds, st.data())
def test_a_tally_fed_changes_equals_one_fed_the_current_answers(kind: Kind, data) -> None:
    """What the live cache relies on: first answers and replacements, in any order,
    leave the same tally as counting the answers that are current at the end."""
    spec = QuestionSpec(kind, OPTIONS, max_choices=5)
    steps = data.draw(st.lists(st.tuples(st.integers(0, 5), answers_of(kind)), max_size=30))
    live, current = Tally(spec), {}
    for person, answer in steps:
        live.replace(current.get(person), answer)
        current[person] = answer
    fresh = tally_of(spec, list(current.values()))
    assert comparable(live.result()) == comparable(fresh.result())
