from podium.domain.questions import Kind, Option, PercentBase, QuestionSpec
from podium.domain.tally import (
    ChoiceResult,
    ScaleResult,
    Tally,
    TextResult,
    WordsResult,
    whole_percent,
)

OPTIONS = (Option(1, "Homeoffice"), Option(2, "Führung"), Option(3, "Digitalisierung"))


def choice(result: object) -> ChoiceResult:
    assert isinstance(result, ChoiceResult)
    return result


def test_top3_percentages_are_of_respondents() -> None:
    tally = Tally(QuestionSpec(Kind.MULTIPLE, OPTIONS, max_choices=3))
    tally.add([1, 2])
    tally.add([1])
    tally.add([1, 2, 3])
    tally.add([3])
    result = choice(tally.result())
    assert result.respondents == 4
    assert result.answers == 7
    assert [o.whole_percent for o in result.options] == [75, 50, 50]


def test_percent_of_answers_adds_up_to_about_100() -> None:
    spec = QuestionSpec(Kind.MULTIPLE, OPTIONS, max_choices=3, percent_base=PercentBase.ANSWERS)
    tally = Tally(spec)
    tally.add([1, 2])
    tally.add([1])
    result = choice(tally.result())
    assert [o.whole_percent for o in result.options] == [67, 33, 0]


def test_changed_answer_moves_the_count() -> None:
    tally = Tally(QuestionSpec(Kind.SINGLE, OPTIONS))
    tally.add([1])
    tally.replace([1], [2])
    result = choice(tally.result())
    assert result.respondents == 1
    assert [o.count for o in result.options] == [0, 1, 0]


def test_no_answers_gives_zero_not_an_error() -> None:
    result = choice(Tally(QuestionSpec(Kind.SINGLE, OPTIONS)).result())
    assert result.respondents == 0
    assert all(o.whole_percent == 0 for o in result.options)


def test_rounding_is_half_up() -> None:
    assert whole_percent(1, 8) == 13  # 12.5 -> 13, not banker's 12
    assert whole_percent(5, 200) == 3  # 2.5 -> 3
    assert whole_percent(0, 0) == 0


def test_scale_distribution_and_mean() -> None:
    tally = Tally(QuestionSpec(Kind.SCALE, scale_min=1, scale_max=5))
    for value in (5, 4, 4, 1):
        tally.add(value)
    result = tally.result()
    assert isinstance(result, ScaleResult)
    assert result.mean == 3.5
    assert [s.count for s in result.steps] == [1, 0, 0, 2, 1]
    assert result.steps[3].whole_percent == 50


def test_scale_without_answers_has_no_mean() -> None:
    result = Tally(QuestionSpec(Kind.SCALE)).result()
    assert isinstance(result, ScaleResult)
    assert result.mean is None


def test_words_count_case_variants_once_and_show_the_common_spelling() -> None:
    tally = Tally(QuestionSpec(Kind.WORDS, max_words=3))
    tally.add(["Homeoffice", "Digitalisierung"])
    tally.add(["homeoffice"])
    tally.add(["Homeoffice", "E-Akte"])
    result = tally.result()
    assert isinstance(result, WordsResult)
    assert [(w.word, w.count) for w in result.words] == [
        ("Homeoffice", 3),
        ("Digitalisierung", 1),
        ("E-Akte", 1),
    ]
    assert result.words[0].spellings == ("Homeoffice", "homeoffice")


def test_words_removed_when_answer_changes() -> None:
    tally = Tally(QuestionSpec(Kind.WORDS, max_words=3))
    tally.add(["Homeoffice"])
    tally.replace(["Homeoffice"], ["Videoberatung"])
    result = tally.result()
    assert isinstance(result, WordsResult)
    assert [w.word for w in result.words] == ["Videoberatung"]


def test_texts_newest_first() -> None:
    tally = Tally(QuestionSpec(Kind.TEXT))
    tally.add("erste")
    tally.add("zweite")
    result = tally.result()
    assert isinstance(result, TextResult)
    assert result.texts == ("zweite", "erste")


def words_of(tally: Tally) -> dict[str, int]:
    result = tally.result()
    assert isinstance(result, WordsResult)
    return {w.word: w.count for w in result.words}


def test_a_merge_counts_a_person_once_per_word_and_undo_splits_exactly() -> None:
    from podium.domain.word_edits import EditAction, WordEdit
    from podium.domain.words import fold_word

    answers = [
        ["Homeoffice", "Telearbeit"],  # A names both
        ["Homeoffice"],
        ["homeoffice", "Digitalisierung"],
        ["Telearbeit"],
        ["Home-Office", "Telearbeit", "E-Akte"],
    ]
    tally = Tally(QuestionSpec(Kind.WORDS, max_words=3))
    for answer in answers:
        tally.add(answer)
    before = words_of(tally)
    home, tele = fold_word("Homeoffice"), fold_word("Telearbeit")
    tally.edits = (WordEdit(1, EditAction.MERGE, tele, home),)
    expected = sum(1 for a in answers if {fold_word(w) for w in a} & {home, tele})
    merged = words_of(tally)
    assert merged["Homeoffice"] == expected == 5  # not 7: the sum of both words
    assert "Telearbeit" not in merged
    assert merged["Homeoffice"] <= tally.respondents
    tally.edits = ()
    assert words_of(tally) == before


def test_a_merge_chain_and_a_hidden_word_count_once_too() -> None:
    from podium.domain.word_edits import EditAction, WordEdit
    from podium.domain.words import fold_word

    tally = Tally(QuestionSpec(Kind.WORDS, max_words=3))
    tally.add(["Homeoffice", "Telearbeit", "Mobilarbeit"])
    tally.add(["Mobilarbeit", "Quatsch"])
    home, tele, mobil = (fold_word(w) for w in ("Homeoffice", "Telearbeit", "Mobilarbeit"))
    tally.edits = (
        WordEdit(1, EditAction.MERGE, mobil, tele),
        WordEdit(2, EditAction.MERGE, tele, home),
        WordEdit(3, EditAction.HIDE, fold_word("Quatsch")),
    )
    assert words_of(tally) == {"Homeoffice": 2}
    tally.remove(["Mobilarbeit", "Quatsch"])
    tally.remove(["Homeoffice", "Telearbeit", "Mobilarbeit"])
    assert words_of(tally) == {}
