// Package initlog holds what the standard logger prints while packages
// initialise, until main knows whether the window will be shown.
//
// Fyne's packages log from their init functions (lang parses the user's
// locale and reports "Error parsing user locale C" for LANG=C.UTF-8), and
// they are linked into every run of bwbulk, the command-line ones too.
// This package imports nothing that imports Fyne and its import path
// sorts before fyne.io/..., so the Go specification's initialisation
// order (by import path among the packages whose imports are ready) runs
// its init first and catches those lines. The window prints them
// (Release); the command line drops them (Discard).
package initlog
