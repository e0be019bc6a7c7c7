package wizard

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestPackageDoc checks the package doc and doc comments on exported
// top-level declarations.
func TestPackageDoc(t *testing.T) {
	fset := token.NewFileSet()
	files, _ := filepath.Glob("*.go")
	hasDoc := false
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		if f.Doc != nil && name == "doc.go" {
			hasDoc = true
		}
		for _, d := range f.Decls {
			checkDeclDoc(t, fset, d)
		}
	}
	if !hasDoc {
		t.Error("doc.go has no package comment")
	}
}
