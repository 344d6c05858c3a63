"""The board's results file: every kind of problem, computed and given grades, revisions, idempotence, speed-shaped
behaviour (no writes in a preview, all-or-nothing commits)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from examdesk.audit.models import AuditEvent
from examdesk.core.errors import ApplicationError
from examdesk.people.models import Candidate
from examdesk.people.tests.factories import CandidateFactory
from examdesk.results import services
from examdesk.results.files import services as results_import
from examdesk.results.keys import id_number_is_well_formed
from examdesk.results.models import Entry, OnlineRegistration, Result, ResultsFile
from examdesk.results.tests.factories import entry_with_result
from examdesk.results.tests.files.support import (
    HEADERS,
    check,
    commit,
    csv_bytes,
    fce_row,
    reasons,
    setting,
    xlsx_bytes,
)
from examdesk.transfer.reading import UnreadableFile

pytestmark = pytest.mark.django_db


@pytest.fixture
def s():
    return setting()


def only_reason(found, row=2):
    found_reasons = reasons(found)
    assert list(found_reasons) == [row], found_reasons
    assert len(found_reasons[row]) == 1, found_reasons[row]
    return found_reasons[row][0]


# What a good file does.


def test_a_new_candidate_is_created_with_an_entry_a_registration_and_a_graded_result(s):
    found = check(s, [fce_row()])
    assert (found.counts.new_candidates, found.counts.new_entries, found.counts.new_results) == (1, 1, 1)
    assert not Candidate.objects.exists() and not Entry.objects.exists(), "a preview writes nothing"

    outcome = commit(s, [fce_row(**{"Date of birth": "2010-04-03"})])

    assert outcome.counts.new_candidates == 1 and outcome.counts.new_results == 1
    candidate = Candidate.objects.get(centre=s.centre, unique_id="S-1")
    assert (candidate.first_name, candidate.last_name, candidate.date_of_birth) == (
        "Ana",
        "Pereira S-1",
        date(2010, 4, 3),
    )
    entry = Entry.objects.get(candidate=candidate)
    assert (entry.centre, entry.series, entry.qualification.code, entry.candidate_number) == (
        s.centre,
        s.series,
        "FCE",
        "0001",
    )
    assert entry.release.qualification_id == entry.qualification_id and entry.release.released_at is None
    assert len(entry.verification_code) == 14
    assert id_number_is_well_formed(OnlineRegistration.objects.get(candidate=candidate).id_number)
    result = Result.objects.get(entry=entry)
    assert (result.revision, result.is_current, result.status) == (1, True, "issued")
    assert (result.overall_score, result.grade, result.label, result.cefr_level) == (
        Decimal(190),
        "C",
        "Pass at Grade C",
        "B2",
    )
    assert result.awards_certificate
    assert result.component_scores["RD"] == {"state": "scored", "score": "185"}
    assert result.results_file.status == ResultsFile.Status.COMMITTED


def test_an_existing_candidate_keeps_their_record_and_gets_the_entry(s):
    candidate = CandidateFactory(centre=s.centre, unique_id="S-1", first_name="Ana", last_name="Pereira S-1")
    found = check(s, [fce_row(**{"First name": " ana ", "Last name": "PEREIRA  s-1"})])
    assert not found.evaluation.problems
    assert (found.counts.new_candidates, found.counts.new_entries) == (0, 1)
    commit(s, [fce_row()])
    assert Entry.objects.get().candidate == candidate
    assert Candidate.objects.count() == 1


def test_importing_the_same_file_twice_changes_nothing(s):
    rows = [fce_row(), fce_row("0002", "S-2"), fce_row("0003", "S-3", Qualification="KET", RW=140, LI=130, SP=120)]
    for code in ("RD", "UE", "WR"):
        rows[2][code] = ""
    first = commit(s, rows)
    assert first.counts.new_results == 3
    results_before = list(Result.objects.order_by("pk").values())

    again = check(s, rows)
    assert (again.counts.new_results, again.counts.changed_results, again.counts.unchanged) == (0, 0, 3)
    second = commit(s, rows)

    assert (second.counts.new_candidates, second.counts.new_entries) == (0, 0)
    assert (second.counts.new_results, second.counts.changed_results, second.counts.unchanged) == (0, 0, 3)
    assert list(Result.objects.order_by("pk").values()) == results_before
    assert Candidate.objects.count() == 3 and Entry.objects.count() == 3


def test_a_changed_score_makes_a_new_revision_and_keeps_the_history(s):
    commit(s, [fce_row(), fce_row("0002", "S-2")])
    found = check(s, [fce_row(RD=205), fce_row("0002", "S-2")])
    assert (found.counts.changed_results, found.counts.unchanged) == (1, 1)

    outcome = commit(s, [fce_row(RD=205), fce_row("0002", "S-2")])

    assert (outcome.counts.changed_results, outcome.counts.unchanged) == (1, 1)
    entry = Entry.objects.get(candidate__unique_id="S-1")
    old, new = Result.objects.filter(entry=entry).order_by("revision")
    assert (old.revision, old.is_current, old.overall_score) == (1, False, Decimal(190))
    assert (new.revision, new.is_current, new.overall_score) == (2, True, Decimal(194))
    assert new.results_file_id != old.results_file_id
    assert Result.objects.filter(entry__candidate__unique_id="S-2").count() == 1


def test_the_same_scores_written_differently_are_the_same_result(s):
    commit(s, [fce_row()])
    found = check(s, [fce_row(RD="185.0", UE="190.00", Overall="190", Grade="c")])
    assert (found.counts.unchanged, found.counts.changed_results) == (1, 0)


# Overall score and grade: computed when missing, checked when given.


def test_a_given_overall_and_grade_that_agree_are_accepted(s):
    found = check(s, [fce_row(Overall=190, Grade="C"), fce_row("0002", "S-2", Overall="190", Grade="Pass at Grade C")])
    assert not found.evaluation.problems
    assert found.counts.new_results == 2


def test_a_given_overall_score_that_disagrees_is_a_problem_with_the_computed_one(s):
    found = check(s, [fce_row(Overall=186)])
    assert only_reason(found) == (
        "The overall score 186 does not match 190, computed from the component scores by the mean of the "
        "component scores."
    )
    problem = found.evaluation.problems[0]
    assert (problem.column, problem.value) == ("Overall", "186")
    assert found.counts.rejected == 1 and found.counts.new_results == 0


def test_a_given_grade_that_disagrees_is_a_problem(s):
    found = check(s, [fce_row(Grade="A")])
    assert only_reason(found) == "The grade 'A' does not match 'C', the grade for an overall score of 190."
    assert found.evaluation.problems[0].column == "Grade"


def test_a_missing_overall_and_grade_are_computed_by_the_qualifications_rules(s):
    rows = [
        fce_row(RD=200, UE=201, WR=199, LI=200, SP=200),  # mean 200: Grade A, C1
        fce_row("0002", "S-2", Qualification="0580", RD="", UE="", WR="", LI="", SP="", P2=50, P4=99),
    ]
    headers = [*HEADERS, "P2", "P4"]
    outcome = commit(s, rows, data=csv_bytes(rows, headers))
    assert outcome.counts.new_results == 2
    a = Result.objects.get(entry__candidate__unique_id="S-1")
    assert (a.overall_score, a.grade, a.cefr_level) == (Decimal(200), "A", "C1")
    maths = Result.objects.get(entry__candidate__unique_id="S-2")
    assert (maths.overall_score, maths.grade) == (Decimal(149), "B")


# Absent, exempt, pending and withheld.


def test_absent_counts_as_the_lowest_score_and_exempt_is_left_out(s):
    rows = [fce_row(SP="absent"), fce_row("0002", "S-2", SP="EXE"), fce_row("0003", "S-3", SP="A", RD="e")]
    outcome = commit(s, rows)
    assert outcome.counts.new_results == 3
    absent = Result.objects.get(entry__candidate__unique_id="S-1")
    assert absent.component_scores["SP"] == {"state": "absent", "score": None}
    assert absent.overall_score == Decimal(179)  # (185 + 190 + 178 + 201 + 140) / 5 = 178.8
    exempt = Result.objects.get(entry__candidate__unique_id="S-2")
    assert exempt.component_scores["SP"] == {"state": "exempt", "score": None}
    assert exempt.overall_score == Decimal(189)  # (185 + 190 + 178 + 201) / 4 = 188.5, half up
    both = Result.objects.get(entry__candidate__unique_id="S-3")
    assert both.component_scores["RD"]["state"] == "exempt" and both.component_scores["SP"]["state"] == "absent"


def test_pending_and_withheld_rows_need_no_scores(s):
    empty = dict.fromkeys(("RD", "UE", "WR", "LI", "SP"), "")
    rows = [fce_row(Status="pending", **empty), fce_row("0002", "S-2", Status="Withheld", **empty)]
    outcome = commit(s, rows)
    assert outcome.counts.new_results == 2 and outcome.counts.rejected == 0
    pending = Result.objects.get(entry__candidate__unique_id="S-1")
    assert (pending.status, pending.component_scores, pending.overall_score, pending.grade) == ("pending", {}, None, "")
    assert Result.objects.get(entry__candidate__unique_id="S-2").status == "withheld"


def test_a_pending_row_may_give_some_scores_but_then_no_overall(s):
    found = check(s, [fce_row(Status="pending", SP=""), fce_row("0002", "S-2", Status="pending", SP="", Overall=190)])
    assert list(reasons(found)) == [3]
    assert "cannot be checked while SP has no score" in reasons(found)[3][0]
    commit(s, [fce_row(Status="pending", SP="")])
    result = Result.objects.get()
    assert (
        result.status == "pending"
        and result.overall_score is None
        and set(result.component_scores)
        == {
            "RD",
            "UE",
            "WR",
            "LI",
        }
    )


def test_a_result_that_becomes_issued_is_a_new_revision(s):
    empty = dict.fromkeys(("RD", "UE", "WR", "LI", "SP"), "")
    commit(s, [fce_row(Status="pending", **empty)])
    outcome = commit(s, [fce_row()])
    assert outcome.counts.changed_results == 1
    assert list(Result.objects.order_by("revision").values_list("status", "is_current")) == [
        ("pending", False),
        ("issued", True),
    ]


# Every kind of problem, with its row number and a reason a person understands.


@pytest.mark.parametrize(
    ("values", "column", "reason"),
    [
        ({"Centre number": "99999"}, "Centre number", "There is no centre 99999 at this board."),
        ({"Series": "Nov 2031"}, "Series", "There is no series 'Nov 2031'. Use a series code or name; this board has "
         "2026-06 (June 2026)."),
        ({"Qualification": "CAE"}, "Qualification", "There is no qualification 'CAE' at this board (its codes: 0580, "
         "FCE, KET, YLE-MOV)."),
        ({"Candidate number": "12345"}, "Candidate number", "'12345' is not a candidate number: it must be 4 digits, "
         "such as 0042."),
        ({"Candidate number": "12a"}, "Candidate number", "'12a' is not a candidate number: it must be 4 digits, "
         "such as 0042."),
        ({"Candidate number": ""}, "Candidate number", "The candidate number is missing."),
        ({"Candidate ID": ""}, "Candidate ID", "The unique ID is missing. Give every candidate the ID your centre uses "
         "for them."),
        ({"First name": ""}, "First name", "The name is missing. Type the name as it should appear on certificates."),
        ({"RD": 211}, "RD", "211 is outside the scale of Reading (RD), 140 to 210."),
        ({"RD": "139"}, "RD", "139 is outside the scale of Reading (RD), 140 to 210."),
        ({"RD": "good"}, "RD", "'good' is not a score for Reading: write a number, 'absent' or 'exempt'."),
        ({"RD": "NaN"}, "RD", "'NaN' is not a score for Reading: write a number, 'absent' or 'exempt'."),
        ({"WR": ""}, "WR", "The score for Writing (WR) is missing: give a score, 'absent' or 'exempt' (or mark the "
         "row pending or withheld)."),
        ({"RW": "120"}, "RW", "FCE has no component RW: leave this cell empty on FCE rows."),
        ({"Overall": "high"}, "Overall", "'high' is not an overall score: write a number."),
        ({"Status": "final"}, "Status", "'final' is not a status: use issued, pending or withheld (empty means "
         "issued)."),
        ({"Preparation centre": "10002"}, "Preparation centre", "Centre 10002 is not a preparation centre linked to "
         "centre 10001."),
        ({"Preparation centre": "77777"}, "Preparation centre", "There is no centre 77777 at this board."),
        ({"Date of birth": "31/02/2010"}, "Date of birth", '"31/02/2010" was read as 31 February 2010 '
         "(day/month/year), a date that does not exist."),
        ({"Date of birth": "2031-01-01"}, "Date of birth", "01 January 2031 is not a possible date of birth. Check "
         "the year."),
        ({"SP": "E", "RD": "E", "UE": "exempt", "WR": "exempt", "LI": "exempt"}, "Overall",
         "Every component is exempt: there is nothing to grade."),
    ],
)  # fmt: skip
def test_each_problem_is_reported_on_its_row_and_the_row_is_left_out(s, values, column, reason):
    rows = [fce_row("0009", "S-9"), fce_row(**values)]
    found = check(s, rows)
    problems = [problem for problem in found.evaluation.problems if problem.row == 3]
    assert [problem.row for problem in found.evaluation.problems] == [3], found.evaluation.problems
    assert problems[0].column == column
    if reason is not None:
        assert problems[0].reason == reason
    assert found.counts.rejected == 1 and found.counts.new_results == 1
    outcome = commit(s, rows)
    assert outcome.counts.new_results == 1 and outcome.counts.rejected == 1
    assert list(Entry.objects.values_list("candidate__unique_id", flat=True)) == ["S-9"]


def test_a_file_without_a_components_column_says_which_column_is_missing(s):
    headers = [header for header in HEADERS if header != "SP"]
    found = results_import.check(board=s.board, data=csv_bytes([fce_row()], headers))
    assert only_reason(found) == "The file has no SP column, which FCE needs for Speaking."


def test_a_file_without_a_required_column_cannot_be_imported(s):
    headers = [header for header in HEADERS if header not in ("Candidate number", "Series")]
    found = results_import.check(board=s.board, data=csv_bytes([fce_row()], headers))
    assert found.evaluation.file_problems == [
        "The file has no column for: Series, Candidate number. Name the columns as the README lists them "
        "(any order, any case)."
    ]
    with pytest.raises(ApplicationError, match="cannot be imported as it is"):
        commit(s, [fce_row()], data=csv_bytes([fce_row()], headers))
    assert not Entry.objects.exists()


def test_an_unreadable_file_is_refused_with_a_clear_message(s):
    with pytest.raises(UnreadableFile, match="PDF document"):
        results_import.check(board=s.board, data=b"%PDF-1.7 not a spreadsheet")


def test_headings_are_matched_in_any_order_case_and_spelling(s):
    headers = [
        "surname",
        "FORENAME",
        "DOB",
        "cand no",
        "Student ID",
        "Exam",
        "session",
        "Centre",
        *"rd ue wr li sp".split(),
    ]
    renamed = {
        "surname": "Pereira S-1",
        "FORENAME": "Ana",
        "DOB": "13/04/2010",
        "cand no": "1",
        "Student ID": "S-1",
        "Exam": "fce",
        "session": "june 2026",
        "Centre": "10001",
        "rd": 185,
        "ue": 190,
        "wr": 178,
        "li": 201,
        "sp": 196,
    }
    found = results_import.check(board=s.board, data=csv_bytes([renamed], headers), date_order=None)
    assert not found.evaluation.problems and found.counts.new_results == 1


def test_a_candidate_number_used_by_another_candidate_at_the_centre_is_a_problem(s):
    entry_with_result(centre=s.centre, qualification=s.qualifications["KET"], series=s.series, candidate_number="0001",
                      scores={"RW": 140, "LI": 130, "SP": 120})  # fmt: skip
    found = check(s, [fce_row("0001", "S-1"), fce_row("0002", "S-2")])
    assert (
        only_reason(found) == "Candidate number 0001 is already used by another candidate at centre 10001 in June 2026."
    )
    assert found.counts.new_results == 1


def test_one_candidate_number_for_two_candidates_in_the_file_is_a_problem_on_both_rows(s):
    found = check(s, [fce_row("0007", "S-1"), fce_row("0008", "S-2"), fce_row("7", "S-3")])
    assert sorted(reasons(found)) == [2, 4]
    assert reasons(found)[2] == [
        "Candidate number 0007 is given to more than one candidate at centre 10001 in June 2026 (rows 2, 4)."
    ]


def test_one_candidate_may_keep_one_number_for_two_qualifications(s):
    ket = fce_row(Qualification="KET", RD="", UE="", WR="", RW=140, LI=130, SP=120)
    found = check(s, [fce_row(), ket])
    assert not found.evaluation.problems and found.counts.new_entries == 2 and found.counts.new_candidates == 1


def test_the_same_entry_twice_is_a_problem_on_both_rows(s):
    found = check(s, [fce_row(), fce_row(RD=200)])
    assert reasons(found) == {
        2: ["Candidate S-1's FCE entry in June 2026 is on more than one row (rows 2, 3): keep one."],
        3: ["Candidate S-1's FCE entry in June 2026 is on more than one row (rows 2, 3): keep one."],
    }


def test_a_name_that_differs_from_the_register_is_a_problem_not_an_overwrite(s):
    CandidateFactory(centre=s.centre, unique_id="S-1", first_name="Ana", last_name="Pereira")
    found = check(s, [fce_row(**{"First name": "Anna", "Last name": "Pereira"})])
    assert only_reason(found) == (
        "Candidate S-1 at centre 10001 is Ana Pereira in the register, not Anna Pereira. Check the candidate ID, "
        "or ask the centre to correct the name first."
    )
    commit(s, [fce_row(**{"First name": "Anna", "Last name": "Pereira"})])
    assert Candidate.objects.get().first_name == "Ana" and not Entry.objects.exists()


def test_accents_and_case_do_not_make_a_name_differ(s):
    CandidateFactory(centre=s.centre, unique_id="S-1", first_name="Chloé", last_name="Martin")
    found = check(s, [fce_row(**{"First name": "CHLOE", "Last name": "martin"})])
    assert not found.evaluation.problems


def test_a_date_of_birth_that_differs_from_the_register_is_a_problem(s):
    CandidateFactory(centre=s.centre, unique_id="S-1", first_name="Ana", last_name="Pereira S-1",
                     date_of_birth=date(2010, 4, 3))  # fmt: skip
    found = check(s, [fce_row(**{"Date of birth": "2010-03-04"})])
    assert only_reason(found) == (
        "Candidate S-1 at centre 10001 was born on 3 April 2010 according to the register, not on 4 March 2010. "
        "Check the candidate ID and the date."
    )
    assert not check(s, [fce_row(**{"Date of birth": ""})]).evaluation.problems


def test_two_rows_that_give_one_new_candidate_different_names_are_problems(s):
    ket = fce_row(Qualification="KET", RD="", UE="", WR="", RW=140, LI=130, SP=120, **{"First name": "Anne"})
    found = check(s, [fce_row(), ket])
    assert reasons(found)[2] == ["Rows 2, 3 give candidate S-1 at centre 10001 different names."]
    assert sorted(reasons(found)) == [2, 3]


def test_the_same_candidate_id_at_two_centres_is_two_candidates(s):
    found = check(s, [fce_row(), fce_row(**{"Centre number": "10002", "Last name": "Other"})])
    assert not found.evaluation.problems and found.counts.new_candidates == 2


def test_a_preparation_centre_linked_to_the_exam_centre_is_recorded(s):
    commit(s, [fce_row(**{"Preparation centre": "p10001"})])
    assert Entry.objects.get().preparation_centre == s.preparation


def test_a_new_candidate_number_updates_the_entry(s):
    commit(s, [fce_row("0001")])
    found = check(s, [fce_row("0005")])
    assert (found.counts.updated_entries, found.counts.unchanged) == (1, 1)
    commit(s, [fce_row("0005")])
    assert Entry.objects.get().candidate_number == "0005"


def test_dates_that_read_two_ways_are_asked_about(s):
    rows = [fce_row(**{"Date of birth": "03/04/2010"}), fce_row("0002", "S-2", **{"Date of birth": "05/06/2010"})]
    found = check(s, rows)
    assert found.evaluation.date_question and not found.evaluation.can_commit
    assert found.evaluation.date_examples == ["03/04/2010", "05/06/2010"]
    with pytest.raises(ApplicationError):
        commit(s, rows)
    found = check(s, rows, date_order=results_import.DateOrder.MDY)
    assert not found.evaluation.date_question and not found.evaluation.problems


# Spreadsheets.


def test_leading_zeros_come_back_from_numeric_cells_of_a_workbook(s):
    rows = [
        fce_row(1, **{"Candidate ID": 7}),
        fce_row(42, "S-42"),
        fce_row(3, "S-3", Qualification=580, RD="", UE="", WR="", LI="", SP="", P2=50, P4=99),
    ]
    data = xlsx_bytes(rows, [*HEADERS, "P2", "P4"])
    outcome = commit(s, rows, data=data)
    assert outcome.counts.rejected == 0, outcome.plan.evaluation.problems
    numbers = dict(Entry.objects.values_list("candidate__unique_id", "candidate_number"))
    assert numbers == {"7": "0001", "S-42": "0042", "S-3": "0003"}
    assert Entry.objects.get(candidate__unique_id="S-3").qualification.code == "0580"


def test_a_series_code_that_a_spreadsheet_turned_into_a_date_is_still_the_series(s):
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer)
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, HEADERS)
    row = fce_row()
    for column, header in enumerate(HEADERS):
        value = row.get(header, "")
        if header == "Series":
            sheet.write_datetime(1, column, date(2026, 6, 1), workbook.add_format({"num_format": "yyyy-mm"}))
        elif value != "":
            sheet.write(1, column, value)
    workbook.close()
    found = results_import.check(board=s.board, data=buffer.getvalue())
    assert not found.evaluation.problems and found.counts.new_results == 1


def test_formula_like_names_are_stored_literally_and_neutralised_in_the_report(s):
    rows = [
        fce_row(**{"First name": '=HYPERLINK("http://x")', "Last name": "+Smith"}),
        fce_row("0002", "S-2", **{"First name": "'@Ann", "Last name": "-Lee"}),  # our own CSV's neutralised form
        fce_row("0003", "=S-3", RD=999, **{"First name": "@bad"}),
    ]
    outcome = commit(s, rows)
    names = dict(Candidate.objects.values_list("unique_id", "first_name"))
    assert names == {"S-1": '=HYPERLINK("http://x")', "S-2": "@Ann"}
    assert Candidate.objects.get(unique_id="S-1").last_name == "+Smith"
    sheet = openpyxl.load_workbook(io.BytesIO(outcome.report))["Problems"]
    header = [cell.value for cell in sheet[1]]
    assert header[:2] == ["Row", "Problems"]
    values = [cell for cell in sheet[2]]
    assert values[0].value == 4
    by_header = dict(zip(header, values, strict=True))
    assert by_header["Candidate ID"].value == "=S-3" and by_header["Candidate ID"].data_type == "s"
    assert by_header["Candidate ID"].quotePrefix
    assert by_header["First name"].value == "@bad" and by_header["First name"].quotePrefix
    assert "999 is outside the scale" in by_header["Problems"].value
    assert sheet.max_row == 2


# All or nothing; the audit trail.


def test_a_commit_that_fails_half_way_writes_nothing(s, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "results_record", broken)
    with pytest.raises(RuntimeError):
        commit(s, [fce_row(), fce_row("0002", "S-2")])
    assert not Candidate.objects.exists() and not Entry.objects.exists() and not OnlineRegistration.objects.exists()
    assert ResultsFile.objects.get().status == ResultsFile.Status.FAILED


def test_the_commit_is_audited_for_the_board_and_for_each_centre(s, django_user_model):
    staff = django_user_model.objects.create_user(email="board@example.org", password="x" * 12)
    rows = [fce_row(), fce_row("0001", "T-1", **{"Centre number": "10002"}), fce_row("0002", "S-2", RD=999)]
    commit(s, rows, actor=staff)
    events = AuditEvent.objects.filter(action=AuditEvent.Action.RESULTS_IMPORTED).order_by("pk")
    assert [event.centre_number for event in events] == ["10001", "10002", ""]
    assert all(event.actor_email == "board@example.org" for event in events)
    assert events[0].data["candidates_created"] == ["S-1"]
    assert "2 new results" in events[2].summary and "1 row left out" in events[2].summary


def test_entries_save_refuses_a_number_another_candidate_holds(s):
    entry = entry_with_result(centre=s.centre, series=s.series, candidate_number="0001")
    other = CandidateFactory(centre=s.centre)
    row = services.EntryData(s.centre.pk, other.pk, entry.qualification_id, s.series.pk, "0001")
    with pytest.raises(ApplicationError, match="0001 is already used by another candidate"):
        services.entries_save(rows=[row])
