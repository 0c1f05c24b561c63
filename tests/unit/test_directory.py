"""workflows/directory.py: reading the staff directory CSV, who approves for whom, and `directory check`."""

import logging
import os
import subprocess
import sys
from pathlib import Path

from workflows.directory import HEADER, DirectoryFile, check_directory, read_directory

from .conftest import REPO

HEADER_LINE = ",".join(HEADER)

# A small trust: a teacher and a colleague under a head teacher, the head under the CEO (the top of the trust,
# and admin), HR reporting to the CEO.
TRUST = f"""{HEADER_LINE}
U0TEACH,Tom Teacher,tom@oak.sch.uk,staff,Oakfield,U0HEAD
U0COLL,Cath Colleague,cath@oak.sch.uk,staff,Oakfield,U0HEAD
U0HEAD,Hilda Head,hilda@oak.sch.uk,staff;manager,Oakfield,U0CEO
U0CEO,Carl Chief,carl@trust.org.uk,staff;manager;admin,Trust,
U0HR,Hana Hr,hana@trust.org.uk,staff;hr,Trust,U0CEO
"""


def write(tmp_path: Path, text: str, name: str = "staff.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def directory_of(tmp_path: Path, text: str):
    return read_directory(write(tmp_path, text))


def ids(people) -> list[str]:
    return [p.slack_id for p in people]


# --- read_directory ------------------------------------------------------------------------------------------------


def test_a_good_file_is_read_with_roles_and_managers(tmp_path):
    directory = directory_of(tmp_path, TRUST)

    assert directory.problems == ()
    assert set(directory.people) == {"U0TEACH", "U0COLL", "U0HEAD", "U0CEO", "U0HR"}
    tom = directory.get("U0TEACH")
    assert (tom.name, tom.email, tom.academy, tom.manager_id) == ("Tom Teacher", "tom@oak.sch.uk", "Oakfield",
                                                                  "U0HEAD")
    assert tom.roles == {"staff"}
    assert directory.get("U0CEO").manager_id is None
    assert directory.get("U0CEO").has("admin") and not directory.get("U0HEAD").has("admin")
    assert directory.get("nobody") is None and directory.get(None) is None


def test_header_must_be_the_contract_header(tmp_path):
    swapped = TRUST.replace("name,email", "email,name", 1)

    directory = directory_of(tmp_path, swapped)

    assert directory.people == {}
    assert directory.problems == (f"line 1: the header must be {HEADER_LINE}",)


def test_a_header_with_spaces_and_an_excel_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "staff.csv"
    path.write_bytes(("\ufeff" + TRUST.replace(",", ", ", 5)).encode("utf-8"))

    directory = read_directory(path)

    assert directory.problems == ()
    assert len(directory.people) == 5


def test_an_empty_file_and_a_missing_file_are_reported_not_raised(tmp_path):
    assert directory_of(tmp_path, "").problems == (f"line 1: the header must be {HEADER_LINE}",)
    missing = read_directory(tmp_path / "nope.csv")
    assert missing.people == {}
    assert "no staff directory file" in missing.problems[0]


def test_bad_rows_are_reported_by_line_and_skipped(tmp_path):
    text = "\n".join([
        HEADER_LINE,                                                    # 1
        "U01,Good One,one@x,staff,Oak,",                                # 2
        "U02,Too Few,two@x,staff",                                      # 3
        "",                                                             # 4 blank: ignored
        "U03,Wrong Role,three@x,staff;headteacher,Oak,U01",             # 5
        "U01,Good One Again,again@x,staff,Oak,",                        # 6 duplicate ID
        ",No Id,noid@x,staff,Oak,U01",                                  # 7
        "U04,,noname@x,staff,Oak,U01",                                  # 8
        "U05,Too Many,five@x,staff,Oak,U01,extra",                      # 9
        "   ,  ,  , , ,",                                               # 10 only spaces: ignored
        "U06,Good Two,six@x,,Oak,U01",                                  # 11 no roles: staff
    ]) + "\n"

    directory = directory_of(tmp_path, text)

    assert set(directory.people) == {"U01", "U06"}
    assert directory.get("U01").name == "Good One"  # the first of the duplicates is kept
    assert directory.get("U06").roles == {"staff"}
    lines = [problem.split(":")[0] for problem in directory.problems]
    assert lines == ["line 3", "line 5", "line 6", "line 7", "line 8", "line 9"]
    assert "expected 6 columns, found 4" in directory.problems[0]
    assert "unknown role headteacher" in directory.problems[1]
    assert "U01 appears twice" in directory.problems[2]
    assert all("skipped" in problem for problem in directory.problems)


def test_roles_are_split_on_semicolons_and_trimmed(tmp_path):
    directory = directory_of(tmp_path, f"{HEADER_LINE}\nU01,Pat,p@x, staff ; hr ;admin;,Oak,\n")

    assert directory.problems == ()
    assert directory.get("U01").roles == {"staff", "hr", "admin"}


def test_a_file_saved_as_plain_excel_csv_costs_the_rows_it_spoils_not_the_bot(tmp_path):
    path = tmp_path / "staff.csv"
    text = f"{HEADER_LINE}\nU01,Zo\xeb Evans,zoe@x,staff;hr;admin,Oak,\nU02,Bob Smith,bob@x,staff,Oak,U01\n"
    path.write_bytes(text.encode("cp1252"))

    directory = read_directory(path)

    assert set(directory.people) == {"U02"}
    assert len(directory.problems) == 1
    assert directory.problems[0].startswith("line 2:") and "UTF-8" in directory.problems[0]


def test_a_line_the_csv_reader_cannot_read_is_reported_not_raised(tmp_path):
    huge = "x" * 200_000  # over the csv module's field size limit
    directory = directory_of(tmp_path, f'{HEADER_LINE}\nU01,Ann,a@x,staff;hr;admin,Oak,\nU02,"{huge}",b@x,staff,'
                                       'Oak,U01\n')

    assert set(directory.people) == {"U01"}
    assert directory.problems[0].startswith("line 3:") and "cannot be read" in directory.problems[0]


def test_non_ascii_names_are_kept(tmp_path):
    directory = directory_of(tmp_path, f"{HEADER_LINE}\nU01,Siân Öztürk-Ní Bhriain,s@x,staff,Oak,\n"
                                       "U02,نور الهدى,n@x,staff,Oak,U01\n")

    assert directory.problems == ()
    assert directory.get("U01").name == "Siân Öztürk-Ní Bhriain"
    assert directory.get("U02").name == "نور الهدى"


# --- approvers_for and chain_above -------------------------------------------------------------------------------


def test_the_approver_is_the_manager(tmp_path):
    directory = directory_of(tmp_path, TRUST)

    assert ids(directory.approvers_for(directory.get("U0TEACH"))) == ["U0HEAD"]
    assert ids(directory.approvers_for(directory.get("U0HEAD"))) == ["U0CEO"]
    assert ids(directory.approvers_for(directory.get("U0HR"))) == ["U0CEO"]


def test_the_top_of_the_trust_goes_to_hr(tmp_path):
    directory = directory_of(tmp_path, TRUST)

    assert ids(directory.approvers_for(directory.get("U0CEO"))) == ["U0HR"]


def test_hr_never_approves_for_themselves(tmp_path):
    text = f"{HEADER_LINE}\nU0A,Alex,a@x,staff;hr;admin,Trust,\nU0B,Bea,b@x,staff;hr,Trust,\n"
    directory = directory_of(tmp_path, text)

    assert ids(directory.approvers_for(directory.get("U0A"))) == ["U0B"]
    assert ids(directory.approvers_for(directory.get("U0B"))) == ["U0A"]


def test_the_only_hr_person_at_the_top_has_no_approver(tmp_path):
    directory = directory_of(tmp_path, f"{HEADER_LINE}\nU0A,Alex,a@x,staff;hr;admin,Trust,\n")

    assert directory.approvers_for(directory.get("U0A")) == []


def test_someone_listed_as_their_own_manager_is_never_their_own_approver(tmp_path):
    text = f"{HEADER_LINE}\nU0A,Alex,a@x,staff,Oak,U0A\nU0H,Hana,h@x,staff;hr;admin,Trust,\n"
    directory = directory_of(tmp_path, text)

    assert ids(directory.approvers_for(directory.get("U0A"))) == ["U0H"]


def test_a_manager_missing_from_the_directory_falls_back_to_hr(tmp_path):
    text = f"{HEADER_LINE}\nU0A,Alex,a@x,staff,Oak,U0GONE\nU0H,Hana,h@x,staff;hr;admin,Trust,\n"
    directory = directory_of(tmp_path, text)

    assert ids(directory.approvers_for(directory.get("U0A"))) == ["U0H"]


def test_chain_above_goes_up_to_the_top(tmp_path):
    directory = directory_of(tmp_path, TRUST)

    assert ids(directory.chain_above(directory.get("U0TEACH"))) == ["U0HEAD", "U0CEO"]
    assert directory.chain_above(directory.get("U0CEO")) == []


def test_chain_above_stops_at_a_loop(tmp_path):
    text = f"{HEADER_LINE}\nU0A,A,a@x,staff,Oak,U0B\nU0B,B,b@x,staff,Oak,U0C\nU0C,C,c@x,staff,Oak,U0B\n"
    directory = directory_of(tmp_path, text)

    assert ids(directory.chain_above(directory.get("U0A"))) == ["U0B", "U0C"]
    assert ids(directory.chain_above(directory.get("U0B"))) == ["U0C"]


def test_with_role_filters_by_academy(tmp_path):
    directory = directory_of(tmp_path, TRUST)

    assert ids(directory.with_role("manager")) == ["U0HEAD", "U0CEO"]
    assert ids(directory.with_role("manager", academy="Oakfield")) == ["U0HEAD"]


# --- check_directory -------------------------------------------------------------------------------------------


def test_a_clean_directory_has_no_problems(tmp_path):
    assert check_directory(directory_of(tmp_path, TRUST)) == []


def test_an_unknown_manager_is_a_problem(tmp_path):
    problems = check_directory(directory_of(tmp_path, TRUST + "U0NEW,Nia New,n@x,staff,Oakfield,U0GHOST\n"))

    assert problems == ["U0NEW (Nia New): manager U0GHOST is not in the directory"]


def test_someone_who_is_their_own_manager_is_a_problem(tmp_path):
    problems = check_directory(directory_of(tmp_path, TRUST + "U0SELF,Sam Self,s@x,staff,Oakfield,U0SELF\n"))

    assert problems == ["U0SELF (Sam Self): is their own manager"]


def test_a_loop_of_managers_is_a_problem_for_everyone_in_it(tmp_path):
    loop = "U0X,Xan,x@x,staff,Oak,U0Y\nU0Y,Yas,y@x,staff,Oak,U0Z\nU0Z,Zed,z@x,staff,Oak,U0X\n"

    problems = check_directory(directory_of(tmp_path, TRUST + loop))

    assert sorted(problems) == [f"{who}: the chain of managers goes round in a loop"
                                for who in ("U0X (Xan)", "U0Y (Yas)", "U0Z (Zed)")]


def test_nobody_with_hr_is_a_problem_and_the_top_has_nowhere_to_go(tmp_path):
    problems = check_directory(directory_of(tmp_path, TRUST.replace("staff;hr", "staff")))

    assert "nobody has the hr role: requests and reports from the top of the trust have nowhere to go" in problems
    assert any(p.startswith("U0CEO (Carl Chief): has no manager and there is nobody with the hr role")
               for p in problems)
    assert len(problems) == 2


def test_nobody_admin_is_a_problem(tmp_path):
    assert check_directory(directory_of(tmp_path, TRUST.replace("manager;admin", "manager"))) == [
        "nobody has the admin role"]


def test_bad_rows_are_among_the_problems(tmp_path):
    problems = check_directory(directory_of(tmp_path, TRUST + "U0BAD,Bad Role,b@x,teacher,Oak,U0HEAD\n"))

    assert len(problems) == 1 and problems[0].startswith("line 7: unknown role teacher")


# --- DirectoryFile -----------------------------------------------------------------------------------------------


def test_directory_file_reads_again_when_the_file_changes(tmp_path):
    path = write(tmp_path, TRUST)
    live = DirectoryFile(path)

    first = live.current()
    assert len(first.people) == 5
    assert live.current() is first  # unchanged: not read again

    path.write_text(TRUST + "U0NEW,Nia New,n@x,staff,Oakfield,U0HEAD\n", encoding="utf-8")
    assert live.current().get("U0NEW").name == "Nia New"


def test_directory_file_notices_a_change_of_the_same_size(tmp_path):
    path = write(tmp_path, TRUST)
    live = DirectoryFile(path)
    before = path.stat().st_mtime_ns
    assert live.current().get("U0TEACH").name == "Tom Teacher"

    path.write_text(TRUST.replace("Tom Teacher", "Tim Teacher"), encoding="utf-8")
    os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))  # a later edit, whatever the clock's grain

    assert live.current().get("U0TEACH").name == "Tim Teacher"


def test_directory_file_keeps_serving_after_a_bad_edit_and_logs_the_problems(tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    path = write(tmp_path, TRUST)
    live = DirectoryFile(path)
    live.current()

    path.write_text(TRUST + "U0BAD,Bad,b@x,teacher,Oak,U0HEAD\nnot,a,valid\n", encoding="utf-8")
    directory = live.current()

    assert len(directory.people) == 5
    assert "line 7: unknown role teacher" in caplog.text
    assert "line 8: expected 6 columns" in caplog.text


def test_a_missing_directory_file_is_reported_then_read_once_it_appears(tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    path = tmp_path / "staff.csv"
    live = DirectoryFile(path)

    assert live.current().people == {}
    assert "no staff directory file" in caplog.text

    write(tmp_path, TRUST)
    assert len(live.current().people) == 5


# --- python bot.py directory check FILE ---------------------------------------------------------------------------


def directory_check(tmp_path: Path, path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_PATH": str(tmp_path / "db" / "bot.db"), "PYTHONIOENCODING": "utf-8",
           "SLACK_BOT_TOKEN": "", "SLACK_APP_TOKEN": "", "SLACK_SIGNING_SECRET": ""}
    return subprocess.run([sys.executable, "bot.py", "directory", "check", str(path)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=60)


def test_directory_check_passes_a_good_file(tmp_path):
    path = write(tmp_path, TRUST)

    result = directory_check(tmp_path, path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{path}: 5 people, 0 problem(s)."


def test_directory_check_lists_the_problems_of_a_bad_file(tmp_path):
    path = write(tmp_path, TRUST + "U0NEW,Nia New,n@x,staff,Oakfield,U0GHOST\nU0BAD,Bad,b@x,teacher,Oak,U0HEAD\n")

    result = directory_check(tmp_path, path)

    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert lines[-1] == f"{path}: 6 people, 2 problem(s)."
    assert lines[0].startswith("line 8: unknown role teacher")
    assert lines[1] == "U0NEW (Nia New): manager U0GHOST is not in the directory"


def test_directory_check_of_a_missing_file_fails(tmp_path):
    result = directory_check(tmp_path, tmp_path / "nope.csv")

    assert result.returncode == 1
    assert "no staff directory file" in result.stdout
