package ocirelease

//go:generate go run ../internal/ocirelgen -o releases.txt
