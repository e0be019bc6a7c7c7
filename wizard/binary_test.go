package wizard_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"bwbulk/wizard"
)

// TestReadCSV_notText: a file that is not text, picked by mistake for a
// CSV, is one problem saying so and what it is, not a problem per line of
// noise. The files are real ones: this test's own program, the
// application's icon, a workbook of the import corpus under another name.
func TestReadCSV_notText(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	read := func(path string) []byte {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(bytes.Repeat([]byte("userId,lastName\nu1,One\n"), 200))
	zw.Close()
	noise := make([]byte, 200<<10)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range noise {
		noise[i] = byte(rng.UintN(256))
	}
	cases := []struct {
		name string
		b    []byte
		want string
	}{
		{"a program", read(exe)[:512<<10], "binary data"},
		{"a PNG image", read("../assets/icon.png"), "a PNG image"},
		{"a workbook named .csv", read("testdata/import/excel-typed-cells.xlsx"), "give it the .xlsx extension"},
		{"a gzip archive", gz.Bytes(), "a gzip archive"},
		{"random bytes", noise, "binary data"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tab, err := wizard.ReadCSV(context.Background(), bytes.NewReader(tc.b), nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(tab.Problems) != 1 {
				t.Fatalf("%d problems, want 1: %v", len(tab.Problems), tab.Problems[:min(3, len(tab.Problems))])
			}
			p := tab.Problems[0]
			if !errors.Is(p, wizard.ErrFormat) || !strings.HasPrefix(p.Msg, "not a CSV or XLSX file") || !strings.Contains(p.Msg, tc.want) {
				t.Errorf("problem %q (%v), want not a CSV or XLSX file … %s", p.Msg, p.Err, tc.want)
			}
			if len(tab.Records) != 0 {
				t.Errorf("%d rows read from it", len(tab.Records))
			}
			imp, err := tab.Import(context.Background(), nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(imp.Problems) != 1 {
				t.Errorf("import: %d problems, want the one", len(imp.Problems))
			}
		})
	}
	// Every text file of the corpus (exports of Excel, LibreOffice, odin,
	// Mercury, Webex; UTF-8, UTF-16, Windows-1252) is still read as text.
	for _, ext := range []string{"*.csv", "*.txt"} {
		paths, _ := filepath.Glob(filepath.Join("testdata", "import", ext))
		for _, path := range paths {
			tab, err := wizard.ReadCSV(context.Background(), bytes.NewReader(read(path)), nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range tab.Problems {
				if strings.HasPrefix(p.Msg, "not a CSV") {
					t.Errorf("%s: %s", path, p.Msg)
				}
			}
		}
	}
}
