package wizard

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
)

// Limits checked while a workbook's parts are decompressed, before
// anything is parsed (scanWorkbook), so a file that unpacks to gigabytes
// is refused without holding more than a buffer of it.
const (
	// MaxUnpackedSize bounds the workbook's XML parts once decompressed.
	MaxUnpackedSize = 256 << 20
	// MaxCellBytes bounds one value: Excel's limit is 32,767 characters.
	MaxCellBytes = 4 * 32767
)

// scanWorkbook streams every XML part of a zip workbook and returns why
// it is refused ("" when within the limits): more XML than
// MaxUnpackedSize, a run of text longer than MaxCellBytes, or a sheet
// with more rows than MaxImportRows allows.
func scanWorkbook(b []byte) string {
	return scanParts(b, "xl/worksheets/", "<row")
}

// scanParts is scanWorkbook for a zip whose sheets are the parts named
// with prefix sheets, a row starting with rowTag.
func scanParts(b []byte, sheets, rowTag string) string {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return "" // excelize says what is wrong with it
	}
	var total int64
	buf := make([]byte, 64<<10)
	for _, zf := range zr.File {
		if !strings.HasSuffix(zf.Name, ".xml") && !strings.HasSuffix(zf.Name, ".rels") {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return ""
		}
		sheet := strings.HasPrefix(zf.Name, sheets)
		run, rows := 0, 0
		for {
			n, err := rc.Read(buf)
			total += int64(n)
			if total > MaxUnpackedSize {
				rc.Close()
				return fmt.Sprintf("the workbook unpacks to more than %d MB of data: split it, or save it as CSV UTF-8", MaxUnpackedSize>>20)
			}
			for i, c := range buf[:n] {
				if c == '<' {
					run = 0
					if sheet && i+len(rowTag) <= n && string(buf[i:i+len(rowTag)]) == rowTag {
						rows++
					}
					continue
				}
				if run++; run > MaxCellBytes {
					rc.Close()
					return fmt.Sprintf("%s holds a value longer than %d characters, more than Excel allows in a cell: the file is damaged or not a list of users", zf.Name, 32767)
				}
			}
			if sheet && rows > MaxImportRows+1000 {
				rc.Close()
				return fmt.Sprintf("a sheet has more than %d rows: split the file (at most %d users)", MaxImportRows+1000, MaxImportRows)
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				rc.Close()
				return ""
			}
		}
		rc.Close()
	}
	return ""
}
