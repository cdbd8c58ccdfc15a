package tool

import "testing"

// TestSchemaPatternAndBounds: a property's pattern and numeric bounds are read as
// written; a value of another JSON type there gives none.
func TestSchemaPatternAndBounds(t *testing.T) {
	s, err := ParseSchema([]byte(`{"type":"object","properties":{
		"id":{"type":"string","pattern":"^RSV-[0-9]{6}$"},
		"qty":{"type":"integer","minimum":1,"maximum":10},
		"odd":{"type":"integer","minimum":"1","pattern":5}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Properties["id"].PatternString(); got != "^RSV-[0-9]{6}$" {
		t.Errorf("id pattern = %q", got)
	}
	if lo, hasLo, hi, hasHi := s.Properties["qty"].Bounds(); !hasLo || !hasHi || lo != 1 || hi != 10 {
		t.Errorf("qty bounds = %v %v %v %v, want 1 true 10 true", lo, hasLo, hi, hasHi)
	}
	if _, hasLo, _, hasHi := s.Properties["id"].Bounds(); hasLo || hasHi {
		t.Error("id has bounds")
	}
	odd := s.Properties["odd"]
	if _, hasLo, _, _ := odd.Bounds(); hasLo || odd.PatternString() != "" {
		t.Error("a minimum or pattern of the wrong JSON type was read")
	}
}
