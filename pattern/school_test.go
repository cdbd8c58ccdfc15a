package pattern

import "testing"

// TestCodesShapedLikeTheExamples: "Enroll S-20931 in MATH101" was refused (MATH101,
// after "in", was taken for a place) and "Expel S-20931" enrolled the student in the
// course "Expel S-20931" (the sentence's first word joined to the code as one name). A
// code in capitals and digits fills the parameter whose example has its shape; no
// sentence's first word is part of a code.
func TestCodesShapedLikeTheExamples(t *testing.T) {
	p := newTestPattern(t,
		testTool("enroll_student", "Enroll a student in a course",
			`{"type":"object","properties":{"student_id":{"type":"string","description":"Student number"},"course_code":{"type":"string","description":"Course code, e.g. CS50"}},"required":["student_id","course_code"]}`),
		testTool("get_grades", "Get a student's grades for a term",
			`{"type":"object","properties":{"student_id":{"type":"string"},"term":{"type":"string","enum":["fall","spring","summer"]}},"required":["student_id"]}`),
	)
	wantCalls(t, p, map[string]string{
		"Enroll S-20931 in MATH101":            "enroll_student(student_id=S-20931 course_code=MATH101)",
		"What are S-11842's grades?":           "get_grades(student_id=S-11842)",
		"Show me the spring grades of S-20931": "get_grades(student_id=S-20931 term=spring)",
	}, "student_id", "course_code", "term")
	wantRefusal(t, p, "Expel S-20931", "")
	wantRefusal(t, p, "Enroll S-20931 in math", "course_code")
}
