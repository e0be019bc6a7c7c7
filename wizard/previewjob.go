package wizard

import (
	"fmt"
	"maps"
	"slices"
)

// PreviewJob builds a model's preview on another goroutine than the one
// that owns the model, so a window stays responsive while thousands of
// rows are rendered, checked and given passwords. The job works on its own
// copy of the model; Adopt hands the result back.
type PreviewJob struct {
	owner *Model
	m     *Model
}

// PreviewJob copies what building the preview reads or writes. Call it on
// the goroutine that owns m; the copy shares nothing m's owner may change
// (Facts is replaced, never changed in place).
func (m *Model) PreviewJob() *PreviewJob {
	c := *m
	c.Passwords.Generated = slices.Clone(m.Passwords.Generated)
	c.Numbers.Entries = slices.Clone(m.Numbers.Entries)
	c.Imported = slices.Clone(m.Imported)
	c.Services = slices.Clone(m.Services)
	c.ServicePacks = slices.Clone(m.ServicePacks)
	if m.Edits != nil {
		c.Edits = make(map[int]map[Column]string, len(m.Edits))
		for r, e := range m.Edits {
			c.Edits[r] = maps.Clone(e)
		}
	}
	return &PreviewJob{owner: m, m: &c}
}

// Build builds the preview from the copy; any goroutine may call it, once.
func (j *PreviewJob) Build() (*Preview, error) { return j.m.Preview() }

// Validate is Model.Validate of the copy; any goroutine may call it.
func (j *PreviewJob) Validate(s Step) FieldErrors { return j.m.Validate(s) }

// Adopt makes p, built by j, the preview of the model j was taken from:
// the passwords generated for it are kept there and later edits go there.
// Call it on the model's goroutine, and only when the model has not
// changed since PreviewJob (else build again).
func (j *PreviewJob) Adopt(p *Preview) {
	if p == nil || p.m != j.m {
		panic("wizard: Adopt of a preview another job built")
	}
	j.owner.Passwords.Generated = j.m.Passwords.Generated
	p.m = j.owner
}

// RowCount is how many users the preview has: the imported rows, else
// the user count.
func (m *Model) RowCount() int {
	if m.Imported != nil {
		return len(m.Imported)
	}
	return max(m.UserCount, 0)
}

// FieldErrors is what Validate(StepPreview) reports for a model whose
// preview is p: nothing when p is valid.
func (p *Preview) FieldErrors() FieldErrors {
	if p.Valid() {
		return nil
	}
	ps := p.Problems()
	return FieldErrors{FieldRows: fmt.Sprintf("%d problems, first: %s", len(ps), ps[0].Error())}
}
