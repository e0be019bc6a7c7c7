package wizard

import (
	"testing"
)

// TestPreviewJob builds on another goroutine while the owner keeps reading
// and writing its model (go test -race checks that they share nothing),
// then adopts the result: the owner keeps the generated passwords and
// later edits land in the owner.
func TestPreviewJob(t *testing.T) {
	m := hqModel(t, 300)
	m.SetCell(4, ColFirstName, "Grace")
	j := m.PreviewJob()
	type built struct {
		p   *Preview
		err error
	}
	done := make(chan built)
	go func() {
		p, err := j.Build()
		done <- built{p, err}
	}()
	var b built
	for owner := true; owner; {
		select {
		case b = <-done:
			owner = false
		default:
			// What the owner does meanwhile: read the model, and change
			// what Build must not see.
			if _, err := m.MarshalDraft(StepPreview); err != nil {
				t.Fatal(err)
			}
			m.Validate(StepNames)
			f := *m.Facts
			m.Facts = &f
		}
	}
	if b.err != nil {
		t.Fatal(b.err)
	}
	if len(m.Passwords.Generated) != 0 {
		t.Fatal("Build wrote passwords into the owner before Adopt")
	}
	j.Adopt(b.p)
	p := b.p
	if !p.Valid() || len(p.Rows) != 300 {
		t.Fatalf("rows %d, problems %v", len(p.Rows), p.Problems())
	}
	if got := p.Rows[4].Get(ColUserID); got != "grace.005@acme.example.com" {
		t.Errorf("edit made before the job not applied: user id %q", got)
	}
	if len(m.Passwords.Generated) != 300 || m.Passwords.Generated[299] != p.Rows[299].Get(ColPassword) {
		t.Fatalf("owner has %d generated passwords after Adopt", len(m.Passwords.Generated))
	}
	p.Set(7, ColLastName, "Hopper")
	if !m.Edited(7, ColLastName) || j.m.Edited(7, ColLastName) {
		t.Error("an edit after Adopt did not go to the owner's model")
	}
	// Built again from the owner, the same passwords come back.
	q, err := m.Preview()
	if err != nil {
		t.Fatal(err)
	}
	for i := range q.Rows {
		if q.Rows[i] != p.Rows[i] {
			t.Fatalf("row %d differs after Adopt: %v vs %v", i+1, q.Rows[i], p.Rows[i])
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("Adopt of another job's preview did not panic")
		}
	}()
	m.PreviewJob().Adopt(q)
}
