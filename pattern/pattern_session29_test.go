package pattern

import (
	"regexp"
	"strings"
	"testing"
)

// TestStayWithItsMonthOnce: "book a double for Maria Lopez from 3 to 5 april" was
// refused for want of a check-out ("3" was a number), and "from 12 to 14 march" found
// no check-in: a range whose month is written once, after its last day, gives both
// dates.
func TestStayWithItsMonthOnce(t *testing.T) {
	p := catalogPattern(t, "testdata/hotel.yaml")
	wantCalls(t, p, map[string]string{
		"book a double for Maria Lopez from 3 to 5 april":            "reservations.create(check_in=2027-04-03 check_out=2027-04-05 room_type=double)",
		"reserve a twin room for Tom Hale, 12 to 14 march, 2 guests": "reservations.create(check_in=2027-03-12 check_out=2027-03-14 room_type=twin)",
		"list free twin rooms between the 12th and 14th of march":    "rooms.availability(check_in=2027-03-12 check_out=2027-03-14 room_type=twin)",
	}, "check_in", "check_out", "room_type")
}

// TestLabelBeforeNameIsTheNextValue: "onboard Tom Reed role Backend Engineer" was
// served with the name "Backend Engineer" and the role "Tom Reed": "role" after a name
// was read as saying what that name is ("the Stronger album"), though a value follows
// it. A parameter's word with a name right after it labels that name.
func TestLabelBeforeNameIsTheNextValue(t *testing.T) {
	p := catalogPattern(t, "testdata/hr.json")
	wantCalls(t, p, map[string]string{
		"onboard Tom Reed role Backend Engineer from 1 March 2027":             "onboard_employee(full_name=Tom Reed role=Backend Engineer start_date=2027-03-01)",
		"please onboard Tom Reed - role: Backend Engineer - from 1 March 2027": "onboard_employee(full_name=Tom Reed role=Backend Engineer start_date=2027-03-01)",
		"please onboard Tom Reed, role Backend Engineer, from 1 March 2027":    "onboard_employee(full_name=Tom Reed role=Backend Engineer start_date=2027-03-01)",
		"onboard Tom Reed from 1 March 2027, job title Backend Engineer":       "onboard_employee(full_name=Tom Reed role=Backend Engineer start_date=2027-03-01)",
	}, "full_name", "role", "start_date")
}

// TestCodeWrittenAsItsWord: "add PRJ-1120 to sprint 43" was served as a lookup of the
// issue and a move into the sprint that lookup returned (the issue's own sprint): the
// sprint the user named, "^SPR-[0-9]+$", is the number after the word its letters
// begin. A tool that changes a thing never takes the value it changes from a lookup of
// that thing: "assign OPS-31 to dan" had taken the assignee from the issue.
func TestCodeWrittenAsItsWord(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/project_tracker.yaml")
	wantCalls(t, p, map[string]string{
		"add PRJ-1120 to sprint 43":                     "sprint_add_issue(sprint_id=SPR-43 issue_keys=[PRJ-1120])",
		"pls pull PRJ-1120 and PRJ-1121 into sprint 43": "sprint_add_issue(sprint_id=SPR-43 issue_keys=[PRJ-1120 PRJ-1121])",
		"assign OPS-31 to Dan":                          "issue_assign(issue_key=OPS-31 assignee=Dan)",
	}, "sprint_id", "issue_keys", "issue_key", "assignee")
	wantRefusal(t, p, "assign OPS-31 to dan", "")
	wantRefusal(t, p, "assign OPS-31 to dan and leave him a comment that the vault creds are in 1password", "")
}

// TestStepAfterItsPronoun: "log a bug in PRJ titled '...' and stick it in sprint 43"
// was served as the bug alone: "stick" is no verb the planner knew, so the clause ran
// on and its second instruction was dropped. A word with a pronoun for its object and
// a particle or a second object after it ("stick it in", "leave him a comment") opens
// an instruction; "stick it in" puts it there, and the list of issues is the one just
// created.
func TestStepAfterItsPronoun(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/project_tracker.yaml")
	wantCalls(t, p, map[string]string{
		"log a bug in PRJ titled 'Invoice PDF shows wrong VAT' and stick it in sprint 43": "issue_create(title=Invoice PDF shows wrong VAT); sprint_add_issue(sprint_id=SPR-43 issue_keys=[${s1.issue_key}])",
	}, "title", "sprint_id", "issue_keys")
}

// TestOwnWordsNameAnotherTool: "seat them and get a tab going" was served as the
// seating alone: "get a tab going" matched nothing it could plan, and the seating,
// ranked first by the words of the clause before it, was taken to account for it. A
// clause whose own words name another tool better than the step's is not accounted
// for by that step.
func TestOwnWordsNameAnotherTool(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/restaurant_ops.yaml")
	wantRefusal(t, p, "Lindqvist party of 4 just walked in for booking BK-30552 - seat them and get a tab going", "get a tab going")
}

// TestVerbOfTheToolName: over a tracker whose tools are named for the thing and then the
// act (issue_assign, issue_comment), "comment on PRJ-1010: fixed in staging" was served
// as a look-up of the issue and "assign OPS-31 to Dan" as a search by assignee: a verb
// the catalogue's names hold is a verb of the requests and of those tools.
func TestVerbOfTheToolName(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/project_tracker.yaml")
	wantCalls(t, p, map[string]string{
		"comment on PRJ-1010: fixed in staging": "issue_comment(issue_key=PRJ-1010 body=fixed in staging)",
		"assign OPS-31 to Dan":                  "issue_assign(issue_key=OPS-31 assignee=Dan)",
	}, "issue_key", "body", "assignee")
}

// TestStatementAboutSomeoneElse: "start a bar tab for the guy in the red hat, he gave me
// his card to hold" was served as a card payment: the statement after the comma ran on
// as part of the instruction and its "card" outranked the tab. What a third person did,
// after a comma and with no value of its own, is a statement of its own.
func TestStatementAboutSomeoneElse(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/restaurant_ops.yaml")
	wantRefusal(t, p, "start a bar tab for the guy in the red hat, he gave me his card to hold", "tabs.open")
}

// TestCodeIsNoTitle: "tag PRJ-1010 as a regression + customer-reported" was served as a
// new issue titled "PRJ-1010": a code the catalogue identifies a thing by is no title.
// "get rid of" deletes ("get rid of all the screenshots" had been a search alone), and
// a lookup of the issue gives no sprint to put it in ("add PRJ-1130 to the sprint we're
// in now" had added it to its own sprint).
func TestCodeIsNoTitle(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/project_tracker.yaml")
	wantRefusal(t, p, "tag PRJ-1010 as a regression + customer-reported", "")
	wantRefusal(t, p, "add PRJ-1130 to the sprint we're in now", `needs "sprint_id"`)
	photos := catalogPattern(t, "../eval/cases/catalogs/photo_cloud.yaml")
	wantCalls(t, photos, map[string]string{
		"get rid of MED-220931": "Library_MoveToTrash(item_ids=[MED-220931])",
	}, "item_ids")
	wantRefusal(t, photos, "get rid of all the screenshots I took last week", "asks to delete")
}

// TestWhatTheToolSaysItHasNot: "customer paid £95 cash for INV-508851, mark it as paid"
// was served as a card payment, over a tool that says "Card only: nothing records cash,
// cheque or bank transfer". A short thing the tool says it does not record, written as
// it writes it, is refused like the longer ones; and what it says it does not file ("a
// claim with the manufacturer") too. A word is no serial number: "the new PCB" had been
// one.
func TestWhatTheToolSaysItHasNot(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/field_service.yaml")
	wantRefusal(t, p, "customer paid £95 cash for INV-508851, mark it as paid", "names cash")
	wantRefusal(t, p, "claim the new PCB back under warranty from Ideal for JOB-31866", "names claim")
}

// TestRequirementNoStepSets: "can I get a link to ALB-30412 that anyone can open? should
// stop working after a week" was served with a second step revoking the link: "should
// ..." with no subject says what the link must be, and a plan that sets none of it (no
// expiry) is refused, not served as if unsaid.
func TestRequirementNoStepSets(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/photo_cloud.yaml")
	wantRefusal(t, p, "can I get a link to ALB-30412 that anyone can open? should stop working after a week", "says what the result must be")
	wantCalls(t, p, map[string]string{
		"can I get a link to ALB-30412 that anyone can open?": "Sharing_CreateLink(album_id=ALB-30412)",
	}, "album_id")
}

// TestSerialNumberHasDigits: a serial number is digits, or letters and digits; a word
// ("PCB") is none.
func TestSerialNumberHasDigits(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/field_service.yaml")
	wantCalls(t, p, map[string]string{
		"is serial no. GC4722018 still under warranty": "check-warranty(serial_number=GC4722018)",
		"check the warranty on the PCB from Ideal":     "check-warranty()",
	}, "serial_number")
}

// TestCodeOfAlternatives: a pattern that opens with a choice of literal prefixes
// ("^(PRJ|MOB|OPS)-[0-9]+$") is a code's as much as one prefix is: "PRJ-1010" is an
// issue's key, and the refusal says so.
func TestCodeOfAlternatives(t *testing.T) {
	for pat, want := range map[string]string{
		"^(PRJ|MOB|OPS)-[0-9]+$":   "PRJ MOB OPS",
		"^SPR-[0-9]+$":             "SPR-",
		"^(T|P|BAR|PR)[0-9]{1,2}$": "",
		"^[A-Z]{2}[0-9]+$":         "",
	} {
		if got := strings.Join(literalPrefixes(regexp.MustCompile(pat)), " "); got != want {
			t.Errorf("literalPrefixes(%q) = %q, want %q", pat, got, want)
		}
	}
	p := catalogPattern(t, "../eval/cases/catalogs/project_tracker.yaml")
	wantRefusal(t, p, "tag PRJ-1010 as a regression + customer-reported", `"PRJ-1010" is a value of issue_add_label.issue_key`)
}

// TestNumberOfAnotherThing: "get tomas and the mobile-team to look over mobile-app PR 88"
// was served as a list of the repository's pull requests waiting on mobile-team: the
// clause names one pull request by the number other tools take (pr_number), and a plan
// that takes no number would act on every one. "PRs" is the list's own word, no author.
func TestNumberOfAnotherThing(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/project_tracker.yaml")
	wantRefusal(t, p, "get tomas and the mobile-team to look over mobile-app PR 88", "88")
	wantCalls(t, p, map[string]string{
		"list PRs in mobile-app waiting on mobile-team": "pr_list(repo=mobile-app review_requested_from=mobile-team)",
	}, "repo", "review_requested_from", "author")
}

// TestGiveSomeoneSomething: "give Ryan Cole an after school detention on thursday" was
// served as a look-up of Thursday's timetable ("give" reads as "get" in "give me the
// forecast"): giving someone something is no look-up.
func TestGiveSomeoneSomething(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/classroom.yaml")
	wantRefusal(t, p, "give Ryan Cole an after school detention on thursday", "asks to give")
}

// TestMessageThatOnlySaysWhom: "message Theo Barker's mum" was served with the message
// "Theo Barker's mum": words that only say whom it is for are no message.
func TestMessageThatOnlySaysWhom(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/classroom.yaml")
	wantRefusal(t, p, "message Theo Barker's mum", "says who it is for")
	wantCalls(t, p, map[string]string{
		"message Theo Barker's mum that he left his PE kit in the lab": "messageGuardian(student=Theo Barker message=he left his PE kit in the lab)",
	}, "student", "message")
}

// TestVerbIsNotTheWayWhenTheWayIsSaid: "merge web-app PR 517 with a squash" was served
// with the method "merge", the verb the clause opens with, though it says the way: when
// the clause names another value of the parameter, the opening verb is what it asks.
func TestVerbIsNotTheWayWhenTheWayIsSaid(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/project_tracker.yaml")
	wantCalls(t, p, map[string]string{
		"merge web-app PR 517 with a squash": "pr_merge(pr_number=517 method=squash)",
		"merge web-app PR 517":               "pr_merge(pr_number=517 method=merge)",
	}, "pr_number", "method")
}

// TestNumberInAName: "share the Lisbon 2031 album with ana@example.com" shared the album
// "Lisbon": a number between a name and the thing the parameter names is the name's.
func TestNumberInAName(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/photo_cloud.yaml")
	wantCalls(t, p, map[string]string{
		"share the Lisbon 2031 album with ana@example.com":             "Sharing_ShareAlbum(album_title=Lisbon 2031)",
		"grab me the full Rome 2030 album, original quality, as a zip": "Export_Download(album_title=Rome 2030)",
	}, "album_title")
}

// TestEnumValueIsNoExampleShape: "show open PRs by priya in web-app" gave the reviewer
// "web-app" (the shape of its example "mobile-team") and no repository: a value of one
// of the tool's enums is that parameter's.
func TestEnumValueIsNoExampleShape(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/project_tracker.yaml")
	wantCalls(t, p, map[string]string{
		"show open PRs in web-app": "pr_list(repo=web-app)",
	}, "repo", "review_requested_from")
}
