package pattern

import "testing"

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
