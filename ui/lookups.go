package ui

import "bwbulk/jobs"

// The catalogue lives in jobs so the command line shares it; these names
// keep the window's code as it was.
type (
	// LiveCatalogue is jobs.LiveCatalogue.
	LiveCatalogue = jobs.LiveCatalogue
	// CachedCatalogue is jobs.CachedCatalogue.
	CachedCatalogue = jobs.CachedCatalogue
)
