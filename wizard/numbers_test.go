package wizard

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseNumberRange(t *testing.T) {
	tests := []struct {
		in      string
		want    NumberRange
		wantLen int
		wantErr string
	}{
		{in: "2025550100", want: NumberRange{"2025550100", "2025550100"}, wantLen: 1},
		{in: " 2025550100 ", want: NumberRange{"2025550100", "2025550100"}, wantLen: 1},
		{in: "2025550100-2025550199", want: NumberRange{"2025550100", "2025550199"}, wantLen: 100},
		{in: "2025550100 - 2025550109", want: NumberRange{"2025550100", "2025550109"}, wantLen: 10},
		{in: "2025550100..2025550104", want: NumberRange{"2025550100", "2025550104"}, wantLen: 5},
		{in: "2025550100–2025550101", want: NumberRange{"2025550100", "2025550101"}, wantLen: 2},
		{in: "0001-0010", want: NumberRange{"0001", "0010"}, wantLen: 10},
		{in: "+12025550100", want: NumberRange{"+12025550100", "+12025550100"}, wantLen: 1},
		{in: "+1-2025550100", want: NumberRange{"+1-2025550100", "+1-2025550100"}, wantLen: 1},
		{in: "+1-2025550100-+1-2025550102", want: NumberRange{"+1-2025550100", "+1-2025550102"}, wantLen: 3},
		{in: "12345678901234567890123", want: NumberRange{"12345678901234567890123", "12345678901234567890123"}, wantLen: 1},
		{in: "12345678901234567890100-12345678901234567890199", want: NumberRange{"12345678901234567890100", "12345678901234567890199"}, wantLen: 100},
		{in: "", wantErr: `"": is empty`},
		{in: "   ", wantErr: `"   ": is empty`},
		{in: "202555O100", wantErr: `"202555O100": must contain digits only`},
		{in: "2025550199-2025550100", wantErr: `"2025550199-2025550100": range end is lower than its start`},
		{in: "2025550100-20255501", wantErr: `"2025550100-20255501": both ends of a range must have the same number of digits`},
		{in: "+12025550100-2025550100", wantErr: `"+12025550100-2025550100": both ends of a range must have the same prefix`},
		{in: "+1-2025550100-+44-2025550100", wantErr: `"+1-2025550100-+44-2025550100": both ends of a range must have the same prefix`},
		{in: "2025550000-2025569999", wantErr: `"2025550000-2025569999": range holds more than 10000 numbers`},
		{in: "123456789012345678901234", wantErr: `"123456789012345678901234": must be at most 23 characters`},
		{in: "2025550100-", wantErr: `"2025550100-": is not a number or a range like 2025550100-2025550199`},
		{in: "-2025550100", wantErr: `"-2025550100": is not a number or a range like 2025550100-2025550199`},
		{in: "+", wantErr: `"+": has no digits`},
		{in: "+1234-55", wantErr: `"+1234-55": both ends of a range must have the same prefix`},
		{in: "+1234-", wantErr: `"+1234-": has a bad country code`},
		// found by fuzzing: long input made the split search quadratic.
		{in: strings.Repeat("-", 60) + "90", wantErr: `"----------------------------------------…": is too long for a number or a range (62 characters)`},
		{in: "abc-def", wantErr: `"abc-def": is not a number or a range like 2025550100-2025550199`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseNumberRange(tc.in)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr || !errors.Is(err, ErrNumber) {
					t.Fatalf("ParseNumberRange(%q) = %v, %v; want error %q", tc.in, got, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseNumberRange(%q): %v", tc.in, err)
			}
			if got != tc.want || got.Len() != tc.wantLen || len(got.Numbers()) != tc.wantLen {
				t.Errorf("ParseNumberRange(%q) = %v (len %d), want %v (len %d)", tc.in, got, got.Len(), tc.want, tc.wantLen)
			}
		})
	}
}

func TestNumberRange_Numbers(t *testing.T) {
	r, err := ParseNumberRange("+1-0099-+1-0102")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"+1-0099", "+1-0100", "+1-0101", "+1-0102"}
	if got := r.Numbers(); !reflect.DeepEqual(got, want) {
		t.Errorf("Numbers = %v, want %v", got, want)
	}
}

func TestExpandNumbers(t *testing.T) {
	got, errs := ExpandNumbers([]string{"2025550100-2025550102", "", "2025550101", "bad", "2025550200"}, 0)
	want := []string{"2025550100", "2025550101", "2025550102", "2025550200"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("numbers = %v, want %v", got, want)
	}
	wantErrs := []string{
		`entry 3: "2025550101": 2025550101 is already in entry 1`,
		`entry 4: "bad": must contain digits only`,
	}
	if len(errs) != len(wantErrs) {
		t.Fatalf("errs = %v", errs)
	}
	for i, e := range errs {
		if e.Error() != wantErrs[i] {
			t.Errorf("err %d = %q, want %q", i, e, wantErrs[i])
		}
	}
	limited, _ := ExpandNumbers([]string{"2025550100-2025550199"}, 5)
	if len(limited) != 5 {
		t.Errorf("limit 5 gave %d numbers", len(limited))
	}
}

func TestExtensionFromNumber(t *testing.T) {
	for _, tc := range []struct {
		n    string
		l    int
		want string
	}{
		{"2025550142", 4, "0142"}, {"2025550142", 5, "50142"}, {"+1-2025550142", 3, "142"}, {"12", 4, ""}, {"2025550142", 0, ""},
	} {
		if got := ExtensionFromNumber(tc.n, tc.l); got != tc.want {
			t.Errorf("ExtensionFromNumber(%q, %d) = %q, want %q", tc.n, tc.l, got, tc.want)
		}
	}
}

func FuzzNumberRange(f *testing.F) {
	for _, s := range []string{"2025550100", "2025550100-2025550199", "+1-2025550100-+1-2025550102", "0001-0010",
		"1-9", "99..100", "+44-1-+44-5", "2025550199-2025550100", "a-b", "--", "+"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseNumberRange(s)
		if err != nil {
			if !errors.Is(err, ErrNumber) {
				t.Fatalf("error %v does not wrap ErrNumber", err)
			}
			return
		}
		n := r.Len()
		if n < 1 || n > MaxRangeSize {
			t.Fatalf("%q: Len %d out of bounds", s, n)
		}
		nums := r.Numbers()
		if len(nums) != n || nums[0] != r.First || nums[n-1] != r.Last {
			t.Fatalf("%q: Numbers() = %d numbers from %q to %q, want %d from %q to %q", s, len(nums), nums[0], nums[len(nums)-1], n, r.First, r.Last)
		}
		for _, x := range nums {
			if checkNumber(x) != "" || len(x) != len(r.First) {
				t.Fatalf("%q: expanded number %q is invalid", s, x)
			}
		}
		// The canonical form parses back to the same range.
		r2, err := ParseNumberRange(r.String())
		if err != nil || r2 != r {
			t.Fatalf("%q: String %q parses to %v, %v", s, r.String(), r2, err)
		}
	})
}
