package wizard

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func problemsOf(ps []Problem, col Column) []string {
	var out []string
	for _, p := range ps {
		if p.Column == col {
			out = append(out, p.Error())
		}
	}
	return out
}

func TestPreview_valid(t *testing.T) {
	m := hqModel(t, 20)
	p, err := m.Preview()
	if err != nil {
		t.Fatal(err)
	}
	if !p.Valid() {
		t.Fatalf("problems: %v", p.Problems())
	}
	if len(p.Rows) != 20 || len(p.ErrorRows()) != 0 {
		t.Fatalf("rows %d, error rows %v", len(p.Rows), p.ErrorRows())
	}
	r := p.Rows[19]
	for col, want := range map[Column]string{
		ColUserID: "user.020@acme.example.com", ColPhoneNumber: "2025550119", ColExtension: "0119",
		ColDeviceName: "user.020-phone", ColLinePort: "user.020@acme.example.com", ColCLIDLastName: "020",
		ColDepartment: "Sales", ColDeviceType: "Polycom VVX 450",
	} {
		if got := r.Get(col); got != want {
			t.Errorf("%s = %q, want %q", col, got, want)
		}
	}
	if err := CheckPassword(r.Get(ColPassword), r.Get(ColUserID), rulesAcmeHQ); err != nil {
		t.Errorf("generated password fails: %v", err)
	}
}

func TestPreview_editsSurviveRegeneration(t *testing.T) {
	m := hqModel(t, 5)
	p, err := m.Preview()
	if err != nil {
		t.Fatal(err)
	}
	pw := p.Rows[2].Get(ColPassword)
	// Editing the first name changes the user id, device and line port
	// that read it, but not the password (still valid).
	if ps := p.Set(2, ColFirstName, "Grace"); len(ps) != 0 {
		t.Fatalf("problems after edit: %v", ps)
	}
	if got := p.Rows[2].Get(ColUserID); got != "grace.003@acme.example.com" {
		t.Errorf("user id after edit = %q", got)
	}
	p.Set(3, ColExtension, "0999")
	// Change a template and regenerate: edits stay, others follow.
	m.Names.LastName = "Agent{{ index }}"
	if err := p.Regenerate(); err != nil {
		t.Fatal(err)
	}
	if got := p.Rows[2].Get(ColFirstName); got != "Grace" {
		t.Errorf("edited first name lost: %q", got)
	}
	if got := p.Rows[2].Get(ColUserID); got != "grace.Agent3@acme.example.com" {
		t.Errorf("user id = %q", got)
	}
	if got := p.Rows[3].Get(ColExtension); got != "0999" {
		t.Errorf("edited extension lost: %q", got)
	}
	if got := p.Rows[1].Get(ColLastName); got != "Agent2" {
		t.Errorf("template not applied: %q", got)
	}
	if p.Rows[2].Get(ColPassword) != pw {
		t.Errorf("generated password changed on regeneration")
	}
	if !p.Edited(2, ColFirstName) || p.Edited(2, ColLastName) {
		t.Errorf("Edited flags wrong")
	}
	p.Revert(2, ColFirstName)
	if got := p.Rows[2].Get(ColFirstName); got != "User" {
		t.Errorf("after revert first name = %q", got)
	}
	// Edits survive a draft round trip too.
	b, err := m.MarshalDraft(StepPreview)
	if err != nil {
		t.Fatal(err)
	}
	m2, step, err := UnmarshalDraft(b)
	if err != nil || step != StepPreview {
		t.Fatalf("UnmarshalDraft: %v, %v", step, err)
	}
	p2, err := m2.Preview()
	if err != nil {
		t.Fatal(err)
	}
	for i := range p.Rows {
		if p.Rows[i] != p2.Rows[i] {
			t.Errorf("row %d differs after draft round trip", i)
		}
	}
}

func TestPreview_crossRowAndCatalogueChecks(t *testing.T) {
	m := hqModel(t, 4)
	m.Device.MACAddress = "0004f2{{ index | pad 6 }}"
	p, err := m.Preview()
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Rows[0].Get(ColMACAddress); got != "0004F2000001" {
		t.Fatalf("MAC = %q", got)
	}
	p.Set(1, ColUserID, "USER.001@acme.example.com")
	p.Set(2, ColPhoneNumber, "2025550100")
	p.Set(3, ColMACAddress, "00:04:f2:00:00:01")
	p.Set(3, ColDeviceName, "user.001-phone")
	want := []string{
		"row 1, userId: duplicate: also in row 2",
		"row 1, phoneNumber: duplicate: also in row 3",
		"row 1, extension: duplicate: also in row 3",
		"row 1, deviceName: duplicate: also in row 2",
		"row 1, macAddress: duplicate: also in row 4",
		"row 2, userId: duplicate: already in row 1",
		"row 2, deviceName: duplicate: already in row 1",
		"row 3, phoneNumber: duplicate: already in row 1",
		"row 3, extension: duplicate: already in row 1",
		"row 4, deviceName: duplicate: already in row 1",
		"row 4, macAddress: duplicate: already in row 1",
	}
	var got []string
	for _, pr := range p.Problems() {
		got = append(got, pr.Error())
		if !errors.Is(pr, ErrDuplicate) {
			t.Errorf("%v is not ErrDuplicate", pr)
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if rows := p.ErrorRows(); !slices.Equal(rows, []int{0, 1, 2, 3}) {
		t.Errorf("ErrorRows = %v", rows)
	}
	if _, err := p.Plan(); !errors.Is(err, ErrInvalidRow) {
		t.Errorf("Plan of an invalid preview: %v", err)
	}
	// Fixing the cells clears the problems.
	p.Revert(1, ColUserID)
	p.Revert(2, ColPhoneNumber)
	p.Revert(3, ColMACAddress)
	p.Revert(3, ColDeviceName)
	if !p.Valid() {
		t.Errorf("still invalid: %v", p.Problems())
	}

	// Catalogue: number not available, extension length, unknown device type.
	p.Set(0, ColPhoneNumber, "2025559999")
	p.Set(1, ColExtension, "12345")
	p.Set(2, ColDeviceType, "Rotary Phone")
	wantCat := []string{
		"row 1, phoneNumber: 2025559999 is not available in group acme-hq",
		"row 2, extension: must be 4 digits long (has 5)",
		`row 3, deviceType: device type "Rotary Phone" is not offered`,
	}
	got = nil
	for _, pr := range p.Problems() {
		got = append(got, pr.Error())
	}
	if !slices.Equal(got, wantCat) {
		t.Errorf("catalogue problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantCat, "\n"))
	}
}

func TestPreview_licence(t *testing.T) {
	m := NewModelForGroup("acme-ent", true, demoFacts(t, "acme-ent", "acme-branch"))
	m.UserCount = 7
	p, err := m.Preview()
	if err != nil {
		t.Fatal(err)
	}
	var lic []string
	for _, pr := range p.Problems() {
		if errors.Is(pr, ErrLicence) {
			lic = append(lic, pr.Error())
		}
	}
	want := []string{
		"row 6: exceeds the group's user limit: 5 free of 25",
		"row 7: exceeds the group's user limit: 5 free of 25",
	}
	if !slices.Equal(lic, want) {
		t.Errorf("licence problems = %v, want %v", lic, want)
	}
	if fe := m.Validate(StepUserCount); fe[FieldUserCount] != "only 5 free licences in group acme-branch (limit 25, 20 users)" {
		t.Errorf("Validate(StepUserCount) = %v", fe)
	}
}

func TestPreview_blankPasswords(t *testing.T) {
	m := hqModel(t, 2)
	m.Passwords.Mode = PasswordsBlank
	p, err := m.Preview()
	if err != nil {
		t.Fatal(err)
	}
	if got := problemsOf(p.Problems(), ColPassword); !slices.Equal(got, []string{
		"row 1, password: is required: type one or generate",
		"row 2, password: is required: type one or generate",
	}) {
		t.Errorf("password problems = %v", got)
	}
	if len(m.Validate(StepPreview)) == 0 {
		t.Error("the preview step valid with blank passwords")
	}
	p.Set(0, ColPassword, "short")
	if got := cellProblem(p, 0, ColPassword); got != "needs at least 8 characters; needs at least 1 digit; needs at least 1 upper-case letter" {
		t.Errorf("cell problem = %q", got)
	}
	p.Set(0, ColPassword, "Typed-Secret-42")
	p.Set(1, ColPassword, "Typed-Secret-43")
	if !p.Valid() || len(m.Validate(StepPreview)) > 0 {
		t.Errorf("still invalid: %v", p.Problems())
	}
	plan, err := p.Plan()
	if err != nil || len(plan) != 2 {
		t.Fatalf("Plan: %v", err)
	}
}

func TestPreview_trunk(t *testing.T) {
	m := hqModel(t, 3)
	m.Device = DeviceStep{Mode: DeviceTrunk, TrunkGroup: "acme-hq-trunk", LinePort: "{{ phone number }}@acme.example.com"}
	p, err := m.Preview()
	if err != nil {
		t.Fatal(err)
	}
	if !p.Valid() {
		t.Fatalf("problems: %v", p.Problems())
	}
	if got := p.Rows[0].Get(ColLinePort); got != "2025550100@acme.example.com" {
		t.Errorf("line port = %q", got)
	}
	p.Set(1, ColDeviceName, "phone-1")
	if got := cellProblem(p, 1, ColTrunkGroup); got != "a user has a device or a trunk, not both" {
		t.Errorf("hosted+trunk problem = %q", got)
	}
}

func TestPreview_imported(t *testing.T) {
	rows, ps, err := ImportCSV(strings.NewReader("userId,firstName,lastName,phoneNumber\n" +
		"a.one@acme.example.com,A,One,2025550100\nb.two@acme.example.com,B,Two,2025550101\n"))
	if err != nil || len(ps) != 0 {
		t.Fatalf("import: %v %v", ps, err)
	}
	m := NewModelForGroup("acme-ent", true, demoFacts(t, "acme-ent", "acme-hq"))
	m.SetImported(rows)
	p, err := m.Preview()
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Rows) != 2 || !p.Valid() {
		t.Fatalf("rows %d, problems %v", len(p.Rows), p.Problems())
	}
	if p.Rows[1].Get(ColCLIDFirstName) != "B" || p.Rows[1].Get(ColPassword) == "" {
		t.Errorf("row 2 = %v", p.Rows[1].Fields()["callingLineIdFirstName"])
	}
	p.Set(1, ColPhoneNumber, "2025550100")
	if got := cellProblem(p, 1, ColPhoneNumber); got != "duplicate: already in row 1" {
		t.Errorf("duplicate after edit: %q", got)
	}
}

// TestPreview_SetOnlyRowCells: an edit that leaves the cells the checks
// between rows read as they were keeps their problems (they are not
// worked out again); one that changes them works them out again, and
// Revert too.
func TestPreview_SetOnlyRowCells(t *testing.T) {
	m := hqModel(t, 4)
	p, err := m.Preview()
	if err != nil {
		t.Fatal(err)
	}
	dups := func() int {
		n := 0
		for _, pr := range p.Problems() {
			if errors.Is(pr, ErrDuplicate) {
				n++
			}
		}
		return n
	}
	if dups() != 0 {
		t.Fatalf("duplicates before: %v", p.Problems())
	}
	first := p.Rows[0].Get(ColUserID)
	p.Set(2, ColUserID, first) // and the device name that follows it
	if dups() != 4 {
		t.Fatalf("row 3 given row 1's user id: %v", p.Problems())
	}
	p.Set(2, ColFirstName, "Renamed")
	p.Set(0, ColTimeZone, "Europe/Paris")
	if dups() != 4 || p.Rows[2].Get(ColFirstName) != "Renamed" {
		t.Fatalf("names edited: %v", p.Problems())
	}
	p.Revert(2, ColUserID)
	if dups() != 0 {
		t.Fatalf("user id reverted: %v", p.Problems())
	}
	p.Set(1, ColDeviceName, p.Rows[3].Get(ColDeviceName))
	if dups() != 2 {
		t.Fatalf("device name copied: %v", p.Problems())
	}
}

// TestPreview_SetKeepsDuplicatesAsRebuilt edits the cells duplicates are
// found in, at random among a few values so that rows collide, join and
// leave groups of several: after each edit, the problems of every row and
// of the table are those of a preview built again from the model, and
// Moved names every other row whose problems changed.
func TestPreview_SetKeepsDuplicatesAsRebuilt(t *testing.T) {
	m := hqModel(t, 12)
	m.Device.MACAddress = "0004f2{{ index | pad 6 }}"
	p, err := m.Preview()
	if err != nil {
		t.Fatal(err)
	}
	values := map[Column][]string{
		ColUserID:      {"a@acme.example.com", "A@acme.example.com", "b@acme.example.com", ""},
		ColPhoneNumber: {"2025550100", "+1-202-555-0100", "2025550101", ""},
		ColExtension:   {"0100", "0101", ""},
		ColMACAddress:  {"0004F2000001", "00:04:f2:00:00:02", ""},
		ColDeviceName:  {"desk-1", "DESK-1", "desk-2", ""},
	}
	cols := []Column{ColUserID, ColPhoneNumber, ColExtension, ColMACAddress, ColDeviceName}
	seed := uint64(7)
	rnd := func(n int) int {
		seed ^= seed << 13
		seed ^= seed >> 7
		seed ^= seed << 17
		return int(seed % uint64(n))
	}
	rowProblems := func(p *Preview) [][]string {
		out := make([][]string, len(p.Rows))
		for i := range p.Rows {
			for _, pr := range p.RowProblems(i) {
				out[i] = append(out[i], pr.Error())
			}
		}
		return out
	}
	before := rowProblems(p)
	for step := range 400 {
		row, col := rnd(len(p.Rows)), cols[rnd(len(cols))]
		if rnd(5) == 0 {
			p.Revert(row, col)
		} else {
			vs := values[col]
			p.Set(row, col, vs[rnd(len(vs))])
		}
		q, err := m.Preview()
		if err != nil {
			t.Fatal(err)
		}
		got, want := rowProblems(p), rowProblems(q)
		for i := range want {
			if !slices.Equal(got[i], want[i]) {
				t.Fatalf("step %d (row %d, %s): row %d has\n%s\nwant\n%s", step, row+1, col, i+1,
					strings.Join(got[i], "\n"), strings.Join(want[i], "\n"))
			}
		}
		if g, w := fmt.Sprint(p.Problems()), fmt.Sprint(q.Problems()); g != w {
			t.Fatalf("step %d: problems\n%s\nwant\n%s", step, g, w)
		}
		if p.Valid() != q.Valid() || !slices.Equal(p.ErrorRows(), q.ErrorRows()) {
			t.Fatalf("step %d: valid %v, error rows %v; want %v, %v", step, p.Valid(), p.ErrorRows(), q.Valid(), q.ErrorRows())
		}
		moved, all := p.Moved()
		for i := range got {
			if i != row && !all && !slices.Equal(got[i], before[i]) && !slices.Contains(moved, i) {
				t.Fatalf("step %d: row %d changed from %v to %v, not in Moved %v", step, i+1, before[i], got[i], moved)
			}
		}
		before = got
	}
}

// cellProblem returns the first problem message of a cell of p, or "".
func cellProblem(p *Preview, i int, col Column) string {
	for _, pr := range p.RowProblems(i) {
		if pr.Column == col {
			return pr.Msg
		}
	}
	return ""
}
