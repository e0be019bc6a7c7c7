package oci

//go:generate go run ../internal/ocigen -commands commands.txt -o zz_generated.go
