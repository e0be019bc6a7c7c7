package initlog

import (
	"bytes"
	"io"
	"log"
	"os"
	"sync"
)

var (
	mu   sync.Mutex
	held bytes.Buffer
)

type holder struct{}

func (holder) Write(p []byte) (int, error) {
	mu.Lock()
	defer mu.Unlock()
	return held.Write(p)
}

func init() { log.SetOutput(holder{}) }

// Release writes what was held to w and sends later log lines there.
func Release(w io.Writer) {
	mu.Lock()
	defer mu.Unlock()
	_, _ = w.Write(held.Bytes())
	held.Reset()
	log.SetOutput(w)
}

// Discard drops what was held; later log lines go to standard error.
func Discard() {
	mu.Lock()
	defer mu.Unlock()
	held.Reset()
	log.SetOutput(os.Stderr)
}
