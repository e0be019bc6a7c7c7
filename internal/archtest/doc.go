// Package archtest holds tests about the shape of the whole module, such as
// which package may import which. It has no code of its own.
package archtest
