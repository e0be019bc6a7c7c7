package jobs

// SetCheckChunk makes Check send its second round n reads at a time, for
// the test's length; it returns the function that puts it back.
func SetCheckChunk(n int) (restore func()) {
	old := checkChunk
	checkChunk = n
	return func() { checkChunk = old }
}
